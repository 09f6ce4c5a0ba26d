"""ETags on reads and `If-Match` on updates: the optimistic locking the forms use.

A read answers with an `ETag`; an update must send it back in `If-Match`. Without one the
update is refused with 428 (Precondition Required); with one that is no longer current
(someone changed the record in between) with 412 (Precondition Failed), and nothing is
written.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

IF_MATCH_REQUIRED_MESSAGE = _(
    "Send the ETag of the version you read in an If-Match header, so that a change made "
    "since is not overwritten."
)
STALE_MESSAGE = _(
    "This record was changed since you read it (its ETag differs): read it again, then "
    "send your change with the new ETag."
)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = IF_MATCH_REQUIRED_MESSAGE
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = STALE_MESSAGE
    default_code = "precondition_failed"


def etag_of(*parts: Any) -> str:
    """A strong ETag for a version made of `parts` (JSON-serialisable values)."""
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def if_match(request: Request) -> list[str]:
    """The ETags of `If-Match`; raises 428 when the header is missing."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired
    return _tags(header)


def require_current(request: Request, current: str) -> None:
    """Refuse the update unless `If-Match` names the current ETag (or `*`)."""
    tags = if_match(request)
    if "*" not in tags and current not in tags:
        raise PreconditionFailed


def not_modified(request: Request, current: str) -> bool:
    """Whether `If-None-Match` already names the current ETag (answer 304)."""
    header = request.headers.get("If-None-Match", "")
    return bool(header) and (current in _tags(header) or header.strip() == "*")
