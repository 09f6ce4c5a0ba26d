"""The provider's claims: email (verified), names, and the person's groups, as an
organisation's identity provider sends them."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

DEPARTMENT_PREFIX = "dept:"


class GroupsValidator(OAuth2Validator):
    # Every claim below goes into the ID token and the userinfo answer.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        names = sorted(user.groups.values_list("name", flat=True))
        return {
            "email": user.email,
            "email_verified": True,
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": [n for n in names if not n.startswith(DEPARTMENT_PREFIX)],
            "departments": [
                n.removeprefix(DEPARTMENT_PREFIX) for n in names if n.startswith(DEPARTMENT_PREFIX)
            ],
        }
