"""Use cases of the employee's consent: before a line manager sees an individual's
completed assessment, the employee sees what the manager would see (and their own OH
advice) and consents or objects; they may withdraw later, and OH may record a decision
given in person. docs/consent.md explains it for an OH lead.

Who sees what by consent is decided in `assessments.permissions` (`consent_visible_q`);
every decision is written to the consent's history and to the audit trail, and recounts
the department's stored dashboard counts in the same transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.core.mail import NotDelivered, deliver
from assessments.people.changes import employees_changing
from assessments.people.models import AuditEvent
from assessments.records.models import Assessment, unsuperseded_q
from assessments.selfassess import tokens
from assessments.selfassess.links import LinkProblem, stored_key
from assessments.selfassess.models import Consent, ConsentEvent, ConsentKey

Status = Consent.Status


class ConsentError(Exception):
    """A consent use case refused, with a message for the person."""


CONSENT_LINK_EXPIRED = gettext_lazy(
    "This link has expired. If you want to change what your manager may see, please ask "
    "occupational health for a new link."
)
CONSENT_REPLACED = gettext_lazy(
    "This assessment was replaced by a newer version. You will get a new link for it."
)
CONSENT_GONE = gettext_lazy(
    "This assessment is no longer held. Contact occupational health if needed."
)
NO_EMAIL = gettext_lazy(
    "%(name)s has no email address: ask them in person and record their decision."
)
NOT_DELIVERED = gettext_lazy(
    "The consent link could not be emailed to %(name)s: the mail server did not take it. "
    "Send it again later, or ask them in person and record their decision."
)

#: What each decision is called in the audit trail and the history.
DECISION_WORDS = {
    Status.GIVEN: gettext_lazy("Consent given"),
    Status.REFUSED: gettext_lazy("Consent refused"),
    Status.WITHDRAWN: gettext_lazy("Consent withdrawn"),
}

#: The statuses each decision may follow.
_ALLOWED_FROM = {
    Status.GIVEN: (Status.PENDING, Status.PREDATES, Status.REFUSED, Status.WITHDRAWN),
    Status.REFUSED: (Status.PENDING, Status.PREDATES),
    Status.WITHDRAWN: (Status.GIVEN, Status.PREDATES),
}


def may_decide(consent: Consent, status: str) -> bool:
    return consent.status in _ALLOWED_FROM.get(Status(status), ())


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("consent_link", args=[token])


@transaction.atomic
def consent_request(*, assessment: Assessment, user: Any = None, send: bool = True) -> Consent:
    """A completed revision's consent, pending, and (`send`) the employee emailed their link
    (an employee without an email address, or whose email the mail server did not take, is
    listed for consent in person; `link_not_sent_warning` tells). Asking again for a
    revision that has a consent changes nothing."""
    consent, created = Consent.objects.get_or_create(assessment=assessment)
    if created:
        # Pending counts as no consent: what managers may see, and so the stored counts, stay
        # as they were.
        ConsentEvent.objects.create(consent=consent, status=Status.PENDING, by=user)
        if send and assessment.employee.email:
            # Not emailed: listed to send again or ask in person (`waiting_in_person`).
            with contextlib.suppress(ConsentError):
                consent_link_send(consent=consent, user=user)
    return consent


@transaction.atomic
def consent_link_send(*, consent: Consent, user: Any = None, now: dt.datetime | None = None) -> str:
    """Email the employee a fresh link to their preview (it works for `CONSENT_LINK_DAYS`);
    returns the link's token. Raises `ConsentError`, keeping nothing, without an email
    address or when the mail server does not take the email."""
    employee = consent.assessment.employee
    if not employee.email or employee.is_erased:
        raise ConsentError(NO_EMAIL % {"name": employee.name})
    now = now or timezone.now()
    token, hashed = tokens.new_token(tokens.CONSENT)
    expires = now + dt.timedelta(days=settings.CONSENT_LINK_DAYS)
    ConsentKey.objects.create(
        consent=consent, token_hash=hashed, created_at=now, expires_at=expires
    )
    body = _(
        "Hello %(name)s,\n\nOccupational health has completed your assessment. Before your "
        "manager sees anything about it, you can see exactly what they would see, and your "
        "own advice from occupational health, and say whether you agree to share it:\n\n"
        "%(url)s\n\nThe link works until %(expires)s; no account or password is needed. "
        "The link is yours alone; do not forward it. Until you agree, your manager sees only "
        "the changes to your workplace that they are asked to make."
    ) % {"name": employee.name, "url": link_url(token), "expires": f"{expires:%d %B %Y}"}
    message = EmailMessage(
        subject=_("What your manager would see about your assessment"),
        body=body,
        to=[employee.email],
    )
    try:
        deliver(message, what=f"consent link email of assessment {consent.assessment_id}")
    except NotDelivered as error:  # the key made above goes with this transaction
        raise ConsentError(NOT_DELIVERED % {"name": employee.name}) from error
    # Recorded once the mail server has taken the email.
    consent.link_sent_at = now
    consent.save(update_fields=["link_sent_at"])
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.CONSENT_LINK,
        user=user,
        employee=employee,
        assessment=consent.assessment,
        detail=_("Consent link emailed"),
    )
    return token


def consent_for_link(token: str, *, now: dt.datetime | None = None) -> Consent:
    """The consent a link opens, or `LinkProblem` saying why not (tampered, unknown,
    expired, replaced by an amendment, erased)."""
    key = stored_key(
        ConsentKey.objects.select_related("consent__assessment__employee__department__site"),
        token,
        tokens.CONSENT,
    )
    consent = key.consent
    assessment = consent.assessment
    if assessment.employee.is_erased or not assessment.is_completed:
        raise LinkProblem(410, _("This assessment is no longer held"), CONSENT_GONE)
    if key.expires_at <= (now or timezone.now()):
        raise LinkProblem(410, _("This link has expired"), CONSENT_LINK_EXPIRED)
    if not Assessment.objects.filter(unsuperseded_q(), pk=assessment.pk).exists():
        raise LinkProblem(410, _("This assessment was replaced"), CONSENT_REPLACED)
    return consent


@transaction.atomic
def consent_decide(*, consent: Consent, status: str, user: Any = None, note: str = "") -> Consent:
    """Record a decision: by the employee through their link (`user` None) or by OH, given
    in person (`user` the OH user, with a note). Written to the history and the audit
    trail; the stored dashboard counts follow in the same transaction (a manager's figures
    count only what they may see)."""
    with employees_changing([consent.assessment.employee_id]):
        return _decide(consent=consent, status=status, user=user, note=note)


def _decide(*, consent: Consent, status: str, user: Any, note: str) -> Consent:
    locked = (
        Consent.objects.select_for_update()
        .select_related("assessment__employee")
        .get(pk=consent.pk)
    )
    if status not in _ALLOWED_FROM or not may_decide(locked, status):
        raise ConsentError(
            _("This decision cannot be recorded: consent is %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    now = timezone.now()
    locked.status = status
    locked.decided_at = now
    locked.decided_by_oh = user
    locked.save(update_fields=["status", "decided_at", "decided_by_oh"])
    ConsentEvent.objects.create(consent=locked, status=status, at=now, by=user, note=note.strip())
    how = _("recorded by OH in person") if user is not None else _("by the employee's link")
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.CONSENT,
        user=user,
        employee=locked.assessment.employee,
        assessment=locked.assessment,
        detail=f"{DECISION_WORDS[Status(status)]} ({how})",
    )
    consent.status, consent.decided_at, consent.decided_by_oh = status, now, user
    return consent


def link_not_sent_warning(assessment: Assessment) -> str | None:
    """For OH, after completing or signing off: the message saying the consent link could
    not be emailed, when the employee has an address but their pending consent has no link
    (the mail server did not take it); None otherwise."""
    consent = (
        Consent.objects.filter(assessment=assessment).select_related("assessment__employee").first()
    )
    if consent is None or consent.status != Status.PENDING or consent.link_sent_at:
        return None
    employee = consent.assessment.employee
    return NOT_DELIVERED % {"name": employee.name} if employee.email else None


def waiting_in_person() -> Any:
    """Pending consents never emailed (no email address, or the mail server did not take
    the email): to ask again or in person."""
    return Consent.objects.filter(
        status=Status.PENDING,
        link_sent_at__isnull=True,
        assessment__employee__anonymised_at__isnull=True,
    ).select_related("assessment__employee__department")
