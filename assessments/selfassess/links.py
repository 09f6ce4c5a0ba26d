"""What an employee's link page says when the link cannot be used (self-assessment and
consent links alike)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class LinkProblem(Exception):
    """Why a link cannot be used, in plain words, with the HTTP status to answer."""

    def __init__(self, status: int, heading: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message


LINK_INVALID = _(
    "This link is not valid. It may have been copied incompletely. Please use the link in "
    "your most recent email, or ask occupational health for a new one."
)
