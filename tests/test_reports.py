"""The three reports as HTML: what each shows, in which order, and what managers never see.

The HTML is what the PDFs are rendered from, fetched here through the browser previews.
PDF-level checks (downloads, pages, stored files) are in test_report_pdfs.py.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape

from assessments import redaction, services
from assessments.models import Action, Assessment, Employee
from assessments.reports import context
from tests.conftest import client_for, complete, fill_draft
from tests.report_data import add_photos, complete_with_actions, full_draft

pytestmark = pytest.mark.django_db

OH_SECTIONS = [
    "summary",
    "strain",
    "referrals",
    "rosa",
    "lifting",
    "sitting",
    "worker",
    "photos",
    "actions",
    "sources",
]
MANAGER_SECTIONS = ["findings", "photos", "actions", "reassessment"]
DEPARTMENT_SECTIONS = [
    "headcount",
    "bands",
    "trend",
    "findings",
    "actions",
    "reassessments",
    "employees",
]


@pytest.fixture
def full(employee: Employee, assessor: Any, manager: Any) -> Assessment:
    """Three lifting tasks, ten actions, two photos, and every kind of health detail."""
    assessment = complete_with_actions(
        full_draft(employee=employee, assessor=assessor), user=assessor, owner=manager
    )
    add_photos(assessment, user=assessor)
    return assessment


def _preview(user: Any, assessment: Assessment, kind: str) -> str:
    response = client_for(user).get(reverse("report_preview", args=[assessment.pk, kind]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def oh_html(full: Assessment, assessor: Any) -> str:
    return _preview(assessor, full, "oh")


@pytest.fixture
def manager_html(full: Assessment, manager: Any) -> str:
    return _preview(manager, full, "manager")


@pytest.fixture
def department_html(full: Assessment, manager: Any, department: Any) -> str:
    return _department_preview(manager, [department.pk])


def _department_preview(user: Any, departments: list[int], client: Any = None) -> str:
    today = timezone.localdate()
    response = (client or client_for(user)).get(
        reverse("department_report"),
        {
            "departments": departments,
            "start": (today - dt.timedelta(days=365)).isoformat(),
            "end": today.isoformat(),
            "format": "html",
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start : html.index("</section>", start)]


def section_order(html: str) -> list[str]:
    return re.findall(r'<section id="([a-z-]+)">', html)


def two(value: float) -> str:
    return f"{value:.2f}"


# --- OH report ---------------------------------------------------------------------------


def test_oh_report_sections_follow_the_agreed_order(oh_html):
    assert section_order(oh_html) == OH_SECTIONS
    assert oh_html.index(escape(context.DISCLAIMER)) > oh_html.index('<section id="sources">')


def test_oh_report_cover_names_the_employee_job_assessor_date_revision_and_model(oh_html, full):
    cover = oh_html[: oh_html.index('<section id="summary">')]
    employee = full.employee
    for text in [
        employee.name,
        employee.hr_reference,
        employee.job_title,
        "Customer Service, Northgate",
        "Alex",
        dateformat.format(full.assessed_on, "j F Y"),
        dateformat.format(full.reassess_due, "j F Y"),
        f"EA-{full.pk:06d}-R1",
        full.scoring_version,
        "Very high",
    ]:
        assert escape(text) in cover, text


def test_oh_report_summary_says_the_band_and_what_drives_it_in_plain_words(oh_html):
    summary = section(oh_html, "summary")
    assert "risk of recurrent low back pain from mechanical strain is very high" in summary
    assert "driven mainly by lifting" in summary
    assert "A clinical referral is advised" in summary


def test_oh_report_shows_the_score_band_and_every_component_with_points_and_reasons(oh_html, full):
    strain = full.results["strain"]
    part = section(oh_html, "strain")
    assert f"<strong>{strain['score']:.1f}</strong> of 100" in part
    assert 'class="band band-very_high">Very high' in part
    assert "<svg" in part and "Strain score: points by component" in part
    assert len(strain["components"]) == 6
    for c in strain["components"]:
        row = f"<td>{c['component'].capitalize()}</td><td>{c['weight']}</td><td>{c['level']}</td>"
        assert f"{row}<td>{two(c['points'])}</td>" in part, c["component"]
        for reason in c["reasons"]:
            assert escape(reason) in part
    for floor in strain["floors_applied"]:
        assert escape(floor) in part


def test_oh_report_puts_red_flag_referrals_in_a_prominent_box(oh_html, full):
    referrals = full.results["referrals"]
    assert referrals, "the full assessment has red flags"
    part = section(oh_html, "referrals")
    for r in referrals:
        assert escape(r["reason"]) in part
    assert '<div class="alert alert-urgent"><strong>Urgent clinical review:</strong>' in part


def test_oh_report_without_referrals_has_no_referral_box(completed, assessor):
    html = _preview(assessor, completed, "oh")
    assert not completed.results["referrals"]
    assert 'id="referrals"' not in html and "alert-urgent" not in html


def test_oh_report_shows_rosa_sub_scores_and_the_observations_behind_them(oh_html, full):
    rosa = full.results["workstation"]["result"]
    part = section(oh_html, "rosa")
    row = "".join(
        f"<td>{rosa[key]}</td>"
        for key in (
            "chair",
            "monitor_total",
            "phone_total",
            "monitor_phone",
            "mouse_total",
            "keyboard_total",
            "mouse_keyboard",
            "peripherals",
        )
    )
    assert f"{row}<td><strong>{rosa['final']}</strong></td>" in part
    for finding in full.results["workstation"]["findings"]:
        assert f"{escape(finding['text'])} (+{finding['points']})" in part


def test_oh_report_shows_each_lifting_task_with_multipliers_rwl_and_li_at_each_end(oh_html, full):
    lifting = full.results["lifting"]
    part = section(oh_html, "lifting")
    assert len(lifting["tasks"]) == 3
    assert (
        f"Composite lifting index (CLI) <strong>{two(lifting['composite_lifting_index'])}" in part
    )
    bodies = part.split('<tbody class="keep">')[1:]
    assert len(bodies) == 3
    ends_seen = 0
    for task, body in zip(lifting["tasks"], bodies, strict=True):
        assert escape(task["task"]["label"]) in body
        ends = [task["origin"]] + ([task["destination"]] if task["destination"] else [])
        for end in ends:
            m = end["multipliers"]
            cells = "".join(f"<td>{two(m[f])}</td>" for f in ("hm", "vm", "dm", "am", "fm", "cm"))
            expected = (
                f"{cells}\n    <td>{end['rwl']:.1f}</td><td><strong>{two(end['lifting_index'])}"
            )
            assert expected in body, (task["task"]["label"], end["point"])
            assert f"<td>{end['point']}</td>" in body
            ends_seen += 1
    assert ends_seen == 4  # the task with significant control is evaluated at both ends


def test_oh_report_shows_the_what_if_of_every_lifting_recommendation(oh_html, full):
    part = section(oh_html, "lifting")
    what_ifs = [r for r in full.results["recommendations"] if r["what_if"]]
    assert len(what_ifs) >= 5
    for rec in what_ifs:
        row = (
            f"<td>{escape(rec['title'])}</td><td>{escape(rec['what_if'])}</td>"
            f"<td>{two(rec['lifting_index'])}</td>"
            f"<td><strong>{two(rec['what_if_lifting_index'])}</strong></td>"
        )
        assert row in part, rec["code"]
    assert context.ALL_TASKS in part  # job rotation changes the composite index


def test_oh_report_shows_sitting_and_activity_figures_against_the_guidelines(oh_html, full):
    st = full.results["sitting"]
    part = section(oh_html, "sitting")
    assert f"{st['sitting_hours']:.1f} h a day" in part
    assert (
        f"{st['standing_light_hours']:.1f} h a day (goal {st['goal_initial_hours']:.1f} h" in part
    )
    assert f"{st['moderate_equivalent_minutes']:.0f} moderate-equivalent min/week" in part
    assert "WHO 2020: at least 150" in part
    assert "Sitting and activity against the guidelines" in part  # the chart's title
    for reason in st["reasons"]:
        assert escape(reason) in part


def test_oh_report_shows_worker_factors(oh_html, full):
    wk = full.results["worker"]
    part = section(oh_html, "worker")
    assert f"{wk['bmi']:.1f} kg/m² (obese)" in part
    assert "Yes, 9 weeks (subacute)" in part
    assert "<td>7/10</td>" in part
    for flag in wk["yellow_flags"] + wk["red_flags"]:
        assert escape(flag) in part


def test_oh_report_shows_photos_with_captions(oh_html):
    part = section(oh_html, "photos")
    assert part.count("<img ") == 2
    assert "Desk from the left" in part and "Sacks at the bench" in part


def test_oh_report_lists_every_action_with_priority_why_control_owner_due_and_cost(oh_html, full):
    part = section(oh_html, "actions")
    actions = list(full.actions.select_related("owner"))
    assert len(actions) == 10
    for a in actions:
        owner = a.owner.get_full_name() or a.owner.username
        cost = "No cost" if a.cost_band == "none" else a.cost_band.capitalize()
        row = (
            f"<td>{a.get_priority_display()}</td><td><strong>{escape(a.title)}</strong> "
            f'{escape(a.detail)}<br><span class="why">Why: {escape(a.rationale)}</span></td>'
            f"<td>{a.get_category_display()}</td><td>{owner}</td>"
            f"<td>{dateformat.format(a.due_on, 'j M Y')}</td><td>{cost}</td>"
        )
        assert row in part, a.code


def test_oh_report_cites_its_sources_and_says_the_score_is_not_a_validated_instrument(oh_html):
    part = section(oh_html, "sources")
    for source in [
        "NIOSH) Publication No. 94-110",
        "ROSA. Applied Ergonomics 2012",
        "expert statement",
    ]:
        assert source in part
    assert "WHO 2020 guidelines" in part and "NICE NG59" in part
    assert "It is not itself a validated instrument" in part


# --- Manager report ----------------------------------------------------------------------


def test_manager_report_shows_band_findings_actions_and_reassessment_date(manager_html, full):
    assert section_order(manager_html) == MANAGER_SECTIONS
    assert 'class="band band-very_high">Very high' in manager_html
    findings = section(manager_html, "findings")
    for label in ("Boxes to shelf", "Sacks from floor to bench", "Totes to trolley"):
        assert label in findings
    assert "ROSA) final score" in findings
    actions = section(manager_html, "actions")
    workplace = [
        a for a in full.actions.all() if not redaction.is_health_action(a.code, a.category)
    ]
    assert 0 < len(workplace) < 10
    for a in workplace:
        assert escape(a.title) in actions
        assert f"<td>manager</td><td>{dateformat.format(a.due_on, 'j M Y')}</td>" in actions
    reassess = dateformat.format(full.reassess_due, "j F Y")
    assert f"Reassessment due by <strong>{reassess}</strong>" in manager_html


def test_manager_report_says_clinical_review_advised_when_there_is_a_referral(manager_html):
    assert "Clinical review advised." in manager_html


def test_manager_report_has_no_clinical_notice_without_a_referral(completed, manager):
    assert "Clinical review advised" not in _preview(manager, completed, "manager")


def _health_markers(full: Assessment) -> dict[str, list[str]]:
    """Each health field of the full assessment and the words that would show it."""
    worker = full.results["worker"]
    sitting = full.results["sitting"]
    health_actions = [
        a.title for a in full.actions.all() if redaction.is_health_action(a.code, a.category)
    ]
    return {
        "BMI value": ["BMI", f"{worker['bmi']:.1f}", "kg/m²"],
        "yellow-flag labels": [*worker["yellow_flags"], "Yellow flags", "yellow flag"],
        "red-flag labels": [*worker["red_flags"], "Red flags"],
        "pain duration": ["9 weeks", "subacute"],
        "pain intensity": ["Pain intensity", "7/10"],
        "activity minutes": [
            f"{sitting['moderate_equivalent_minutes']:.0f} moderate-equivalent",
            "min/week",
            "Muscle-strengthening",
        ],
        "referral text": [
            *(r["reason"] for r in full.results["referrals"]),
            *(r["source"] for r in full.results["referrals"]),
            "Urgent clinical review",
        ],
        "health actions": health_actions,
        "worker factors": ["Worker factors", "episodes of low back pain"],
    }


HEALTH_FIELDS = [
    "BMI value",
    "yellow-flag labels",
    "red-flag labels",
    "pain duration",
    "pain intensity",
    "activity minutes",
    "referral text",
    "health actions",
    "worker factors",
]


@pytest.mark.parametrize("field", HEALTH_FIELDS)
def test_health_detail_is_in_the_oh_report_only(
    field, full, oh_html, manager_html, department_html
):
    markers = _health_markers(full)[field]
    assert markers
    for marker in markers:
        shown = escape(marker)
        assert shown in oh_html, f"{marker!r} should be in the OH report"
        assert shown not in manager_html, f"{marker!r} leaked into the manager report"
        assert shown not in department_html, f"{marker!r} leaked into the department report"


def test_managers_may_not_preview_the_oh_report(full, manager, other_manager):
    url = reverse("report_preview", args=[full.pk, "oh"])
    assert client_for(manager).get(url).status_code == 403
    assert client_for(other_manager).get(url).status_code == 404


def test_preview_links_the_print_stylesheet_for_the_browser(oh_html):
    assert '<link rel="stylesheet" href="/static/css/print.css">' in oh_html
    assert "file://" not in oh_html.split("<body>")[0]


# --- Department report -------------------------------------------------------------------


@pytest.fixture
def department_data(full, employee, assessor, manager, department, other_completed):
    """Two employees in the manager's department (very high, and one more), one elsewhere."""
    colleague = Employee.objects.create(
        hr_reference="E101", name="Sam Okafor", job_title="Team leader", department=department
    )
    draft = services.assessment_create(employee=colleague, assessor=assessor)
    second = complete(fill_draft(draft, lifting=False), assessor)
    overdue = full.actions.exclude(category__in=redaction.HEALTH_CATEGORIES).first()
    Action.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    overdue.refresh_from_db()
    return {"full": full, "second": second, "overdue": overdue}


