from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "assessments.reporting"
    label = "reporting"
    verbose_name = "Reports and jobs"
    default_auto_field = "django.db.models.BigAutoField"
