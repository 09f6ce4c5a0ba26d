"""A manager: the dashboard and the manager report of their department, never the OH
report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.records.models import Assessment
from tests.browser.support import Problems, open_menu, sign_in

pytestmark = pytest.mark.browser


def test_manager_downloads_the_manager_report_but_cannot_open_the_oh_report(
    page: Page, manager: User, completed: Assessment, problems: Problems
) -> None:
    sign_in(page, manager)

    open_menu(page).get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    risk_now = page.get_by_role("region", name="Risk now")
    expect(risk_now).to_contain_text("1 employees with a current assessment")
    expect(risk_now).to_contain_text("Customer Service")

    # From the dashboard's count of high-risk employees to the assessment itself.
    risk_now.get_by_role("link", name="1 high", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    page.get_by_role("link", name="Robin Patel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment of Robin Patel")
    expect(page.get_by_role("link", name="OH report (PDF)")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("BMI")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Manager report (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("manager-report-robin-patel-")
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")

    # Typing the OH report's address is refused, as a page, not a download.
    for url in (
        reverse("report_pdf", args=[completed.pk, "oh"]),
        reverse("report_preview", args=[completed.pk, "oh"]),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Forbidden|403"))
        expect(page.locator("body")).not_to_contain_text("BMI")

    # The refusals are the only errors the browser saw.
    assert all("403 (Forbidden)" in message for message in problems.messages), "\n".join(
        problems.messages
    )