def test_department_report_sections_follow_the_agreed_order(department_data, manager, department):
    html = _department_preview(manager, [department.pk])
    assert section_order(html) == DEPARTMENT_SECTIONS


def test_department_report_counts_employees_and_bands_and_shows_the_trend(
    department_data, manager, department
):
    html = _department_preview(manager, [department.pk])
    assert "<th>Employees assessed</th><td>2</td>" in section(html, "headcount")
    bands = section(html, "bands")
    assert "Employees by current band" in bands and "<svg" in bands
    quarter = f"{department_data['full'].assessed_on.year} Q"
    assert quarter in section(html, "trend")
    employees = section(html, "employees")
    assert employees.index("Robin Patel") < employees.index("Sam Okafor")  # very high first
    assert "Kit Osei" not in html  # another department


def test_department_report_counts_a_finding_once_per_employee(department_html):
    findings = section(department_html, "findings")
    # Only Robin is assessed: findings raised for several of Robin's tasks still count once.
    counts = re.findall(r"</td><td>(\d+)</td></tr>", findings)
    assert len(counts) == 8 and set(counts) == {"1"}


def test_department_report_lists_open_and_overdue_actions_with_owners(
    department_data, manager, department
):
    html = _department_preview(manager, [department.pk])
    part = section(html, "actions")
    overdue = department_data["overdue"]
    due = dateformat.format(overdue.due_on, "j M Y")
    assert "<strong>Robin Patel</strong> · " in part
    assert '<strong class="overdue">1 overdue</strong>' in part
    assert f'{escape(overdue.title)} (<span class="overdue">{due}</span>)' in part
    assert "Owner manager: " in part
    open_count = Action.objects.filter(assessment__employee__department=department).exclude(
        category__in=redaction.HEALTH_CATEGORIES
    )
    assert f"<th>Open actions</th><td>{open_count.count()}</td>" in section(html, "headcount")
    assert "<th>Overdue actions</th><td>1</td>" in section(html, "headcount")
    reassessments = section(html, "reassessments")
    assert "Robin Patel, " in reassessments  # a very high band is reassessed within 60 days


