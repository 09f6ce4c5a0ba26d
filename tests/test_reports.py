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

from assessments.actions.models import Action
from assessments.core import health
from assessments.people.models import Employee
from assessments.records import services, snapshot
from assessments.records.models import Assessment, WorkstationSection
from assessments.reporting import context
from assessments.scoring.catalogue import CATALOGUE
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


#: Where a report section starts: a <section> (manager and department reports) or, in the
#: flat OH report, the heading that carries the section's id.
SECTION_START = re.compile(r'<(?:section|h2) id="([a-z-]+)"')


def section(html: str, name: str) -> str:
    """The HTML of one section, up to the start of the next one (or its </section>)."""
    start = html.index(f' id="{name}"')
    following = SECTION_START.search(html, start)
    end = following.start() if following else html.index("</body>")
    closing = html.find("</section>", start)
    return html[start : closing if 0 <= closing < end else end]


def section_order(html: str) -> list[str]:
    return SECTION_START.findall(html)


def two(value: float) -> str:
    return f"{value:.2f}"


# --- OH report ---------------------------------------------------------------------------


def test_oh_report_sections_follow_the_agreed_order(oh_html):
    assert section_order(oh_html) == OH_SECTIONS
    assert oh_html.index(escape(context.DISCLAIMER)) > oh_html.index('<h2 id="sources">')


def test_oh_report_cover_names_the_employee_job_assessor_date_revision_and_model(oh_html, full):
    cover = oh_html[: oh_html.index('<h2 id="summary">')]
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
    assert "Strain score: points by component" in part  # the chart's title
    assert len(strain["components"]) == 6
    assert part.count('<span class="bar" role="img"') == 6  # one bar per component
    for c in strain["components"]:
        label = f"{c['component'].capitalize()} (L{c['level']})"
        bar_row = re.search(
            rf'<p class="bar-row">{re.escape(label)}\t(<span[^>]*></span>) (.*?)</p>', part
        )
        assert bar_row, c["component"]
        assert bar_row[2] == f"{two(c['points'])} of {c['weight']} points"
        assert f'aria-label="{label}: {c["points"]:g} of {c["weight"]:g}"' in bar_row[1]
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
    r = full.results["workstation"]["result"]
    part = section(oh_html, "rosa")
    assert (
        f"Sub-scores: chair {r['chair']}; monitor {r['monitor_total']} and telephone "
        f"{r['phone_total']}, combined {r['monitor_phone']}; mouse {r['mouse_total']} and "
        f"keyboard {r['keyboard_total']}, combined {r['mouse_keyboard']}; peripherals and "
        f"monitor {r['peripherals']}; ROSA final {r['final']}."
    ) in part
    assert f"Final score <strong>{r['final']}</strong> of 10" in part
    findings = full.results["workstation"]["findings"]
    assert findings
    for finding in findings:
        assert f"{escape(finding['text'])} (+{finding['points']})" in part
    # Grouped under the part of the workstation each one scores.
    assert "Chair: " in part and "Monitor and telephone: " in part


def _figures(line: str) -> list[str]:
    """The values of one line of the lifting grid, without the padding that aligns them."""
    return [value.strip(context.FIGURE_SPACE) for value in line.split("\t") if value]


def test_oh_report_shows_each_lifting_task_with_multipliers_rwl_and_li_at_each_end(oh_html, full):
    lifting = full.results["lifting"]
    part = section(oh_html, "lifting")
    assert len(lifting["tasks"]) == 3
    assert (
        f"Composite lifting index (CLI) <strong>{two(lifting['composite_lifting_index'])}" in part
    )
    header = re.search(r'<p class="grid-head small">(.*?)</p>', part)[1]
    assert _figures(header) == ["End", *context.LIFTING_COLUMNS]
    blocks = re.findall(
        r'<p class="grid-label small">(.*?)</p>\n<p class="grid-rows small">(.*?)</p>', part, re.S
    )
    assert len(blocks) == 3
    ends_seen = 0
    for task, (label, rows) in zip(lifting["tasks"], blocks, strict=True):
        inputs = task["task"]
        assert label.startswith(escape(inputs["label"]) + " · ")
        assert ("in, lb" if inputs["units"] == "us" else "cm, kg") in label
        ends = [task["origin"]] + ([task["destination"]] if task["destination"] else [])
        lines = rows.split("\n")
        assert len(lines) == len(ends)
        for end, line in zip(ends, lines, strict=True):
            origin = end["point"] == "origin"
            m = end["multipliers"]
            assert _figures(line) == [
                "Origin" if origin else "Destination",
                f"{inputs['load']:.1f}",
                f"{inputs['h_origin' if origin else 'h_dest']:.0f}",
                f"{inputs['v_origin' if origin else 'v_dest']:.0f}",
                f"{task['travel_distance']:.0f}",
                f"{inputs['asymmetry_origin' if origin else 'asymmetry_dest']:.0f}°",
                f"{inputs['frequency']:.1f}",
                *(two(m[f]) for f in ("hm", "vm", "dm", "am", "fm", "cm")),
                f"{end['rwl']:.1f}",
                two(end["lifting_index"]),
            ], (inputs["label"], end["point"])
            ends_seen += 1
    assert ends_seen == 4  # the task with significant control is evaluated at both ends


