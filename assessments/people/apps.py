from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "assessments.people"
    label = "people"
    verbose_name = "Sites, departments and employees"
    default_auto_field = "django.db.models.BigAutoField"
