"""People are shown by their full names wherever an owner or assessor appears (lists,
filters, board, detail, exports, history, reports), with the username only for someone
who has no name."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessments.actions import services as action_services
from assessments.reporting import context as report_context
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_manager(manager: User) -> User:
    manager.first_name, manager.last_name = "Jordan", "Blake"
    manager.save()
    return manager


@pytest.fixture
def owned(completed, named_manager, assessor):
    """The first action of the completed assessment, owned by Jordan Blake."""
    action = completed.actions.order_by("pk").first()
    action_services.action_update(
        action=action,
        status=action.status,
        evidence_note="",
        owner=named_manager,
        update_owner=True,
    )
    action.refresh_from_db()
    return action


def _option(html: str, value: object) -> str:
    """The text of the first owner select's option for `value`."""
    select = html[html.index('owner" class=') :]
    start = select.index(f'<option value="{value}"')
    return select[start : select.index("</option>", start)]


def test_action_list_and_board_show_owners_by_full_name(assessor, owned):
    client = client_for(assessor)
    listed = client.get(reverse("action_list")).text
    assert "<td>Jordan Blake</td>" in listed
    assert "Jordan Blake" in _option(listed, owned.owner.pk)  # the owner filter
    board = client.get(reverse("action_board")).text
    assert "Owner: Jordan Blake" in board


def test_action_detail_offers_owners_by_full_name_and_history_names_them(assessor, owned):
    html = client_for(assessor).get(reverse("action_detail", args=[owned.pk])).text
    assert "Jordan Blake" in _option(html, owned.owner.pk)
    assert ">manager<" not in html
    history = html[html.index('id="history"') :]
    assert "Jordan Blake" in history


def test_completion_page_offers_owners_by_full_name(assessor, named_manager, draft):
    html = client_for(assessor).get(reverse("assessment_complete", args=[draft.pk])).text
    assert "Jordan Blake" in _option(html, named_manager.pk)


def test_exports_and_manager_report_name_the_owner(assessor, owned):
    response = client_for(assessor).get(reverse("action_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["action_id"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[str(owned.pk)]["owner"] == "Jordan Blake"
    actions = report_context.manager_context(owned.assessment)["actions"]
    assert "Jordan Blake" in [a["owner"] for a in actions]


def test_assessment_list_names_the_assessor(assessor, completed):
    html = client_for(assessor).get(reverse("assessment_list")).text
    assert "<td>Alex</td>" in html  # the assessor's name, not "assessor"


def test_someone_without_a_name_is_shown_by_username(assessor, owned, named_manager):
    named_manager.first_name = named_manager.last_name = ""
    named_manager.save()
    html = client_for(assessor).get(reverse("action_list")).text
    assert "<td>manager</td>" in html
