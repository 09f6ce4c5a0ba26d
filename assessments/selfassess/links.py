"""What an employee's link page says when the link cannot be used (self-assessment and
consent links alike)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.selfassess import tokens

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LinkProblem(Exception):
    """Why a link cannot be used, in plain words, with the HTTP status to answer."""

    def __init__(self, status: int, heading: StrOrPromise, message: StrOrPromise) -> None:
        super().__init__(message)
        self.status = status
        self.heading = str(heading)
        self.message = str(message)


LINK_INVALID = gettext_lazy(
    "This link is not valid. It may have been copied incompletely. Please use the link in "
    "your most recent email, or ask occupational health for a new one."
)


def stored_key(keys: QuerySet[Any], token: str, salt: str) -> Any:
    """The stored key of a link token (`keys`: the link model's rows, with what the caller
    needs selected), or a 404 `LinkProblem` when the token was tampered with or is unknown."""
    secret = tokens.secret_of(token, salt)
    key = keys.filter(token_hash=tokens.token_hash(secret)).first() if secret else None
    if key is None:
        raise LinkProblem(404, _("This link is not valid"), LINK_INVALID)
    return key
