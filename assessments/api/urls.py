"""`/api/v1/`: the resources, the OpenAPI schema and its documentation page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from assessments.api import docs, roster, views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", docs.ApiDocs.as_view(url_name="api-schema"), name="api-docs"),
    path("sites/", views.SiteList.as_view(), name="api-site-list"),
    path("sites/<int:pk>/", views.SiteDetail.as_view(), name="api-site-detail"),
    path("departments/", views.DepartmentList.as_view(), name="api-department-list"),
    path("departments/<int:pk>/", views.DepartmentDetail.as_view(), name="api-department-detail"),
    path("employees/", views.EmployeeList.as_view(), name="api-employee-list"),
    path("employees/<int:pk>/", views.EmployeeDetail.as_view(), name="api-employee-detail"),
    path(
        "employees/hr/<str:hr_reference>/",
        views.EmployeeUpsert.as_view(),
        name="api-employee-upsert",
    ),
    path("assessments/", views.AssessmentList.as_view(), name="api-assessment-list"),
    path("assessments/<int:pk>/", views.AssessmentDetail.as_view(), name="api-assessment-detail"),
    path(
        "assessments/<int:pk>/results/",
        views.AssessmentResults.as_view(),
        name="api-assessment-results",
    ),
    path(
        "assessments/<int:pk>/interchange/",
        views.AssessmentInterchange.as_view(),
        name="api-assessment-interchange",
    ),
    path("assessments/<int:pk>/reports/", views.ReportList.as_view(), name="api-report-list"),
    path(
        "assessments/<int:pk>/reports/<slug:kind>/",
        views.ReportDownload.as_view(),
        name="api-report-download",
    ),
    path("actions/", views.ActionList.as_view(), name="api-action-list"),
    path("actions/<int:pk>/", views.ActionDetail.as_view(), name="api-action-detail"),
    path("exports/<slug:table>.<slug:fmt>", views.Export.as_view(), name="api-export"),
    path("roster/preview/", roster.RosterPreview.as_view(), name="api-roster-preview"),
    path("roster/apply/", roster.RosterApply.as_view(), name="api-roster-apply"),
]
