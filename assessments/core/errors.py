"""Errors shared by the use cases of several packages."""

from __future__ import annotations

from django.db import models


class StaleEditError(Exception):
    """Someone else saved this section since the form was opened."""

    def __init__(self, current: models.Model, changed: list[str]) -> None:
        super().__init__("This section was changed by someone else since you opened it.")
        self.current = current
        self.changed = changed
