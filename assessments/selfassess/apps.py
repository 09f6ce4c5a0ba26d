from django.apps import AppConfig


class SelfassessConfig(AppConfig):
    name = "assessments.selfassess"
    label = "selfassess"
    verbose_name = "Self-assessments"
    default_auto_field = "django.db.models.BigAutoField"
