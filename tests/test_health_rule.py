"""The one rule of what a manager may see: its Python check and its query agree, code by code.

The recommendation catalogue's codes are classified exactly as before the rule became an
allowlist; what changed is that a code or category nobody listed is now withheld.
"""

from __future__ import annotations

import pytest

from assessments.actions.models import Action
from assessments.core import health
from assessments.core.health import Audience
from assessments.records import photos
from assessments.records.models import Photo
from assessments.scoring.catalogue import CATALOGUE, RETIRED
from tests.report_data import jpeg_upload

#: Every code ever emitted (catalogue 2 and the codes it retired) -> its category: actions
#: stored with a retired code are still classified.
CODES = {
    **{code: entry.category for code, entry in RETIRED.items()},
    **{code: entry.category for code, entry in CATALOGUE.items()},
}

#: Personal health measures: never listed for a manager.
HIDDEN = {
    "activity.physical_activity",
    "activity.aerobic",
    "activity.strengthening",
    "individual.core_programme",
    "individual.weight_management",
    "psychosocial.eap_cbt",
    "clinical.emergency_cauda_equina",
    "clinical.urgent_review",
    "clinical.inflammatory_referral",
    "clinical.persistent_pain_review",
    "clinical.combined_programme",
}
#: Listed for a manager, but the reason quotes the worker's answers.
REASON_WITHHELD = {"psychosocial.workload_support_review"}

CATEGORIES = [value for value, _label in Action.Category.choices]
ODD_CODES = ["workstation", "workstationx.desk", "custom.thing", "", "lifting", ".lifting"]


def test_the_catalogue_is_classified_as_before():
    hidden = {
        code
        for code, category in CODES.items()
        if not health.action_visible(code=code, category=category)
    }
    withheld = {
        code
        for code, category in CODES.items()
        if not health.reason_visible(code=code, category=category)
    }
    assert hidden == HIDDEN
    assert withheld == HIDDEN | REASON_WITHHELD


def test_a_code_is_shown_to_managers_only_where_its_reason_is():
    """A code names its family: "psychosocial." would tell a manager that flags were raised."""
    for code, category in CODES.items():
        shown = health.code_shown(code, category=category, audience=Audience.MANAGER)
        assert shown == (health.WITHHELD if code in HIDDEN | REASON_WITHHELD else code), code
        assert health.code_shown(code, category=category, audience=Audience.OH) == code


def test_codes_and_categories_nobody_listed_are_withheld():
    assert not health.action_visible(code="custom.thing", category="engineering")
    assert not health.action_visible(code="workstation.chair", category="individual")
    assert not health.action_visible(code="workstation.chair", category="")
    assert health.action_visible(code="workstation.chair", category="engineering")


def test_a_reason_is_shown_to_oh_always_and_to_managers_by_the_rule():
    why = "Feels stressed or worried much of the time"
    code, category = "psychosocial.workload_support_review", "administrative"
    assert health.reason_shown(why, code=code, category=category, audience=Audience.OH) == why
    shown = health.reason_shown(why, code=code, category=category, audience=Audience.MANAGER)
    assert shown == health.WITHHELD
    lift = "Task “Sacks”: LI 3.3, above 2"
    assert (
        health.reason_shown(
            lift, code="lifting.reduce_h", category="engineering", audience=Audience.MANAGER
        )
        == lift
    )


@pytest.mark.django_db
def test_the_query_selects_exactly_what_the_python_check_allows(draft, assessor):
    codes = [*CODES, *ODD_CODES]
    made = [
        Action(assessment=draft, code=code, title=f"{code} {category}", category=category)
        for code in codes
        for category in CATEGORIES
    ]
    Action.objects.bulk_create(made)
    actions = list(Action.objects.filter(assessment=draft))
    assert len(actions) == len(codes) * len(CATEGORIES)

    def check(rule):
        return {a.pk for a in actions if rule(code=a.code, category=a.category)}

    visible = set(Action.objects.filter(health.action_visible_q()).values_list("pk", flat=True))
    readable = set(Action.objects.filter(health.reason_visible_q()).values_list("pk", flat=True))
    assert visible == check(health.action_visible)
    assert readable == check(health.reason_visible)
    assert readable < visible

    evidence = {
        code: photos.photo_store(
            assessment=draft,
            upload=jpeg_upload(),
            section="action",
            caption=code,
            user=assessor,
            action=next(a for a in actions if a.code == code and a.category == category),
        )
        for code, category in [
            ("lifting.team_lift", "administrative"),
            ("clinical.urgent_review", "clinical"),
        ]
    }
    for section in ("general", "workstation", "lifting"):
        photos.photo_store(
            assessment=draft, upload=jpeg_upload(), section=section, caption=section, user=assessor
        )
    shown = set(Photo.objects.filter(health.photo_visible_q()).values_list("caption", flat=True))
    assert shown == {"workstation", "lifting", "lifting.team_lift"}
    assert evidence["clinical.urgent_review"].caption not in shown


def test_a_code_of_a_visible_action_is_readable_exactly_where_its_reason_is():
    """The dashboard's most common findings link by code: a manager's list leaves out the
    codes they may not read (`code_readable`), which are those whose reason is withheld."""
    for code, category in CODES.items():
        if health.action_visible(code=code, category=category):
            assert health.code_readable(code) == health.reason_visible(
                code=code, category=category
            ), code
    assert not health.code_readable("psychosocial.workload_support_review")
