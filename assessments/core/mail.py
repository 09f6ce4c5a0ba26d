"""Sending an email as part of a change a person makes.

The mail server is another service: it may be down, refuse a message or time out. That
must never turn the change into an error page, nor lose what the person entered (an
employee's red-flag answers, an assessment an assessor completes). `deliver` sends one
message or raises `NotDelivered`, after logging why without the address or the text; each
caller decides what its change is without the email: recorded as not sent (so it is sent
again later), or refused with a message saying nothing was changed.
"""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage

logger = logging.getLogger(__name__)

#: What a mail server that is down, unreachable, refusing or too slow raises (OSError covers
#: refused connections, unreachable hosts and timeouts).
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


class NotDelivered(Exception):
    """The mail server did not take the message."""


def deliver(message: EmailMessage, *, what: str) -> None:
    """Send `message` (`what` names it in the log: a kind and an id, never an address)."""
    try:
        message.send()
    except DELIVERY_ERRORS as error:
        # The error's type only: a refusal's text may quote the address.
        logger.warning("%s not sent: %s from the mail server", what, type(error).__name__)
        raise NotDelivered(what) from error
