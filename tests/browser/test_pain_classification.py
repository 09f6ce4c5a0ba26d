"""One classification everywhere: inflammatory-pattern pain recorded in the browser through
the pain-pattern questions alone is "possible inflammatory" on the page, in the OH report,
on the command line, and is never scored as mechanical in the manager's report."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.records.models import Assessment
from tests.browser.support import Problems, sign_in

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CLASS = "Pain pattern: Possible inflammatory back pain"


def _download_text(page: Page, link: str) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_inflammatory_pain_is_classed_alike_on_the_page_in_both_pdfs_and_the_command_line(
    page: Page, assessor: User, draft: Assessment, problems: Problems, tmp_path: Path
) -> None:
    sign_in(page, assessor)
    page.goto(draft.get_absolute_url())
    page.get_by_role("tab", name=re.compile("^Worker factors")).click()
    form = page.locator("#section-worker")
    # A 30-year-old, 20 weeks of pain that came on gradually, eases with movement, is not
    # eased by rest, wakes them late in the night easing on getting up, 45 min stiffness.
    for name, value in {
        "age_years": "30",
        "pain_duration_weeks": "20",
        "episodes_last_12_months": "0",
        "morning_stiffness_minutes": "45",
    }.items():
        form.locator(f'[name="worker-{name}"]').fill(value)
    for name in (
        "asas_insidious_onset",
        "pain_eases_with_movement",
        "pain_returns_after_rest",
        "night_pain_eases_on_rising",
    ):
        form.locator(f'[name="worker-{name}"]').check()
    form.get_by_role("button", name="Save worker factors").click()
    expect(form.get_by_role("status")).to_contain_text("saved")
    panel = page.locator("#results-panel")
    expect(panel).to_contain_text("Consider referral: Possible inflammatory back pain")
    expect(panel).to_contain_text("Not scored as mechanical back pain.")

    page.get_by_role("link", name=re.compile("^Review and complete")).click()
    page.get_by_role("button", name="Complete assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    main = page.locator("main")
    expect(main).to_contain_text(CLASS)
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.COMPLETED
    band = draft.results["strain"]["band"]
    assert draft.results["worker"]["pain_class"] == "possible_inflammatory"

    oh = _download_text(page, "OH report (PDF)")
    assert CLASS in oh
    assert "Mechanical pattern: no" in oh
    manager = _download_text(page, "Manager report (PDF)")
    # The manager's report carries the same band and no clinical classification at all.
    assert f"Risk band: {band.capitalize()}" in manager
    assert "Pain pattern" not in manager
    assert "inflammatory" not in manager.lower()

    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(draft.inputs), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "assessments.scoring", str(inputs)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    cli = json.loads(run.stdout)
    assert cli["worker"]["pain_class"] == "possible_inflammatory"
    assert cli["worker"]["mechanical_pattern"] is False
    assert cli["strain"]["band"] == band
    assert cli["recommendations"][0]["code"] == "clinical.inflammatory_referral"

    assert problems.messages == [], "\n".join(problems.messages)
