"""Use cases of the self-assessment loop: invite, answer, return, alert, triage, sign off,
events and the cycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.actions import services as action_services
from assessments.core.mail import NotDelivered
from assessments.people.models import AuditEvent, Employee
from assessments.records import services as record_services
from assessments.records import snapshot
from assessments.records.models import (
    Assessment,
    SittingSection,
    WorkerSection,
    WorkstationSection,
)
from assessments.selfassess import consent, emails, mapping, questions, tokens
from assessments.selfassess.links import LinkProblem, stored_key
from assessments.selfassess.models import (
    Alert,
    EmployeeEvent,
    EventRule,
    Invitation,
    LinkKey,
    SentEmail,
)
from assessments.selfassess.triage import triage


class SelfAssessmentError(Exception):
    """A use case refused, with a message for the person."""


QUESTION_NOT_SENT = gettext_lazy(
    "The question could not be emailed: the mail server did not take it. Nothing was "
    "changed; please try again later."
)
LINK_EXPIRED = gettext_lazy(
    "This link has expired. Please ask occupational health for a new one; your earlier "
    "answers were not sent."
)
LINK_USED = gettext_lazy(
    "This self-assessment has already been sent to occupational health, so the link cannot "
    "be used again. Thank you. If something has changed, contact occupational health."
)
LINK_CANCELLED = gettext_lazy(
    "This self-assessment was cancelled. Contact occupational health if needed."
)


# --- Invitations ---------------------------------------------------------------------------


def _new_link(invitation: Invitation) -> str:
    token, hashed = tokens.new_token()
    LinkKey.objects.create(invitation=invitation, token_hash=hashed)
    return token


def in_progress(employee: Employee) -> Invitation | None:
    return (
        Invitation.objects.filter(
            employee=employee,
            status__in=Invitation.IN_PROGRESS,
        )
        .exclude(status__in=Invitation.OPEN_FOR_ANSWERS, expires_at__lte=timezone.now())
        .first()
    )


@transaction.atomic
def invitation_create(
    *,
    employee: Employee,
    user: Any,
    trigger: str = Invitation.Trigger.MANUAL,
    now: dt.datetime | None = None,
) -> Invitation:
    """Invite one employee and email them their link (without an email address, or when the
    mail server does not take it, the invitation is listed for a paper or in-person route)."""
    if employee.is_erased or not employee.active:
        raise SelfAssessmentError(_("%(name)s is not a current employee.") % {"name": employee})
    now = now or timezone.now()
    invitation = Invitation.objects.create(
        employee=employee,
        invited_by=user,
        trigger=trigger,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.SELFASSESS_LINK_DAYS),
    )
    token = _new_link(invitation)
    try:
        emailed = emails.employee_email(invitation, SentEmail.Kind.INVITATION, token)
    except NotDelivered:
        emailed = False  # listed, like an employee without an address, for another route
    if emailed:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    return invitation


@dataclass
class InviteSummary:
    emailed: list[Employee] = field(default_factory=list)
    paper: list[Employee] = field(default_factory=list)
    not_sent: list[Employee] = field(default_factory=list)
    already: list[Employee] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [_("%(n)d invited by email") % {"n": len(self.emailed)}]
        if self.paper:
            parts.append(
                _("%(n)d without an email address (paper or in person)") % {"n": len(self.paper)}
            )
        if self.not_sent:
            parts.append(
                _("%(n)d not emailed: the mail server did not take it (paper or in person)")
                % {"n": len(self.not_sent)}
            )
        if self.already:
            parts.append(
                _("%(n)d already have a self-assessment in progress") % {"n": len(self.already)}
            )
        if self.unknown:
            parts.append(_("unknown HR references: %(refs)s") % {"refs": ", ".join(self.unknown)})
        return "; ".join(parts) + "."


def invite_many(
    *, employees: list[Employee], user: Any, unknown: list[str] | None = None
) -> InviteSummary:
    summary = InviteSummary(unknown=list(unknown or []))
    for employee in employees:
        if in_progress(employee) is not None:
            summary.already.append(employee)
            continue
        invitation = invitation_create(employee=employee, user=user)
        if invitation.sent_at:
            summary.emailed.append(employee)
        else:
            (summary.not_sent if employee.email else summary.paper).append(employee)
    return summary


def employees_from_references(text: str) -> tuple[list[Employee], list[str]]:
    """Current employees named by a pasted list of HR references (one per line, or separated
    by commas or spaces), and the references not found."""
    refs = [r for r in text.replace(",", " ").split() if r]
    found = {
        e.hr_reference: e
        for e in Employee.objects.filter(
            hr_reference__in=refs, active=True, anonymised_at__isnull=True
        )
    }
    unknown = [r for r in dict.fromkeys(refs) if r not in found]
    return [found[r] for r in dict.fromkeys(refs) if r in found], unknown


def paper_route() -> Any:
    """Invitations in progress for employees without an email address."""
    return Invitation.objects.filter(
        status__in=Invitation.OPEN_FOR_ANSWERS, sent_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("employee__department")


# --- The employee's link -------------------------------------------------------------------


def invitation_for_link(token: str, *, answering: bool = True) -> Invitation:
    """The invitation a link opens, or `LinkProblem` saying why not (tampered, unknown,
    expired, already used)."""
    key = stored_key(
        LinkKey.objects.select_related("invitation__employee"), token, tokens.SELF_ASSESSMENT
    )
    invitation = key.invitation
    if invitation.status == Invitation.Status.CANCELLED or invitation.employee.is_erased:
        raise LinkProblem(410, _("This self-assessment was cancelled"), LINK_CANCELLED)
    if invitation.is_expired:
        raise LinkProblem(410, _("This link has expired"), LINK_EXPIRED)
    if answering and invitation.status not in Invitation.OPEN_FOR_ANSWERS:
        raise LinkProblem(410, _("Already sent"), LINK_USED)
    return invitation


@transaction.atomic
def answers_save(*, invitation: Invitation, screen: str, answers: dict[str, Any]) -> list[str]:
    """Store one screen's answers; returns the red flags answered yes (an alert is raised at
    once, before the self-assessment is sent)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status not in Invitation.OPEN_FOR_ANSWERS:
        raise LinkProblem(410, _("Already sent"), LINK_USED)
    locked.answers = {**locked.answers, screen: answers}
    locked.status = Invitation.Status.STARTED
    locked.save(update_fields=["answers", "status"])
    invitation.answers, invitation.status = locked.answers, locked.status
    flags = questions.positive_red_flags(locked.answers)
    if flags:
        alert_raise(invitation=locked, flags=flags)
    return flags


