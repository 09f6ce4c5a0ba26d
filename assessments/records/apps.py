from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "assessments.records"
    label = "records"
    verbose_name = "Assessment records"
    default_auto_field = "django.db.models.BigAutoField"
