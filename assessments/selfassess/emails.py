"""The emails of the self-assessment loop, sent through Django's email backends.

No email holds an answer: the employee's emails carry their link, OH's alert email says
only that a self-assessment needs urgent attention and where to look. Each email sent is
recorded (`SentEmail`); one the mail server did not take is not recorded, so the next
reminder run, or the next red-flag answer, sends it again (`core.mail`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.core.mail import NotDelivered, deliver
from assessments.selfassess.models import Invitation, SentEmail


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("selfassess_link", args=[token])


def _employee_message(invitation: Invitation, kind: str, token: str) -> EmailMessage:
    url = link_url(token)
    expires = f"{invitation.expires_at:%d %B %Y}"
    if kind == SentEmail.Kind.QUESTION:
        subject = _("A question from occupational health about your self-assessment")
        body = _(
            "Occupational health has a question about your workstation self-assessment. "
            "Please answer it through this link:\n\n%(url)s\n\nThe link is yours alone; "
            "do not forward it."
        ) % {"url": url}
    else:
        reminder = kind != SentEmail.Kind.INVITATION
        subject = (
            _("Reminder: your workstation self-assessment")
            if reminder
            else _("Your workstation self-assessment")
        )
        body = _(
            "Hello %(name)s,\n\nPlease answer a short self-assessment of your workstation "
            "and your back (about 10 minutes; it works on a phone). Your answers go to "
            "occupational health only, not to your manager.\n\n%(url)s\n\n"
            "The link works until %(expires)s; no account or password is needed. "
            "The link is yours alone; do not forward it."
        ) % {"name": invitation.employee.name, "url": url, "expires": expires}
    return EmailMessage(subject=subject, body=body, to=[invitation.employee.email])


def employee_email(invitation: Invitation, kind: str, token: str) -> bool:
    """Send one email to the employee; False when they have no address. Raises
    `NotDelivered` (nothing recorded) when the mail server does not take it."""
    if not invitation.employee.email:
        return False
    _record_and_send(invitation, kind, _employee_message(invitation, kind, token))
    return True


def _record_and_send(invitation: Invitation, kind: str, message: EmailMessage) -> None:
    """Record the email and send it; `NotDelivered` takes the record back."""
    with transaction.atomic():  # the record stays only if the email went
        # Recorded first: a second run that races this one fails on the unique record.
        SentEmail.objects.create(invitation=invitation, kind=kind)
        deliver(message, what=f"{kind} email of self-assessment {invitation.pk}")


def alert_email(invitation: Invitation, *, emergency: bool) -> bool:
    """Tell OH that a red flag is waiting: no names of conditions, no answers. False when
    no one is to be told or the mail server did not take it (the employee's answers and
    the alert are kept either way)."""
    recipients = list(settings.OH_ALERT_EMAILS)
    if not recipients:
        return False
    subject = (
        _("EMERGENCY: a self-assessment needs OH now")
        if emergency
        else _("Urgent: a self-assessment raised a red flag")
    )
    body = _(
        "A self-assessment was answered with a red-flag answer. The employee was shown what "
        "to do. Review it and acknowledge the alert:\n\n%(url)s"
    ) % {"url": settings.SITE_URL + reverse("selfassess_detail", args=[invitation.pk])}
    message = EmailMessage(subject=subject, body=body, to=recipients)
    try:
        _record_and_send(invitation, SentEmail.Kind.ALERT, message)
    except NotDelivered:
        # The alert itself is saved and shown to OH; the email goes with the next answer.
        return False
    return True