def test_lifting_figures_are_padded_to_line_up_in_their_columns(full):
    grid = context.lifting_grid(snapshot.load(full).results)
    lines = [line for task in grid for line in task["lines"]]
    columns = [line.split("\t")[-len(context.LIFTING_COLUMNS) :] for line in lines]
    for i in range(len(context.LIFTING_COLUMNS)):
        assert len({len(row[i]) for row in columns}) == 1, context.LIFTING_COLUMNS[i]


def test_oh_report_shows_the_what_if_of_every_lifting_recommendation(oh_html, full):
    part = section(oh_html, "lifting")
    what_ifs = [r for r in full.results["recommendations"] if r["what_if"]]
    assert len(what_ifs) >= 5
    for rec in what_ifs:
        task = escape(rec["task_label"] or context.ALL_TASKS)
        index = "LI" if rec["task_label"] else "CLI"
        assert f"{task}, {index} {two(rec['lifting_index'])} now" in part, rec["code"]
        row = f"\n{two(rec['what_if_lifting_index'])}\t{escape(rec['title'])}"
        assert row in part, rec["code"]
        # The change itself, task by task, is said once: in the action's paragraph.
        assert escape(rec["what_if"]) not in part, rec["code"]
        assert f"({escape(rec['what_if'])})" in section(oh_html, "actions"), rec["code"]
    assert context.ALL_TASKS in part  # job rotation changes the composite index


def test_oh_report_gives_an_evidence_line_once_and_refers_back_to_it(oh_html, full):
    part = section(oh_html, "actions")
    actions = list(full.actions.all())  # in the order the report lists them
    lines = [CATALOGUE[a.code].evidence_line for a in actions]
    assert len(set(lines)) < len(lines)  # the lifting changes share one line
    shown: dict[str, str] = {}
    for action, line in zip(actions, lines, strict=True):
        if line in shown:
            assert f"Evidence: as for “{escape(shown[line])}” above." in part, action.code
        else:
            shown[line] = action.title
    for line in shown:
        assert part.count(f'<p class="small evidence">{escape(line)}</p>') == 1, line


def test_oh_report_shows_sitting_and_activity_figures_against_the_guidelines(oh_html, full):
    st = full.results["sitting"]
    part = section(oh_html, "sitting")
    assert "Sitting and activity against the guidelines" in part  # the chart's title
    # The reasons give every figure against its guideline, each once: the workday and the
    # hours sat, the longest bout, standing and light activity against its goals, activity
    # and strengthening against WHO 2020.
    for reason in st["reasons"]:
        assert part.count(escape(reason)) == 1
    notes = " ".join(st["reasons"])
    assert f"Sits {st['sitting_hours']:.1f} h of the {st['hours_worked_per_day']:.1f} h" in notes
    assert f"goal of {st['goal_initial_hours']:.1f} h/day" in notes
    assert f"activity {st['moderate_equivalent_minutes']:.0f} min/week" in notes
    assert "WHO 2020 minimum of 150" in notes or "WHO 2020 range" in notes
    assert "Working day" not in part  # the same figures are not listed again above them


