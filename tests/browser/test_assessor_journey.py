"""An assessor on a tablet: start an assessment, fill it with live results, complete it,
download the OH report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from assessments.people.models import Employee
from assessments.records.models import Assessment, LiftingTask
from tests.browser.support import TABLET, Problems, open_menu, sign_in

pytestmark = pytest.mark.browser

UNSAVED_NOTE = "Showing results with your unsaved changes"


def lifting_index_cell(panel: Locator) -> Locator:
    """The LI of the first task's origin, found by its column heading in the results panel."""
    table = panel.locator("table").filter(has=panel.page.locator("th", has_text=re.compile("^LI$")))
    headings = [h.strip() for h in table.locator("thead th").all_text_contents()]
    return table.locator("tbody tr").first.locator("td").nth(headings.index("LI"))


def fill_workstation(page: Page) -> None:
    """Answer every ROSA item: none starts answered."""
    form = page.locator("#section-workstation")
    choices = {
        "seat_height": "too_high",
        "seat_depth": "ok",
        "armrests": "supported",
        "back_support": "no_lumbar",
        "monitor": "too_low",
        "phone": "neutral",
        "mouse": "reaching",
        "keyboard": "neutral",
    }
    for name, value in choices.items():
        form.locator(f'[name="workstation-{name}"][value="{value}"]').check()
    form.locator('[name="workstation-seat_height_non_adjustable"]').check()
    hours = {"chair": ("7", "60"), "monitor": ("7", "60"), "phone": ("0.5", "10")}
    hours |= {"mouse": ("5", "45"), "keyboard": ("5", "45")}
    for device, (per_day, longest) in hours.items():
        form.locator(f'[name="workstation-{device}_hours_per_day"]').fill(per_day)
        form.locator(f'[name="workstation-{device}_longest_continuous_minutes"]').fill(longest)


def add_lifting_task(page: Page) -> None:
    form = page.locator("#new-task")
    values = {
        "label": "Boxes to shelf",
        "load": "15",
        "frequency": "2",
        "h_origin": "50",
        "v_origin": "30",
        "asymmetry_origin": "30",
        "h_dest": "40",
        "v_dest": "120",
        "asymmetry_dest": "0",
    }
    for name, value in values.items():
        form.locator(f'[name="task-new-{name}"]').fill(value)
    form.locator('[name="task-new-duration"]').select_option("moderate")
    form.locator('[name="task-new-coupling"]').select_option("fair")
    form.get_by_role("button", name="Add task").click()


def test_assessor_assesses_on_a_tablet_and_downloads_the_oh_report(
    page: Page, assessor: User, employee: Employee, problems: Problems
) -> None:
    assert page.viewport_size == TABLET
    sign_in(page, assessor)

    open_menu(page).get_by_role("link", name="Employees").click()
    page.get_by_role("link", name="Robin Patel").click()
    page.get_by_role("button", name="New assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment of Robin Patel")
    assessment = Assessment.objects.get(employee=employee)
    panel = page.locator("#results-panel")
    expect(panel).to_contain_text("Workstation: not assessed.")

    # Workstation: fill, save through htmx, and the results panel reloads with ROSA.
    fill_workstation(page)
    page.get_by_role("button", name=re.compile("^Save workstation")).click()
    expect(page.locator("#section-workstation").get_by_role("status")).to_have_text(
        "Workstation (ROSA) saved."
    )
    expect(panel).to_contain_text("ROSA workstation: final")
    section = assessment.workstation
    assert (section.seat_height, section.monitor, section.chair_hours_per_day) == (
        "too_high",
        "too_low",
        7.0,
    )

    # Lifting: add a task (a full-page post that returns to the lifting tab).
    page.get_by_role("tab", name=re.compile("^Lifting tasks")).click()
    add_lifting_task(page)
    expect(page.get_by_role("status").first).to_contain_text("Boxes to shelf")
    expect(page.get_by_role("tab", name=re.compile("^Lifting tasks"))).to_have_attribute(
        "aria-selected", "true"
    )
    task = LiftingTask.objects.get(assessment=assessment)
    li = lifting_index_cell(panel)
    expect(li).to_have_text("2.40")

    # Editing the load updates the LI as the assessor types, before anything is saved.
    card = page.locator(f"#card-task-{task.pk}")
    load = card.locator(f'[name="task-{task.pk}-load"]')
    load.fill("")
    load.press_sequentially("10", delay=40)
    expect(panel).to_contain_text(UNSAVED_NOTE)
    expect(li).to_have_text("1.60")
    task.refresh_from_db()
    assert task.load == 15.0

    card.get_by_role("button", name="Save task").click()
    expect(card.get_by_role("status")).to_have_text("Task saved.")
    expect(panel).not_to_contain_text(UNSAVED_NOTE)
    expect(li).to_have_text("1.60")
    task.refresh_from_db()
    assert task.load == 10.0

    # Completion page: the recommendations become actions with due dates filled in.
    page.get_by_role("link", name=re.compile("^Review and complete")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Complete the assessment of Robin Patel"
    )
    expect(page.get_by_role("heading", name="Actions from the recommendations")).to_be_visible()
    first_due = page.locator('input[type="date"][name$="due_on"]').first
    expect(first_due).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    # Sitting and worker factors were not assessed on this visit: the assessor says why,
    # section by section, before the result (based on the sections assessed) is signed.
    for section, why in (
        ("sitting", "Sitting time is recorded at the follow-up visit"),
        ("worker", "The employee was not available for the questionnaire"),
    ):
        page.locator(f'[name="statement_{section}"][value="could_not_assess"]').check()
        page.locator(f'[name="statement_{section}_reason"]').fill(why)
    page.get_by_role("button", name="Complete assessment").click()

    expect(page.get_by_role("status").first).to_contain_text("Assessment completed with")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    actions = page.get_by_role("region", name="Actions").get_by_role("listitem")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.COMPLETED
    assert assessment.actions.count() > 0
    expect(actions).to_have_count(assessment.actions.count())

    with page.expect_download() as download_info:
        page.get_by_role("link", name="OH report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("oh-report-robin-patel-")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    assert problems.messages == [], "\n".join(problems.messages)
