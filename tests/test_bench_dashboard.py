"""The dashboard benchmark runs end to end on a small throwaway database and prints every
figure it promises (docs/performance.md), so it keeps working as the app changes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_dashboard_prints_its_figures(capfd):
    call_command("bench_dashboard", "--assessments", "200", "--requests", "3", stdout=io.StringIO())
    printed = dict(
        line.split(": ", 1) for line in capfd.readouterr().out.splitlines() if ": " in line
    )
    for page in ("baseline", "dashboard", "assessment_list", "action_list", "action_board"):
        assert float(printed[f"{page}_ms_median_at_200"]) > 0
        assert float(printed[f"{page}_ratio_200_to_20"]) > 0
        assert float(printed[f"{page}_to_baseline_at_200"]) > 0
        assert float(printed[f"{page}_to_baseline_at_20"]) > 0
    assert printed["baseline_to_baseline_at_200"] == "1.0"
    assert float(printed["recount_department_ms_median_at_200"]) > 0
    assert float(printed["dashboard_after_change_ms_median_at_200"]) > 0
    assert float(printed["action_update_ms_median_at_200"]) > 0
    assert float(printed["dashboard_after_change_to_steady"]) > 0
    assert printed["dashboard_after_change_within_target"] in {"True", "False"}
    assert printed["database"] in {"sqlite", "postgresql"}
    assert printed["pages_within_ratio_target"] in {"True", "False"}
    assert printed["dashboard_within_baseline_target"] in {"True", "False"}
