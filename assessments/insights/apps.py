from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "assessments.insights"
    label = "insights"
    verbose_name = "Dashboard counts"
    default_auto_field = "django.db.models.BigAutoField"
