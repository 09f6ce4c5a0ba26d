from django.contrib import admin

from assessments.sso.models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Which provider subject signs in as which account; delete a row to unlink it (the
    next sign-on then finds the account by its verified email address again)."""

    list_display = ["user", "subject", "issuer", "linked_at", "last_sign_in"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "linked_at", "last_sign_in"]

    def has_add_permission(self, request: object) -> bool:
        return False
