"""Selects in a real browser on a tablet and a desktop: none cuts off its longest choice,
in the filters above the lists (a department with its site, "Not replaced by an
amendment") or in the lifting-task form (the NIOSH duration and coupling sentences)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.people.models import Department, Employee, Site
from tests.browser.support import sign_in

pytestmark = pytest.mark.browser

LISTS = ["employee_list", "assessment_list", "action_list", "action_board"]

# Each single-choice select whose longest option is wider than the room inside it.
CUT_OFF_JS = """() => {
  const ctx = document.createElement("canvas").getContext("2d");
  const cut = [];
  for (const select of document.querySelectorAll("main select:not([multiple])")) {
    if (select.clientWidth === 0) continue;  // in a tab that is not shown
    const style = getComputedStyle(select);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding;
    for (const option of select.options) {
      const need = ctx.measureText(option.text).width;
      if (need > room + 1) {
        cut.push(`${select.name}: "${option.text}" needs ${Math.ceil(need)}px of ${room}px`);
      }
    }
  }
  return cut;
}"""


@pytest.mark.parametrize("width", [820, 1280])
def test_no_filter_choice_is_cut_off(page: Page, main_pages: dict[str, Any], width: int) -> None:
    site = Site.objects.create(name="Riverside Distribution Centre")
    Employee.objects.create(
        hr_reference="E777",
        name="Amira Okafor",
        job_title="Picker",
        department=Department.objects.create(site=site, name="Picking and Despatch"),
    )
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, main_pages["assessor"])
    for name in LISTS:
        page.goto(reverse(name))
        assert page.evaluate(CUT_OFF_JS) == [], name


@pytest.mark.parametrize("width", [820, 1280])
def test_no_lifting_task_choice_is_cut_off(
    page: Page, main_pages: dict[str, Any], width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, main_pages["assessor"])
    page.goto(main_pages["draft"].get_absolute_url())
    page.get_by_role("tab", name="Lifting tasks").click()
    expect(page.locator("#id_task-new-coupling")).to_be_visible()
    assert page.evaluate(CUT_OFF_JS) == []
