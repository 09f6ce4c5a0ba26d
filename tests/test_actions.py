"""Action tracking: list and board with filters, bulk status update, owner and due-date
editing, completion with evidence and a photo, declining with a reason, the history of
every change, overdue logic on a fixed clock, and what shows on each owner's home page."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from assessments import permissions
from assessments.actions.models import Action
from assessments.records.forms import PHOTO_UNREADABLE_MESSAGE
from assessments.records.models import Photo
from tests.conftest import client_for
from tests.follow_up_data import (  # noqa: F401 - fixed_today is a fixture
    TODAY,
    build_world,
    days,
    fixed_today,
    make_action,
    make_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


@pytest.fixture
def world(assessor, manager, other_manager, department, other_department):
    return build_world(
        assessor=assessor,
        manager=manager,
        department=department,
        other_department=other_department,
    )


def _count(html: str) -> int:
    return int(re.search(r'<span class="count">(\d+)</span>', html).group(1))


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("desk.jpg", buffer.getvalue(), content_type="image/jpeg")


# --- Overdue on a fixed clock -----------------------------------------------------------


def test_overdue_means_open_or_in_progress_and_due_before_today(world):
    a = world.actions
    assert a["a1"].is_overdue()  # open, due 3 days ago
    assert not a["a5"].is_overdue()  # in progress, due in 5 days
    assert not a["a2"].is_overdue()  # done
    due_today = make_action(world.a["e1"], "workstation.x_today", due=TODAY)
    assert not due_today.is_overdue()
    assert due_today.is_overdue(TODAY + dt.timedelta(days=1))
    in_progress_late = make_action(
        world.a["e1"], "workstation.x_late", status="in_progress", due=days(-1)
    )
    assert in_progress_late.is_overdue()


def test_overdue_filter_follows_the_clock(assessor, world, monkeypatch):
    client = client_for(assessor)
    url = reverse("action_list") + "?overdue=true"
    assert _count(client.get(url).text) == 3  # a1, a4, a9
    later = TODAY + dt.timedelta(days=6)  # a5 (due today+5, in progress) is now late too
    monkeypatch.setattr("django.utils.timezone.localdate", lambda value=None, timezone=None: later)
    assert _count(client.get(url).text) == 4


# --- List and board filters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 9),
        ("?status=open", 3),
        ("?status=open&status=in_progress", 4),
        ("?priority=3", 9),
        ("?category=clinical", 1),
        ("?overdue=false", 6),
        ("?current=true", 7),
        ("?code=lifting.lift_redesign", 2),
    ],
)
def test_action_list_filters(assessor, world, query, expected):
    html = client_for(assessor).get(reverse("action_list") + query).text
    assert _count(html) == expected


def test_action_list_filters_by_department_and_owner(assessor, manager, world):
    client = client_for(assessor)
    by_dept = client.get(reverse("action_list"), {"department": world.gi.pk}).text
    assert _count(by_dept) == 1 and "Lift redesign" in by_dept
    by_owner = client.get(reverse("action_list"), {"owner": manager.pk}).text
    assert _count(by_owner) == 2  # a1 and a5


@pytest.mark.parametrize("search", ["Person E2", "person e2", "HR-e2", "hr-E2"])
def test_action_list_finds_a_person_by_name_or_hr_reference(assessor, world, search):
    html = client_for(assessor).get(reverse("action_list"), {"q": search}).text
    assert _count(html) == 3  # a1, a2 and a8 (the earlier assessment's)
    assert html.count("<td>Person E2</td>") == 3 and "<td>Person E1</td>" not in html


def test_action_list_filters_by_employee(assessor, world):
    client = client_for(assessor)
    html = client.get(reverse("action_list"), {"employee": world.employees["e3"].pk}).text
    assert _count(html) == 2  # a3 and a4
    assert re.search(r"Actions of <strong>Person E3 \(HR-e3\)</strong> · <a href=\"\?\">", html)


def test_the_employee_filter_never_lists_every_person(assessor, world):
    """People are found by the search box; a list of every person would be the whole page."""
    html = client_for(assessor).get(reverse("action_list")).text
    assert 'type="hidden" name="employee"' in html
    assert "(HR-e3)</option>" not in html and "(HR-e2)</option>" not in html


def test_the_employee_page_links_to_their_actions(assessor, world):
    e3 = world.employees["e3"]
    html = client_for(assessor).get(reverse("employee_detail", args=[e3.pk])).text
    assert f'href="{reverse("action_list")}?employee={e3.pk}"' in html


def test_managers_search_and_choose_only_among_their_people(manager, world):
    client = client_for(manager)
    html = client.get(reverse("action_list"), {"employee": world.employees["e2"].pk}).text
    assert "Actions of <strong>Person E2 (HR-e2)</strong>" in html
    assert _count(client.get(reverse("action_list"), {"q": "Person G2"}).text) == 0
    outside = client.get(reverse("action_list"), {"employee": world.employees["g2"].pk}).text
    assert "Select a valid choice" in outside and "Lift redesign" not in outside


def test_action_list_shows_the_hr_reference(assessor, world):
    html = client_for(assessor).get(reverse("action_list"), {"employee": world.employees["e3"].pk})
    assert '<th scope="col">HR ref</th>' in html.text
    assert "<td>HR-e3</td>" in html.text


def test_bulk_status_select_has_its_own_visible_label(assessor, world):
    html = client_for(assessor).get(reverse("action_list")).text
    assert re.search(r'<label\s+for="bulk-status" class="form-label[^"]*">\s*New status', html)
    assert html.count('id="bulk-status"') == 1 and html.count('id="id_status') == 1
    assert '<select name="status" class="select form-select" id="bulk-status">' in html


def test_searching_and_filtering_the_action_list_keeps_its_query_count(
    assessor, world, django_assert_max_num_queries
):
    client = client_for(assessor)
    url = reverse("action_list")
    query = {"q": "Person", "employee": world.employees["e2"].pk}
    client.get(url, query)
    with CaptureQueriesContext(connection) as few:
        client.get(url, query)
    for n in range(6):
        make_action(world.a["e2"], f"workstation.extra_{n}", owner=world.actions["a1"].owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _count(client.get(url, query).text) == 9


def test_manager_list_leaves_out_other_departments_and_health_actions(manager, world):
    html = client_for(manager).get(reverse("action_list")).text
    assert _count(html) == 6
    assert "See the GP" not in html and "Lift redesign" not in html


def test_board_shows_columns_by_status_without_javascript(assessor, world):
    html = client_for(assessor).get(reverse("action_board")).text
    columns = re.findall(r'id="column-(\w+)".*?column-count"[^>]*>(\d+)<', html, re.S)
    assert columns == [("open", "3"), ("in_progress", "1"), ("done", "4"), ("declined", "1")]
    # Every card carries a plain form to move it: no script needed.
    assert html.count('action="/actions/bulk/"') == 9
    open_column = html[html.index('id="column-open"') : html.index('id="column-in_progress"')]
    assert "Chair adjust" in open_column and "(overdue)" in open_column


def test_board_honours_the_filters(assessor, world):
    html = (
        client_for(assessor)
        .get(reverse("action_board"), {"status": ["open", "done"], "department": world.cs.pk})
        .text
    )
    assert 'id="column-in_progress"' not in html
    columns = re.findall(r'id="column-(\w+)".*?column-count"[^>]*>(\d+)<', html, re.S)
    assert columns == [("open", "3"), ("done", "3")]


def test_moving_a_card_on_the_board_updates_the_action(manager, world):
    board = reverse("action_board")
    response = client_for(manager).post(
        reverse("action_bulk_update"),
        {"selected": [world.actions["a1"].pk], "status": "in_progress", "next": board},
    )
    assert response.status_code == 302 and response["Location"] == board
    world.actions["a1"].refresh_from_db()
    assert world.actions["a1"].status == "in_progress"


# --- Bulk update ------------------------------------------------------------------------


def test_bulk_update_changes_every_selected_action_in_scope_only(manager, world):
    a = world.actions
    response = client_for(manager).post(
        reverse("action_bulk_update"),
        {"selected": [a["a1"].pk, a["a9"].pk, a["a6"].pk, a["a4"].pk], "status": "done"},
        follow=True,
    )
    assert "2 action(s) set to Done." in response.text
    for key, expected in [("a1", "done"), ("a9", "done"), ("a6", "declined"), ("a4", "open")]:
        a[key].refresh_from_db()
        assert a[key].status == expected, key
    assert a["a1"].completed_on == TODAY


def test_bulk_decline_needs_a_reason(assessor, world):
    a1 = world.actions["a1"]
    response = client_for(assessor).post(
        reverse("action_bulk_update"), {"selected": [a1.pk], "status": "declined"}, follow=True
    )
    assert "Declining actions needs a reason in the note." in response.text
    a1.refresh_from_db()
    assert a1.status == "open"


# --- Owner, due date, decline -----------------------------------------------------------


def _detail_post(client, action, **values):
    data = {
        "status": action.status,
        "owner": action.owner_id or "",
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "completed_on": "",
        "evidence_note": action.evidence_note,
        "lock_version": action.lock_version,
    }
    data.update(values)
    return client.post(reverse("action_detail", args=[action.pk]), data)


def test_owner_and_due_date_can_be_changed(manager, assessor, world):
    a1 = world.actions["a1"]
    response = _detail_post(client_for(manager), a1, owner=assessor.pk, due_on=days(14).isoformat())
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.owner == assessor and a1.due_on == days(14)
    assert not a1.is_overdue()


def test_declining_without_a_reason_is_refused_next_to_the_field(manager, world):
    a1 = world.actions["a1"]
    response = _detail_post(client_for(manager), a1, status="declined", evidence_note="  ")
    assert response.status_code == 422
    assert "Say why the action was declined." in response.text
    a1.refresh_from_db()
    assert a1.status == "open"


def test_the_database_refuses_a_declined_action_without_reason(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=world.actions["a1"].pk).update(status="declined")


# --- Completion with evidence -----------------------------------------------------------


def test_completing_with_evidence_note_and_photo(manager, world):
    a1 = world.actions["a1"]
    Action.objects.filter(pk=a1.pk).update(created_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    client = client_for(manager)
    url = reverse("action_complete", args=[a1.pk])
    assert "Complete this action" in client.get(url).text
    response = client.post(
        url,
        {
            "evidence_note": "New chair delivered and adjusted with Robin.",
            "completed_on": days(-2).isoformat(),
            "photo": _jpeg(),
            "caption": "The new chair",
            "lock_version": a1.lock_version,
        },
    )
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.status == "done"
    assert a1.completed_on == days(-2)
    assert a1.closed_in_days == 12
    photo = Photo.objects.get(action=a1)
    assert photo.section == "action" and photo.caption == "The new chair"
    page = client.get(a1.get_absolute_url()).text
    assert "New chair delivered and adjusted with Robin." in page
    assert reverse("photo_thumb", args=[photo.pk]) in page
    assert client.get(reverse("photo_file", args=[photo.pk])).status_code == 200


def test_completing_without_evidence_is_refused_and_saves_nothing(manager, world):
    a1 = world.actions["a1"]
    response = client_for(manager).post(
        reverse("action_complete", args=[a1.pk]),
        {"evidence_note": " ", "completed_on": TODAY.isoformat()},
    )
    assert response.status_code == 422
    assert "Say what was done" in response.text
    a1.refresh_from_db()
    assert a1.status == "open"


def test_a_file_that_is_not_a_photo_is_refused_and_saves_nothing(manager, world):
    a1 = world.actions["a1"]
    junk = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    response = client_for(manager).post(
        reverse("action_complete", args=[a1.pk]),
        {"evidence_note": "Done", "completed_on": TODAY.isoformat(), "photo": junk},
    )
    assert response.status_code == 422
    assert str(PHOTO_UNREADABLE_MESSAGE) in response.text
    a1.refresh_from_db()
    assert a1.status == "open" and not Photo.objects.exists()


def test_completion_date_cannot_be_in_the_future(manager, world):
    response = client_for(manager).post(
        reverse("action_complete", args=[world.actions["a1"].pk]),
        {"evidence_note": "Done", "completed_on": days(1).isoformat()},
    )
    assert response.status_code == 422
    assert "cannot be in the future" in response.text


def test_other_manager_cannot_complete_an_action_outside_their_departments(other_manager, world):
    url = reverse("action_complete", args=[world.actions["a1"].pk])
    assert client_for(other_manager).get(url).status_code == 404


# --- History ----------------------------------------------------------------------------


def test_history_shows_who_when_and_each_field_that_changed(manager, assessor, world):
    manager.first_name, manager.last_name = "Morgan", "Lee"
    manager.save()
    a1 = world.actions["a1"]
    client = client_for(manager)
    _detail_post(client, a1, owner=assessor.pk, due_on=days(20).isoformat())
    a1.refresh_from_db()
    _detail_post(client, a1, status="in_progress")
    page = client.get(a1.get_absolute_url()).text
    history = page[page.index('id="history"') :]
    history = " ".join(re.sub(r"<[^>]+>", " ", history).split())
    assert "Morgan Lee · Changed Status : Open → In progress" in history
    assert "Owner : Morgan Lee → Alex" in history
    assert "Due date : 12 Jun 2026 → 5 Jul 2026" in history
    # Newest first: the status change is listed before the owner change.
    assert history.index("Open → In progress") < history.index("Owner : Morgan Lee → Alex")
    assert "Created" in history


def test_history_of_a_bulk_change_names_the_person(assessor, world):
    a9 = world.actions["a9"]
    client_for(assessor).post(
        reverse("action_bulk_update"),
        {"selected": [a9.pk], "status": "declined", "note": "Employee has left"},
    )
    page = client_for(assessor).get(a9.get_absolute_url()).text
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "assessor" in text or "Alex" in text
    assert "Status : Open → Declined" in text
    assert "Evidence / notes : — → Employee has left" in text


# --- Home pages -------------------------------------------------------------------------


def test_owner_sees_their_overdue_actions_first_on_home(manager, world):
    # More open actions than the list holds, all without a due date, must not push the
    # overdue ones off the page.
    for i in range(25):
        make_action(world.a["e1"], f"workstation.misc_{i}", owner=manager)
    html = client_for(manager).get(reverse("home")).text
    overdue = html[
        html.index('id="my-overdue"') : html.index("</ul>", html.index('id="my-overdue"'))
    ]
    assert "Chair adjust" in overdue and "overdue since 12 Jun 2026" in overdue
    assert '<span class="badge text-bg-danger">1 overdue</span>' in html


def test_assessor_home_shows_their_own_reassessments_due_and_overdue(assessor, world, db):
    from django.contrib.auth.models import Group, User

    colleague = User.objects.create_user("colleague")
    colleague.groups.add(Group.objects.get(name=permissions.ASSESSOR_GROUP))
    employee = world.employees["g1"]
    html = client_for(assessor).get(reverse("home")).text
    due = html[
        html.index('id="reassess-due"') : html.index("</ul>", html.index('id="reassess-due"'))
    ]
    # e1 due in 10 days, e2 overdue 5 days, g1 overdue 1 day; e4 has left; the rest later.
    assert "Person E1" in due and "Person E2" in due and "Person G1" in due
    assert "Person E4" not in due and "Person P1" not in due
    assert "overdue since 10 Jun 2026" in due
    other = client_for(colleague).get(reverse("home")).text
    assert "Person E2" not in other and employee.name not in other


def test_manager_home_shows_reassessments_due_in_their_departments_only(manager, world):
    html = client_for(manager).get(reverse("home")).text
    due = html[
        html.index('id="reassess-due"') : html.index("</ul>", html.index('id="reassess-due"'))
    ]
    assert "Person E1" in due and "Person E2" in due
    assert "Person G1" not in due


def test_manager_home_department_figures_link_to_matching_lists(manager, world):
    client = client_for(manager)
    html = client.get(reverse("home")).text
    row = re.search(r"Customer Service</a>.*?</tr>", html, re.S).group(0)
    staff, high, open_ = re.findall(r"<td>(?:<a href=\"[^\"]+\">)?(\d+)", row)
    assert (staff, high, open_) == ("3", "2", "3")
    for link, expected in zip(
        re.findall(r'<a href="([^"]+)">\d+', row), [high, open_], strict=True
    ):
        assert _count(client.get(link.replace("&amp;", "&")).text) == int(expected)
