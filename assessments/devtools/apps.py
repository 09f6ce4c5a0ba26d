from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "assessments.devtools"
    label = "devtools"
    verbose_name = "Demo data and benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
