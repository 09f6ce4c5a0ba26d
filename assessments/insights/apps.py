from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "assessments.insights"
    label = "insights"
    verbose_name = "Dashboard counts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessments.insights.tallies import employees_counted
        from assessments.people.changes import on_employees_changing

        # A change to a few employees adds its difference to the stored counts
        # (`assessments.insights.tallies`).
        on_employees_changing(employees_counted)
