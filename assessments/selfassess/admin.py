from django.contrib import admin

from assessments.selfassess.models import EventRule


@admin.register(EventRule)
class EventRuleAdmin(admin.ModelAdmin):
    """What each kind of event opens: an invitation or an assessor review."""

    list_display = ("kind", "outcome")
    list_editable = ("outcome",)