def test_oh_report_shows_worker_factors(oh_html, full):
    wk = full.results["worker"]
    part = section(oh_html, "worker")
    assert f"{wk['bmi']:.1f} kg/m² (obese)" in part
    assert "Low back pain now: Yes, 9 weeks (subacute)" in part
    assert "Pain intensity 7/10" in part
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
    for i, a in enumerate(actions):
        owner = a.owner.get_full_name() or a.owner.username
        cost = "no cost" if a.cost_band == "none" else f"cost {a.cost_band}"
        # the top three are highlighted
        opening = (
            f'<p class="action top-action"><span class="top">Top {i + 1}</span> '
            if i < 3
            else '<p class="action">'
        )
        # The reason, said once: a referral's is the referral box; a lifting change's is
        # the change in brackets (each task's value now and after, and the LI it reaches).
        referral = a.rationale in {r["reason"] for r in full.results["referrals"]}
        what_if = next(
            (r["what_if"] for r in full.results["recommendations"] if r["code"] == a.code), None
        )
        if referral:
            why = " Why: the clinical referral above."
        elif what_if and a.detail.endswith(f"({what_if})"):
            why = ""
        else:
            why = f" Why: {escape(a.rationale)}"
        entry = (
            f"{opening}<strong>{escape(a.title)}</strong> · "
            f"{a.get_priority_display()} priority · {a.get_category_display()} · "
            f"owner {owner} · due {dateformat.format(a.due_on, 'j M Y')} · {cost}. "
            f"{escape(a.detail)}{why}</p>"
        )
        assert entry in part, a.code


def test_oh_report_says_each_reason_once(oh_html, full):
    """The referral box, the lifting changes and the pain pattern are each stated once;
    the actions and the worker factors' reasons refer to them rather than repeat them."""
    text = " ".join(oh_html.split())
    for referral in full.results["referrals"]:
        assert text.count(escape(referral["reason"])) == 1
    changes = [a for a in full.actions.all() if a.code.startswith("lifting.")]
    assert changes
    for a in changes:
        what_if = next(r["what_if"] for r in full.results["recommendations"] if r["code"] == a.code)
        if what_if:
            assert text.count(escape(a.rationale)) == 0, a.code
    assert "its figures in brackets are the reason" in text
    worker = full.results["worker"]
    if worker.get("pain_class"):
        assert text.count("Pain pattern: ") == 1


def test_oh_report_of_a_reassessment_compares_it_with_the_previous_one(completed, assessor):
    done = completed.actions.first()
    Action.objects.filter(pk=done.pk).update(
        status=Action.Status.DONE, completed_on=completed.assessed_on
    )
    draft = services.assessment_create(
        employee=completed.employee, assessor=assessor, previous=completed
    )
    WorkstationSection.objects.filter(assessment=draft).update(seat_height="knees_90")
    now = complete(draft, assessor)
    before, after = completed.results, now.results

    part = section(_preview(assessor, now, "oh"), "before-after")
    since = dateformat.format(completed.assessed_on, "j M Y")
    assert f"Since the assessment of {since} (before → now):" in part
    assert (
        f"Strain score: {before['strain']['score']:.1f} "
        f"({before['strain']['band'].replace('_', ' ').capitalize()}) → "
        f"{after['strain']['score']:.1f} ({after['strain']['band'].replace('_', ' ').capitalize()})"
    ) in part
    for old, new in zip(before["strain"]["components"], after["strain"]["components"], strict=True):
        assert f"{old['component'].capitalize()} level: {old['level']} → {new['level']}" in part
    rosa = (before["workstation"]["result"]["final"], after["workstation"]["result"]["final"])
    assert f"ROSA final: {rosa[0]} → {rosa[1]}" in part
    for old, new in zip(before["lifting"]["tasks"], after["lifting"]["tasks"], strict=True):
        label = escape(old["task"]["label"])
        li = (old["governing"]["lifting_index"], new["governing"]["lifting_index"])
        assert f"LI, {label}: {two(li[0])} → {two(li[1])}" in part
    assert f"Actions completed in between: {escape(done.title)}." in part


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
        a for a in full.actions.all() if health.action_visible(code=a.code, category=a.category)
    ]
    assert 0 < len(workplace) < 10
    for a in workplace:
        assert escape(a.title) in actions
        assert f"owner manager · due {dateformat.format(a.due_on, 'j M Y')}" in actions
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
        a.title
        for a in full.actions.all()
        if not health.action_visible(code=a.code, category=a.category)
    ]
    return {
        "BMI value": ["BMI", f"{worker['bmi']:.1f}", "kg/m²"],
        "yellow-flag labels": [*worker["yellow_flags"], "Yellow flags", "yellow flag"],
        "red-flag labels": [*worker["red_flags"], "Red flags"],
        "pain duration": ["9 weeks", "subacute"],
        "pain intensity": ["Pain intensity", "7/10"],
        "activity minutes": [
            f"Moderate-equivalent activity {sitting['moderate_equivalent_minutes']:.0f} min/week",
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
    overdue = full.actions.filter(health.action_visible_q()).first()
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
    open_count = Action.objects.filter(
        health.action_visible_q(), assessment__employee__department=department
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
