"""The retention period: when a leaver's records are due for anonymisation.

An employee is due on the anniversary of their leaving date
`settings.RETENTION_YEARS_AFTER_LEAVING` years on, if not anonymised yet
(`assessments.privacy.services.leavers_due`, run daily by `manage.py anonymise_leavers`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def retention_cutoff(*, today: dt.date, years: int | None = None) -> dt.date:
    """The latest leaving date whose retention period has ended by `today`."""
    years = settings.RETENTION_YEARS_AFTER_LEAVING if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one
        return today.replace(year=today.year - years, day=28)


def is_due(*, left_on: dt.date | None, today: dt.date) -> bool:
    """Whether a leaving date puts someone past the retention period today."""
    return left_on is not None and left_on <= retention_cutoff(today=today)