def missing_screens(invitation: Invitation) -> list[questions.Screen]:
    return [s for s in questions.screens_for(invitation.answers) if s.key not in invitation.answers]


@transaction.atomic
def invitation_return(*, invitation: Invitation) -> Invitation:
    """Send the answers to OH: scored (self-reported) and placed in the triage queue."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status not in Invitation.OPEN_FOR_ANSWERS:
        raise LinkProblem(410, _("Already sent"), LINK_USED)
    if missing_screens(locked):
        raise SelfAssessmentError(_("Some questions are still to be answered."))
    scored = mapping.score(locked.answers)
    flags = questions.positive_red_flags(locked.answers)
    locked.inputs = scored.inputs
    locked.results = scored.results
    locked.urgency = triage(scored.results, flags).urgency
    locked.status = Invitation.Status.RETURNED
    locked.returned_at = timezone.now()
    locked.save()
    return locked


# --- Alerts --------------------------------------------------------------------------------


def alert_raise(*, invitation: Invitation, flags: list[str]) -> Alert:
    """One alert per self-assessment, raised on the first red flag (and widened by later
    ones); it stays until acknowledged. OH is emailed once."""
    emergency = questions.is_emergency(flags)
    alert = invitation.alerts.first()
    if alert is None:
        alert = Alert.objects.create(invitation=invitation, emergency=emergency, flags=flags)
    elif set(flags) - set(alert.flags):
        alert.flags = sorted(set(alert.flags) | set(flags))
        alert.emergency = alert.emergency or emergency
        alert.acknowledged_at = None
        alert.acknowledged_by = None
        alert.save()
    if not invitation.emails.filter(kind=SentEmail.Kind.ALERT).exists():
        emails.alert_email(invitation, emergency=alert.emergency)
    return alert


def open_alerts() -> Any:
    return Alert.objects.filter(acknowledged_at__isnull=True).select_related(
        "invitation__employee__department"
    )


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user: Any) -> Alert:
    """Marks the alert as seen by an assessor and writes it to the audit trail. Acknowledging
    an alert already acknowledged changes nothing and records nothing."""
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        AuditEvent.objects.create(
            kind=AuditEvent.Kind.ALERT_ACK,
            user=user,
            employee=alert.invitation.employee,
            detail=_("Red-flag alert (emergency)") if alert.emergency else _("Red-flag alert"),
        )
    return alert


# --- Triage --------------------------------------------------------------------------------


def triage_queue() -> Any:
    """Every returned self-assessment waiting for OH, most urgent first."""
    return (
        Invitation.objects.filter(status__in=Invitation.BACKLOG)
        .select_related("employee__department")
        .order_by("urgency", "returned_at", "pk")
    )


@transaction.atomic
def question_ask(*, invitation: Invitation, user: Any, question: str) -> Invitation:
    """Ask the employee a question; they answer on their link (a fresh one is emailed)."""
    if invitation.status not in Invitation.WAITING_FOR_OH:
        raise SelfAssessmentError(_("Only a returned self-assessment can get a question."))
    invitation.question = question.strip()
    invitation.reply = ""
    invitation.replied_at = None
    invitation.status = Invitation.Status.QUESTION
    invitation.expires_at = max(
        invitation.expires_at, timezone.now() + dt.timedelta(days=settings.SELFASSESS_LINK_DAYS)
    )
    invitation.save()
    token = _new_link(invitation)
    try:
        emails.employee_email(invitation, SentEmail.Kind.QUESTION, token)
    except NotDelivered as error:  # nothing is kept: the question waits for a working server
        raise SelfAssessmentError(QUESTION_NOT_SENT) from error
    return invitation


@transaction.atomic
def reply_save(*, invitation: Invitation, reply: str) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status != Invitation.Status.QUESTION:
        raise LinkProblem(410, _("Already sent"), LINK_USED)
    locked.reply = reply.strip()
    locked.replied_at = timezone.now()
    locked.status = Invitation.Status.RETURNED
    locked.save()
    return locked


def _prefill(assessment: Assessment, inputs: dict[str, Any]) -> dict[str, list[str]]:
    """Create the draft's sections from the self-reported inputs; returns the fields filled
    in, by section (for the assessor to confirm)."""
    filled: dict[str, list[str]] = {}
    for model, key in (
        (WorkstationSection, "workstation"),
        (SittingSection, "sitting"),
        (WorkerSection, "worker"),
    ):
        values = inputs.get(key)
        if not values:
            continue
        names = {f.name for f in model._meta.get_fields()}
        kept = {k: v for k, v in values.items() if k in names and v is not None}
        model.objects.create(assessment=assessment, **kept)
        filled[key] = list(kept)
    return filled


CONFIRM = gettext_lazy("From self-assessment, confirm")


def fields_to_confirm(assessment: Assessment) -> dict[str, dict[str, list[str]]]:
    """For a draft opened from a self-assessment: section -> field -> the "confirm" mark,
    for the pre-filled fields of the sections not yet saved by the assessor."""
    invitation = Invitation.objects.filter(assessment=assessment).only("prefilled").first()
    if invitation is None:
        return {}
    return {
        section: {name: [str(CONFIRM)] for name in names}
        for section, names in invitation.prefilled.items()
    }


def section_confirmed(*, assessment: Assessment, section: str) -> None:
    """The assessor saved a pre-filled section: its fields are confirmed."""
    for invitation in Invitation.objects.filter(assessment=assessment):
        if section in invitation.prefilled:
            invitation.prefilled = {k: v for k, v in invitation.prefilled.items() if k != section}
            invitation.save(update_fields=["prefilled"])


def _not_scored_statements(results: dict[str, Any], employee: Employee) -> list[dict[str, Any]]:
    read = snapshot.read_results(results)
    statements = []
    for section, present in (
        ("workstation", read.workstation is not None),
        ("sitting", read.sitting is not None),
        ("worker", read.worker is not None),
    ):
        if not present:
            statements.append(
                {
                    "section": section,
                    "applies": True,
                    "reason": "Not answered in full in the self-assessment",
                }
            )
    statements.append(
        {
            "section": "lifting",
            "applies": employee.work_type != Employee.WorkType.OFFICE,
            "reason": "Lifting is not part of the self-assessment",
        }
    )
    return statements


@transaction.atomic
def visit_book(*, invitation: Invitation, user: Any) -> Assessment:
    """Open a draft assessment pre-filled from the answers; the assessor confirms each
    pre-filled field on the visit."""
    if invitation.status not in Invitation.WAITING_FOR_OH:
        raise SelfAssessmentError(_("This self-assessment is not waiting for triage."))
    draft = record_services.assessment_create(employee=invitation.employee, assessor=user)
    filled = _prefill(draft, invitation.inputs or {})
    draft.notes = _(
        "Pre-filled from the employee's self-assessment of %(date)s: each pre-filled field "
        'is marked "from self-assessment, confirm" until its section is saved.'
    ) % {"date": f"{invitation.returned_at:%d %b %Y}"}
    draft.save(update_fields=["notes"])
    invitation.prefilled = filled
    invitation.assessment = draft
    invitation.status = Invitation.Status.VISIT
    invitation.triaged_at = timezone.now()
    invitation.checked_by = user
    invitation.save()
    return draft


@transaction.atomic
def sign_off(
    *, invitation: Invitation, user: Any, advice: str, action_codes: list[str]
) -> Assessment:
    """Sign the self-assessment off: a completed assessment (completed by the employee,
    checked by the assessor) with the chosen recommendations as actions."""
    if invitation.status not in Invitation.WAITING_FOR_OH or invitation.results is None:
        raise SelfAssessmentError(_("This self-assessment is not waiting for triage."))
    draft = record_services.assessment_create(employee=invitation.employee, assessor=user)
    _prefill(draft, invitation.inputs or {})
    now = timezone.now()
    draft.notes = _(
        "Self-assessment completed by %(employee)s on %(returned)s; checked by %(assessor)s "
        "on %(checked)s. Scores are self-reported.\n\nAdvice: %(advice)s"
    ) % {
        "employee": invitation.employee.name,
        "returned": f"{invitation.returned_at:%d %b %Y}",
        "assessor": user.get_full_name() or user.get_username(),
        "checked": f"{now:%d %b %Y}",
        "advice": advice.strip(),
    }
    draft.save(update_fields=["notes"])
    recommendations = snapshot.read_results(invitation.results).recommendations
    chosen = [
        action_services.ActionDraft.from_recommendation(rec, assessed_on=draft.assessed_on)
        for rec in recommendations
        if rec.code in action_codes
    ]
    try:
        completed = action_services.assessment_complete(
            assessment=draft,
            user=user,
            actions=chosen,
            statements=_not_scored_statements(invitation.results, invitation.employee),
        )
    except Exception as error:  # the scoring or completion rules refused: say why
        raise SelfAssessmentError(str(error)) from error
    # The employee is asked before their manager sees the signed-off assessment.
    consent.consent_request(assessment=completed, user=user)
    invitation.assessment = completed
    invitation.status = Invitation.Status.SIGNED_OFF
    invitation.advice = advice.strip()
    invitation.checked_by = user
    invitation.triaged_at = now
    invitation.save()
    return completed


# --- Events and the cycle ------------------------------------------------------------------


def rule_for(kind: str) -> str:
    rule = EventRule.objects.filter(kind=kind).first()
    return rule.outcome if rule else EventRule.Outcome.INVITE


@transaction.atomic
def event_record(
    *, employee: Employee, kind: str, user: Any, occurred_on: dt.date
) -> EmployeeEvent:
    """Record an event; by its rule it opens an invitation (unless one is in progress) or an
    assessor review."""
    outcome = rule_for(kind)
    event = EmployeeEvent(
        employee=employee, kind=kind, occurred_on=occurred_on, recorded_by=user, outcome=outcome
    )
    event.full_clean()
    if outcome == EventRule.Outcome.INVITE:
        event.invitation = in_progress(employee) or invitation_create(
            employee=employee, user=user, trigger=Invitation.Trigger.EVENT
        )
    event.save()
    return event


def reviews_open() -> Any:
    return EmployeeEvent.objects.filter(
        outcome=EventRule.Outcome.REVIEW, reviewed_at__isnull=True
    ).select_related("employee__department")


def event_reviewed(*, event: EmployeeEvent) -> None:
    event.reviewed_at = timezone.now()
    event.save(update_fields=["reviewed_at"])


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cycle_due(*, now: dt.datetime) -> Any:
    """Current employees whose last assessment (or first day) is older than the cycle and
    who have no self-assessment in progress or signed off within the cycle."""
    cutoff = months_before(now.date(), settings.ASSESSMENT_CYCLE_MONTHS)
    recent_invitation = Q(
        self_assessments__created_at__date__gt=cutoff,
    ) & ~Q(self_assessments__status=Invitation.Status.CANCELLED)
    return (
        Employee.objects.filter(active=True, anonymised_at__isnull=True)
        .annotate(last=Max("assessments__assessed_on", filter=Q(assessments__status="completed")))
        .filter(
            Q(last__lt=cutoff)
            | Q(last__isnull=True, started_on__lt=cutoff)
            | Q(last__isnull=True, started_on__isnull=True, created_at__date__lt=cutoff)
        )
        .exclude(recent_invitation)
        .distinct()
    )


@dataclass
class DueSummary:
    reminders: int = 0
    invited: int = 0
    not_sent: int = 0

    def describe(self) -> str:
        text = f"{self.reminders} reminder(s) sent, {self.invited} invitation(s) for the cycle"
        if self.not_sent:
            text += f", {self.not_sent} reminder(s) not taken by the mail server (sent next run)"
        return text


def send_due(*, now: dt.datetime | None = None) -> DueSummary:
    """Reminders that are due and the cycle's invitations: what a cron job or the scheduled
    task runs. Running it twice sends nothing more (each email is recorded once)."""
    now = now or timezone.now()
    summary = DueSummary()
    kinds = (SentEmail.Kind.REMINDER_1, SentEmail.Kind.REMINDER_2)
    for number, days in enumerate(settings.SELFASSESS_REMINDER_DAYS[: len(kinds)]):
        kind = kinds[number]
        due = Invitation.objects.filter(
            status__in=Invitation.OPEN_FOR_ANSWERS,
            sent_at__isnull=False,
            created_at__lte=now - dt.timedelta(days=days),
            expires_at__gt=now,
        ).exclude(emails__kind=kind)
        for invitation in due.select_related("employee"):
            try:
                with transaction.atomic():
                    token = _new_link(invitation)
                    if emails.employee_email(invitation, kind, token):
                        invitation.reminders_sent = number + 1
                        invitation.last_reminded_at = now
                        invitation.save(update_fields=["reminders_sent", "last_reminded_at"])
                        summary.reminders += 1
            except IntegrityError:  # another run sent it first
                continue
            except NotDelivered:  # nothing recorded: the next run sends it
                summary.not_sent += 1
    for employee in cycle_due(now=now):
        invitation_create(employee=employee, user=None, trigger=Invitation.Trigger.CYCLE, now=now)
        summary.invited += 1
    return summary
