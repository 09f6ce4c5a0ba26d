"""Signing a person in from the identity provider's claims.

The account is found by the provider's subject (stored at the first sign-in), else by a
verified email address, else created when the admin allows it. The roles the provider
decides (those named in the role mapping) are brought in line with the claim at every
sign-in; groups and flags the mapping does not name are never touched. Someone left with
no role in the app is refused with an explanation. Every sign-in, refusal and role change
is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments import permissions
from assessments.people.models import AuditEvent, Department
from assessments.people.services import audit
from assessments.sso.models import SsoIdentity
from assessments.sso.roles import claim_values, managed_roles, roles_from_claims

#: Why a sign-in was refused (the explanation page words each one).
NO_ROLE = "no_role"
NO_ACCOUNT = "no_account"
CONFLICT = "conflict"
INACTIVE = "inactive"
#: The longest issuer or subject stored (OpenID Connect allows 255 ASCII characters for
#: a subject; longer is refused, not cut, so two subjects never merge).
MAX_SUBJECT = 255

#: The group that carries each role; "admin" is the staff flag instead.
ROLE_GROUPS = {"assessor": permissions.ASSESSOR_GROUP, "manager": permissions.MANAGER_GROUP}
ROLE_LABELS = {"assessor": "Assessor", "manager": "Manager", "admin": "Admin"}


@dataclass(frozen=True)
class SsoPolicy:
    """What the admin configured (settings `SSO_*`)."""

    groups_claim: str = "groups"
    role_map: Mapping[str, str] | None = None
    departments_claim: str = ""
    create_users: bool = False
    match_unverified_email: bool = False


@dataclass(frozen=True)
class SignIn:
    user: Any | None
    refusal: str = ""
    changes: tuple[str, ...] = ()


def _refuse(refusal: str, *, user: Any, subject: str, detail: str = "") -> SignIn:
    audit(
        kind=AuditEvent.Kind.SSO_REFUSED,
        user=user,
        detail=f"{refusal}: subject {subject}" + (f"; {detail}" if detail else ""),
    )
    return SignIn(user=None, refusal=refusal)


def _email_verified(claims: Mapping[str, Any]) -> bool:
    verified = claims.get("email_verified")
    return verified is True or str(verified).lower() == "true"


def _by_email(claims: Mapping[str, Any], policy: SsoPolicy) -> tuple[Any | None, str]:
    """The one account with the claim's email address, if the provider verified it."""
    email = str(claims.get("email") or "").strip()
    if not email or not (policy.match_unverified_email or _email_verified(claims)):
        return None, ""
    users = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(users) > 1:
        return None, CONFLICT
    return (users[0] if users else None), ""


