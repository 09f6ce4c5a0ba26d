"""Words and numbers as people read them: articles before numbers, the task's own units,
hours to one decimal, medians that say what they are, an empty list said once, and the
manager report in plain language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.core import charts
from assessments.core.wording import indefinite_article
from assessments.records import services
from assessments.records.models import SittingSection
from assessments.reporting import context as report_context
from tests.conftest import SITTING, client_for, complete

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "article"),
    [
        ("8.0", "an"),
        ("7.5", "a"),
        ("11", "an"),
        ("18.5", "an"),
        ("12", "a"),
        ("0.5", "a"),
        ("80", "an"),
        ("800", "an"),
        ("100", "a"),
        ("18,000", "an"),
        ("1,000", "a"),
    ],
)
def test_indefinite_article_follows_the_number_as_read_aloud(number, article):
    assert indefinite_article(number) == article


def test_live_results_say_an_8_hour_day(assessor, draft):
    html = client_for(assessor).get(reverse("assessment_detail", args=[draft.pk])).text
    assert "Sitting 6.8 h of an 8.0 h day" in html
    assert "of a 8.0 h day" not in html


def test_live_results_say_a_7_5_hour_day(assessor, draft):
    SittingSection.objects.filter(assessment=draft).update(hours_worked_per_day=7.5)
    html = client_for(assessor).get(reverse("assessment_detail", args=[draft.pk])).text
    assert "h of a 7.5 h day" in html


def test_no_recommendations_is_said_once(assessor, employee):
    draft = services.assessment_create(employee=employee, assessor=assessor)
    SittingSection.objects.create(
        assessment=draft,
        **{
            **SITTING,
            "hours_worked_per_day": 7.5,
            "pct_sitting": 30,
            "pct_standing": 40,
            "pct_walking": 30,
            "longest_sitting_bout_minutes": 30,
            "moderate_minutes_per_week": 200,
            "strengthening_days_per_week": 2,
        },
    )
    preview = services.assessment_preview(assessment=draft)
    assert preview.results is not None and preview.results["recommendations"] == []
    html = client_for(assessor).get(reverse("assessment_detail", args=[draft.pk])).text
    assert "Recommendations (0)" not in html and '<li class="text-muted">None.</li>' not in html
    assert html.count('id="no-recommendations"') == 1
    assert "None: nothing recorded so far calls for a change." in html


@pytest.fixture
def sits_6_4_hours(draft, assessor):
    """A completed assessment of someone sitting 6.4 h of an 8 h day."""
    SittingSection.objects.filter(assessment=draft).update(pct_sitting=80, pct_standing=15)
    return complete(draft, assessor)


def test_sitting_bars_show_hours_to_one_decimal(assessor, sits_6_4_hours):
    html = client_for(assessor).get(reverse("assessment_detail", args=[sits_6_4_hours.pk])).text
    assert ">6.4 / 8.0</text>" in html  # not "6 / 8"
    assert ">60 / 300</text>" in html  # activity minutes stay whole
    bars = report_context.oh_context(sits_6_4_hours)["sitting_bars"]
    assert [b["shown"] for b in bars] == ["6.4 / 8.0", "1.6 / 4.0", "60 / 300"]


def test_dashboard_medians_say_they_are_medians(assessor, completed):
    html = client_for(assessor).get(reverse("dashboard")).text
    score = f"{completed.strain_score:.0f}"
    assert f">median {score}</text>" in html  # above the quarter's column
    assert f">{charts.MEDIAN_CAPTION}</text>" in html
    assert '<th scope="col">Median score</th>' in html
    narrow = charts.stacked_quarters([(f"Q{i}", {"low": 1}, 40.0) for i in range(12)])
    assert ">40</text>" in narrow and ">median 40</text>" not in narrow
    assert f">{charts.MEDIAN_CAPTION}</text>" in narrow


def test_manager_report_says_what_each_finding_means_without_the_points(
    manager, assessor, completed
):
    html = client_for(manager).get(reverse("report_preview", args=[completed.pk, "manager"])).text
    start = html.index('id="findings"')
    findings = re.sub(r"<[^>]+>", "", html[start : html.index("</section>", start)])
    # Sitting 6.8 of 8 h (+2) with a 120-minute bout (+1): level 3.
    assert (
        "Time spent sitting: high risk. Sitting 6.8 h per workday (6 to &lt; 8 h). "
        "Longest uninterrupted sitting bout 120 min (&gt; 60 min)."
    ) in findings
    assert "Workstation: " in findings and "Lifting: " in findings
    assert not re.search(r": \+\d|\bLevel \d|: level \d|of 4\)", findings)
    oh_html = client_for(assessor).get(reverse("report_preview", args=[completed.pk, "oh"])).text
    assert "(6 to &lt; 8 h): +2" in oh_html  # OH keeps the scoring detail
