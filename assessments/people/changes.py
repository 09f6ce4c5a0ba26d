"""Keeping the dashboard's stored counts in step with the changes that move them.

Two ways, both inside the transaction of the change:

- `employees_changing(employee_ids)`, around a use case that changes one or a few
  employees (completing or amending an assessment, updating actions, saving, moving,
  deleting or erasing an employee). The hooks registered with `on_employees_changing` (the
  insights app registers the one that keeps its counts, `assessments.insights.tallies`)
  count those employees' rows before and after the change and apply the difference, so
  the next dashboard reads current counts without recounting a department.
- `departments_changed(department_ids)`, for what changes too many employees to count them
  one by one (bulk loads, admin edits): the dashboard recounts those departments before
  it reads their stored counts, so a figure is never read from counts older than the last
  committed change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

from django.db import transaction
from django.db.models import F

from assessments.people.models import Department, DepartmentTally, Employee

#: Given the ids of employees about to change (sorted, unique), a context manager entered
#: before the change and left after it, in the change's transaction.
ChangeHook = Callable[[list[int]], AbstractContextManager[object]]

_hooks: list[ChangeHook] = []
_active = threading.local()


def on_employees_changing(hook: ChangeHook) -> None:
    """Register a hook for `employees_changing` (once, from an app's `ready`)."""
    if hook not in _hooks:
        _hooks.append(hook)


def _watched() -> set[int]:
    if not hasattr(_active, "ids"):
        _active.ids = set()
    watched: set[int] = _active.ids
    return watched


@contextmanager
def employees_changing(employee_ids: Iterable[int | None]) -> Iterator[None]:
    """Around a change to these employees' records (their assessments, actions, department
    or status): keeps what depends on them current, in the same transaction.

    Nested use is safe: employees already watched by an enclosing `employees_changing` are
    left to it. Without a registered hook, the employees' departments are marked changed.
    """
    watched = _watched()
    ids = sorted({pk for pk in employee_ids if pk is not None} - watched)
    if not ids:
        yield
        return
    with transaction.atomic():
        if not _hooks:
            before = _departments_of(ids)
            yield
            departments_changed([*before, *_departments_of(ids)])
            return
        watched.update(ids)
        try:
            with ExitStack() as stack:
                for hook in _hooks:
                    stack.enter_context(hook(ids))
                yield
        finally:
            watched.difference_update(ids)


def _departments_of(employee_ids: list[int]) -> list[int]:
    employees = Employee.objects.filter(pk__in=employee_ids)
    return list(employees.values_list("department_id", flat=True))


def departments_changed(department_ids: Iterable[int | None]) -> None:
    """Note that these departments' counts must be recounted before they are read."""
    ids = sorted({d for d in department_ids if d is not None})
    if ids:
        DepartmentTally.objects.filter(department_id__in=ids).update(version=F("version") + 1)


def all_departments_changed() -> None:
    """After a bulk load, or anything else written outside the use cases."""
    existing = set(DepartmentTally.objects.values_list("department_id", flat=True))
    DepartmentTally.objects.bulk_create(
        DepartmentTally(department_id=pk)
        for pk in Department.objects.values_list("pk", flat=True)
        if pk not in existing
    )
    DepartmentTally.objects.update(version=F("version") + 1)