def _username(claims: Mapping[str, Any]) -> str:
    user_model = get_user_model()
    base = str(claims.get("preferred_username") or claims.get("email") or "").strip()
    base = "".join(ch for ch in base if ch.isalnum() or ch in "@.+-_")[:140]
    base = base or f"sso-{str(claims['sub'])[:40]}"
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _create_user(claims: Mapping[str, Any]) -> Any:
    user = get_user_model()(
        username=_username(claims),
        email=str(claims.get("email") or "")[:254],
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    # Signs in only through the provider until an admin gives it a password.
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _apply_roles(user: Any, roles: set[str] | None, managed: set[str]) -> list[str]:
    """Add and remove the managed roles so they match `roles`; the words of each change."""
    if roles is None:
        return []
    changes: list[str] = []
    current = set(user.groups.values_list("name", flat=True))
    for role in sorted(managed):
        wanted = role in roles
        if role == "admin":
            if bool(user.is_staff) != wanted:
                user.is_staff = wanted
                user.save(update_fields=["is_staff"])
                changes.append(("added " if wanted else "removed ") + ROLE_LABELS[role])
            continue
        name = ROLE_GROUPS[role]
        if wanted and name not in current:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
            changes.append(f"added {ROLE_LABELS[role]}")
        elif not wanted and name in current:
            user.groups.remove(*Group.objects.filter(name=name))
            changes.append(f"removed {ROLE_LABELS[role]}")
    return changes


def _department_q(value: str) -> Q:
    site, sep, name = value.partition(" / ")
    if sep:
        return Q(site__name__iexact=site.strip(), name__iexact=name.strip())
    return Q(name__iexact=value.strip())


def _apply_departments(user: Any, claims: Mapping[str, Any], claim: str) -> list[str]:
    """A manager's departments from the claim ("Site / Department", or a department name
    found at one site only), when the claim is configured and present."""
    values = claim_values(claims, claim)
    if values is None:
        return []
    wanted: set[int] = set()
    unknown: list[str] = []
    for value in values:
        found = list(Department.objects.filter(_department_q(value)).values_list("pk", flat=True))
        if len(found) == 1:
            wanted.add(found[0])
        else:
            unknown.append(value)
    current = set(user.managed_departments.values_list("pk", flat=True))
    changes: list[str] = []
    if wanted != current:
        user.managed_departments.set(wanted)
        names = Department.objects.filter(pk__in=wanted).select_related("site")
        changes.append("departments: " + (", ".join(str(d) for d in names) or "none"))
    if unknown:
        changes.append("unknown departments ignored: " + ", ".join(unknown))
    return changes


@transaction.atomic
def sso_sign_in(*, claims: Mapping[str, Any], issuer: str, policy: SsoPolicy) -> SignIn:
    """Find (or create) the account for these verified claims and bring its roles in line.

    Returns the user to sign in, or a refusal; role removals stand even when the sign-in
    is then refused."""
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > MAX_SUBJECT or len(issuer) > MAX_SUBJECT:
        return _refuse(
            NO_ACCOUNT, user=None, subject=subject[:40] or "(none)", detail="unusable subject"
        )
    role_map = dict(policy.role_map or {})
    roles = roles_from_claims(claims, claim=policy.groups_claim, role_map=role_map)

    identity = (
        SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    user = identity.user if identity else None
    if user is None:
        user, refusal = _by_email(claims, policy)
        if refusal:
            return _refuse(refusal, user=None, subject=subject, detail="several accounts")
    if user is None:
        if not policy.create_users:
            return _refuse(NO_ACCOUNT, user=None, subject=subject)
        if not roles:
            # No account is made for someone the app would not let in.
            return _refuse(NO_ROLE, user=None, subject=subject, detail="no account created")
        try:
            user = _create_user(claims)
        except ValidationError as error:
            return _refuse(
                NO_ACCOUNT, user=None, subject=subject, detail=f"not created: {error.messages}"
            )
    if identity is None:
        if SsoIdentity.objects.filter(user=user).exists():
            return _refuse(
                CONFLICT, user=user, subject=subject, detail="account linked to another subject"
            )
        identity = SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    if not user.is_active:
        return _refuse(INACTIVE, user=user, subject=subject)

    changes = _apply_roles(user, roles, managed_roles(role_map))
    for cached in ("_ergo_groups", "_ergo_departments"):
        user.__dict__.pop(cached, None)
    if policy.departments_claim and permissions.is_manager(user):
        changes += _apply_departments(user, claims, policy.departments_claim)
        user.__dict__.pop("_ergo_departments", None)
    if changes:
        audit(kind=AuditEvent.Kind.ROLE_CHANGE, user=user, detail="; ".join(changes))
    if not permissions.can_use_app(user):
        return _refuse(NO_ROLE, user=user, subject=subject)

    identity.last_sign_in = timezone.now()
    identity.save(update_fields=["last_sign_in"])
    audit(kind=AuditEvent.Kind.SSO_SIGN_IN, user=user, detail=f"subject {subject} at {issuer}")
    return SignIn(user=user, changes=tuple(changes))
