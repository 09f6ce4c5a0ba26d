from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("ergo_site.account_urls")),
    path("api/v1/", include("assessments.api.urls")),
    path("", include("assessments.urls")),
]

# Error pages in the app's layout (assessments/views/errors.py).
handler400 = "assessments.views.errors.bad_request"
handler403 = "assessments.views.errors.permission_denied"
handler404 = "assessments.views.errors.page_not_found"
handler500 = "assessments.views.errors.server_error"