def test_department_report_groups_employees_by_band_without_health_detail(
    department_data, manager, department
):
    html = _department_preview(manager, [department.pk])
    part = section(html, "employees")
    very_high = part.index('<span class="band band-very_high">Very high</span> 1:')
    assert part.index("Robin Patel (Customer adviser,") > very_high
    second = department_data["second"]
    assert f'<span class="band band-{second.band}">' in part
    assert "Sam Okafor (Team leader," in part


def test_department_report_covers_only_departments_the_manager_manages(
    department_data, manager, other_department
):
    today = timezone.localdate()
    response = client_for(manager).get(
        reverse("department_report"),
        {
            "departments": [other_department.pk],
            "start": (today - dt.timedelta(days=30)).isoformat(),
            "end": today.isoformat(),
            "format": "html",
        },
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"Kit Osei" not in response.content


def test_department_report_queries_do_not_grow_with_its_assessments(
    department_data, manager, assessor, department, django_assert_max_num_queries
):
    client = client_for(manager)
    client.get(reverse("home"))  # sign-in bookkeeping happens on the first request
    with CaptureQueriesContext(connection) as before:
        _department_preview(manager, [department.pk], client)
    for n in range(3):
        more = Employee.objects.create(
            hr_reference=f"E3{n}", name=f"Extra {n}", job_title="Adviser", department=department
        )
        complete(fill_draft(services.assessment_create(employee=more, assessor=assessor)), assessor)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = _department_preview(manager, [department.pk], client)
    assert "<th>Employees assessed</th><td>5</td>" in html
    assert len(before.captured_queries) <= 13


def test_assessment_page_links_the_previews_each_role_may_open(completed, assessor, manager):
    oh = reverse("report_preview", args=[completed.pk, "oh"])
    mine = reverse("report_preview", args=[completed.pk, "manager"])
    page = client_for(assessor).get(completed.get_absolute_url()).content.decode()
    assert oh in page and mine in page
    page = client_for(manager).get(completed.get_absolute_url()).content.decode()
    assert oh not in page and mine in page
