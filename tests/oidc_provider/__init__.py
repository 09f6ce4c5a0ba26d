"""A real OpenID Connect provider for the single sign-on tests: a tiny Django project of
its own (django-oauth-toolkit with OIDC), run in a second process by `run.py` with its
own settings, SQLite file and RS256 key in a temporary folder.

The names below are what the tests and the provider agree on.
"""

CLIENT_ID = "ergonomics-app"
CLIENT_SECRET = "test-client-secret-for-the-sso-tests-only"  # nosec B105
#: The app's callback as the Django test client builds it.
REDIRECT_URI = "http://testserver/accounts/sso/callback/"
PASSWORD = "provider-password-2026"  # nosec B105
#: The provider's people: username -> (email, groups). A group written `dept:<name>` is
#: not a group but goes into the `departments` claim.
PEOPLE = {
    "alice": ("alice@example.org", ["ergo-oh", "all-staff"]),
    "bob": ("bob@example.org", ["ergo-oh"]),
    "carol": ("carol@example.org", ["all-staff"]),
}
