from django.urls import path

from assessments.views import action_tracking as tracking_views
from assessments.views import (
    actions,
    assessments,
    employees,
    health,
    home,
    importing,
    photos,
    privacy,
    reports,
)
from assessments.views import exports as export_views
from assessments.views import jobs as job_views

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("employees/", employees.employee_list, name="employee_list"),
    path("employees/new/", employees.employee_create, name="employee_create"),
    path("employees/<int:pk>/", employees.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", employees.employee_edit, name="employee_edit"),
    path("employees/<int:pk>/privacy/", privacy.employee_privacy, name="employee_privacy"),
    path(
        "employees/<int:pk>/privacy/export/",
        privacy.employee_data_export,
        name="employee_data_export",
    ),
    path("employees/<int:pk>/privacy/erase/", privacy.employee_erase, name="employee_erase"),
    path(
        "employees/<int:employee_pk>/import/",
        importing.assessment_import,
        name="assessment_import",
    ),
    path("audit/", privacy.audit_log, name="audit_log"),
    path(
        "employees/<int:employee_pk>/assess/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path("assessments/", assessments.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:pk>/sections/<slug:name>/",
        assessments.section_save,
        name="section_save",
    ),
    path(
        "assessments/<int:pk>/preview/<slug:name>/",
        assessments.section_preview,
        name="section_preview",
    ),
    path("assessments/<int:pk>/results/", assessments.results_panel, name="results_panel"),
    path("assessments/<int:pk>/tasks/new/", assessments.task_save, name="task_create"),
    path("assessments/<int:pk>/tasks/<int:task_pk>/", assessments.task_save, name="task_save"),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/duplicate/",
        assessments.task_duplicate,
        name="task_duplicate",
    ),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/delete/",
        assessments.task_delete,
        name="task_delete",
    ),
    path(
        "assessments/<int:pk>/complete/",
        assessments.assessment_complete,
        name="assessment_complete",
    ),
    path("assessments/<int:pk>/amend/", assessments.assessment_amend, name="assessment_amend"),
    path("assessments/<int:pk>/photos/", assessments.photo_upload, name="photo_upload"),
    path("assessments/<int:pk>/report/<slug:kind>.pdf", reports.report_pdf, name="report_pdf"),
    path("assessments/<int:pk>/report/<slug:kind>/", reports.report_preview, name="report_preview"),
    path("photos/<int:pk>/", photos.photo_file, name="photo_file"),
    path("photos/<int:pk>/thumb/", photos.photo_thumb, name="photo_thumb"),
    path("actions/", actions.action_list, name="action_list"),
    path("actions/bulk/", actions.action_bulk_update, name="action_bulk_update"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/board/", tracking_views.action_board, name="action_board"),
    path("actions/<int:pk>/complete/", tracking_views.action_complete, name="action_complete"),
    path("actions/export.<slug:fmt>", export_views.action_export, name="action_export"),
    path("assessments/export.<slug:fmt>", export_views.assessment_export, name="assessment_export"),
    path(
        "assessments/lifting-tasks/export.<slug:fmt>",
        export_views.lifting_task_export,
        name="lifting_task_export",
    ),
    path("assessments/<int:pk>/export.json", export_views.assessment_json, name="assessment_json"),
    path("reports/department/", reports.department_report, name="department_report"),
    path("reports/department/pack/", job_views.pack_start, name="pack_start"),
    path("assessments/<int:pk>/email-managers/", job_views.report_email, name="report_email"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", job_views.job_download, name="job_download"),
    path("dashboard/", home.dashboard, name="dashboard"),
]
