"""The browsable API documentation (Swagger UI, served from our own static files).

Swagger UI's files come from drf-spectacular-sidecar, never a CDN. The page's one style
block carries the CSP nonce and its start-up script is a separate file
(`SpectacularSwaggerSplitView`), so the site's policy holds; only inline `style`
attributes, which Swagger UI sets on its elements, are allowed on this page.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

DOCS_CSP = {**settings.SECURE_CSP, "style-src-attr": [CSP.UNSAFE_INLINE]}


@method_decorator(csp_override(DOCS_CSP), name="dispatch")
class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "assessments/api_docs.html"
    permission_classes = [AllowAny]
    authentication_classes = []
