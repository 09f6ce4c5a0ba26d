"""Signing a person in from the provider's claims (`sso.services.sso_sign_in`), case by
case: which account is found, which roles change and which are left alone, and each
refusal. The end-to-end path through a real provider is in `test_sso.py`."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from assessments import permissions
from assessments.people.models import AuditEvent
from assessments.sso import services
from assessments.sso.models import SsoIdentity

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.example.org"
POLICY = services.SsoPolicy(
    groups_claim="groups",
    role_map={"ergo-oh": "assessor", "ergo-mgr": "manager", "ergo-admins": "admin"},
    departments_claim="departments",
    create_users=True,
)


def _claims(sub: str = "s-1", **extra: Any) -> dict[str, Any]:
    return {"sub": sub, "email": "pat@example.org", "email_verified": True, **extra}


def _sign_in(claims: dict[str, Any], policy: services.SsoPolicy = POLICY) -> services.SignIn:
    return services.sso_sign_in(claims=claims, issuer=ISSUER, policy=policy)


def _groups(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_an_unverified_email_does_not_find_an_existing_account():
    pat = User.objects.create_user("pat", email="pat@example.org")
    result = _sign_in(_claims(email_verified=False, groups=["ergo-oh"]))
    # A new account is made instead (creation is on); the existing one is untouched.
    assert result.user is not None and result.user != pat
    assert not SsoIdentity.objects.filter(user=pat).exists()


def test_an_unverified_email_finds_the_account_when_the_admin_allows_it():
    pat = User.objects.create_user("pat", email="pat@example.org")
    policy = services.SsoPolicy(**{**POLICY.__dict__, "match_unverified_email": True})
    assert _sign_in(_claims(email_verified=False, groups=["ergo-oh"]), policy).user == pat


def test_two_accounts_with_the_email_are_refused_not_guessed():
    User.objects.create_user("pat1", email="pat@example.org")
    User.objects.create_user("pat2", email="PAT@example.org")
    result = _sign_in(_claims(groups=["ergo-oh"]))
    assert result.user is None and result.refusal == services.CONFLICT
    assert not SsoIdentity.objects.exists()


def test_an_account_linked_to_another_subject_is_not_taken_over():
    pat = User.objects.create_user("pat", email="pat@example.org")
    SsoIdentity.objects.create(user=pat, issuer=ISSUER, subject="the-real-pat")
    result = _sign_in(_claims(sub="someone-else", groups=["ergo-oh"]))
    assert result.user is None and result.refusal == services.CONFLICT
    assert _groups(pat) == set()


def test_a_switched_off_account_is_refused():
    User.objects.create_user("pat", email="pat@example.org", is_active=False)
    result = _sign_in(_claims(groups=["ergo-oh"]))
    assert result.refusal == services.INACTIVE


def test_the_admin_role_is_the_staff_flag_and_the_superuser_flag_is_never_touched():
    root = User.objects.create_superuser("root", email="pat@example.org", password="x-pw-2026")
    result = _sign_in(_claims(groups=["ergo-admins"]))
    assert result.user == root
    root.refresh_from_db()
    assert root.is_staff and root.is_superuser
    _sign_in(_claims(groups=[]))
    root.refresh_from_db()
    assert not root.is_staff and root.is_superuser  # still an admin, as a superuser


def test_a_mapping_that_does_not_name_a_role_leaves_it_alone():
    pat = User.objects.create_user("pat", email="pat@example.org", is_staff=True)
    pat.groups.add(Group.objects.create(name=permissions.MANAGER_GROUP))
    assessor_only = services.SsoPolicy(groups_claim="groups", role_map={"ergo-oh": "assessor"})
    result = _sign_in(_claims(groups=["ergo-oh"]), assessor_only)
    assert result.user == pat
    pat.refresh_from_db()
    assert _groups(pat) == {permissions.ASSESSOR_GROUP, permissions.MANAGER_GROUP}
    assert pat.is_staff


def test_without_a_mapping_roles_stay_as_the_admin_gave_them():
    pat = User.objects.create_user("pat", email="pat@example.org")
    pat.groups.add(Group.objects.create(name=permissions.ASSESSOR_GROUP))
    result = _sign_in(_claims(groups=["anything"]), services.SsoPolicy(role_map={}))
    assert result.user == pat and _groups(pat) == {permissions.ASSESSOR_GROUP}
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGE).exists()


def test_a_managers_departments_come_from_the_claim(department, other_department):
    result = _sign_in(_claims(groups=["ergo-mgr"], departments=["Goods In", "Northgate / Nowhere"]))
    user = result.user
    assert user is not None
    assert list(user.managed_departments.all()) == [other_department]
    change = AuditEvent.objects.get(kind=AuditEvent.Kind.ROLE_CHANGE)
    assert "Goods In (Northgate)" in change.detail
    assert "unknown departments ignored: Northgate / Nowhere" in change.detail
    # No departments claim at all: the departments stay as they are.
    _sign_in(_claims(groups=["ergo-mgr"]))
    assert list(user.managed_departments.all()) == [other_department]


def test_an_email_the_account_cannot_hold_is_refused_not_an_error():
    result = _sign_in(_claims(email="not an email", groups=["ergo-oh"]))
    assert result.user is None and result.refusal == services.NO_ACCOUNT
    assert not User.objects.exists()
    assert "not created" in AuditEvent.objects.get().detail


def test_a_subject_too_long_to_store_is_refused():
    result = _sign_in(_claims(sub="x" * 256, groups=["ergo-oh"]))
    assert result.refusal == services.NO_ACCOUNT and not User.objects.exists()


def test_a_new_account_gets_a_free_username_and_no_password():
    User.objects.create_user("pat@example.org")
    result = _sign_in(_claims(groups=["ergo-oh"], given_name="Pat", family_name="Lee"))
    user = result.user
    assert user is not None and user.username == "pat@example.org-2"
    assert (user.first_name, user.last_name) == ("Pat", "Lee")
    assert not user.has_usable_password()
