"""Where `collectstatic` looks for static files."""

from __future__ import annotations

from django.contrib.staticfiles import finders

# drf-spectacular-sidecar ships ReDoc beside Swagger UI, and DRF ships its browsable API's
# assets; only Swagger UI is served (`/api/v1/docs/`) and the API renders JSON only, so
# these 15 MB are neither copied, hashed nor compressed.
UNSERVED_APP_FILES = ["redoc", "rest_framework"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's app-directory finder, without the apps' files that no page loads."""

    def list(self, ignore_patterns):  # type: ignore[no-untyped-def]
        return super().list([*(ignore_patterns or []), *UNSERVED_APP_FILES])
