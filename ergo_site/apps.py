"""Project-level app configuration."""

from __future__ import annotations

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    """`collectstatic` without the files no page loads.

    drf-spectacular-sidecar ships ReDoc beside Swagger UI; only Swagger UI is served
    (`/api/v1/docs/`), so ReDoc's 15 MB are neither copied, hashed nor compressed.
    """

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "redoc", "rest_framework"]
