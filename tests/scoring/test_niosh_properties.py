"""Property tests for the Revised NIOSH Lifting Equation.

The recommended weight limit must never rise when a task variable gets worse (the hands
further out, further from knuckle height, more travel, more twisting, more lifts per
minute, longer duration), at either end of the lift and in both unit systems, and the
lifting index must scale linearly with the load.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring.niosh import (
    Coupling,
    Duration,
    LiftingTask,
    TaskResult,
    Units,
    evaluate_job,
    evaluate_task,
    what_if,
)

# Modest example counts: the whole suite runs on two cores.
niosh_settings = settings(max_examples=60, deadline=None)

# Per unit system: (optimum V = Table 5/7 boundary, the range a measurement may sensibly
# take, used to draw values beyond the method's limits too).
OPTIMUM = {Units.METRIC: 75.0, Units.US: 30.0}
SPAN = {Units.METRIC: 200.0, Units.US: 80.0}

systems = st.sampled_from(list(Units))
durations = st.sampled_from(list(Duration))
couplings = st.sampled_from(list(Coupling))
fractions = st.floats(min_value=0.0, max_value=1.0)
angles = st.floats(min_value=0.0, max_value=180.0)
frequencies = st.floats(min_value=0.0, max_value=17.0)


@st.composite
def tasks(draw: st.DrawFn, significant_control: bool | None = None) -> LiftingTask:
    system = draw(systems)
    span = SPAN[system]
    return LiftingTask(
        label="property",
        load=draw(st.floats(min_value=0.5, max_value=60.0)),
        h_origin=draw(fractions) * span / 2,
        v_origin=draw(fractions) * span,
        h_dest=draw(fractions) * span / 2,
        v_dest=draw(fractions) * span,
        asymmetry_origin=draw(angles),
        asymmetry_dest=draw(angles),
        frequency=draw(frequencies),
        duration=draw(durations),
        coupling=draw(couplings),
        significant_control=(
            draw(st.booleans()) if significant_control is None else significant_control
        ),
        units=system,
    )


def rwls(result: TaskResult) -> tuple[float, float | None]:
    destination = result.destination.rwl if result.destination is not None else None
    return result.origin.rwl, destination


def not_higher(after: TaskResult, before: TaskResult) -> bool:
    """Each end's RWL and the governing RWL did not rise (allowing float noise)."""
    tolerance = 1e-9
    pairs = [(after.origin.rwl, before.origin.rwl), (after.rwl, before.rwl)]
    if after.destination is not None and before.destination is not None:
        pairs.append((after.destination.rwl, before.destination.rwl))
    return all(a <= b + tolerance for a, b in pairs)


@niosh_settings
@given(tasks(), fractions)
def test_rwl_never_rises_as_h_at_the_origin_increases(task: LiftingTask, step: float) -> None:
    worse = what_if(task, h_origin=task.h_origin + step * SPAN[task.units] / 2)
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks(significant_control=True), fractions)
def test_rwl_never_rises_as_h_at_the_destination_increases(task: LiftingTask, step: float) -> None:
    worse = what_if(task, h_dest=task.h_dest + step * SPAN[task.units] / 2)
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks(), fractions, st.booleans())
def test_rwl_never_rises_as_v_moves_away_from_knuckle_height(
    task: LiftingTask, step: float, above: bool
) -> None:
    """Both ends are placed on the same side of the optimum (75 cm / 30 in) and moved
    further from it by the same amount, so |V - 75| grows at each end while D and the
    Table 5/7 column stay the same."""
    optimum = OPTIMUM[task.units]
    span = SPAN[task.units]
    if above:
        v_origin = optimum + task.v_origin / span * (span - optimum) / 2
        v_dest = optimum + task.v_dest / span * (span - optimum) / 2
        shift = step * (span - optimum) / 2
    else:
        v_origin = task.v_origin / span * optimum * 0.999
        v_dest = task.v_dest / span * optimum * 0.999
        shift = -step * min(v_origin, v_dest)
    placed = what_if(task, v_origin=v_origin, v_dest=v_dest)
    worse = what_if(task, v_origin=v_origin + shift, v_dest=v_dest + shift)
    assert math.isclose(worse.travel_distance, placed.travel_distance, abs_tol=1e-9)
    assert not_higher(worse, placed)


@niosh_settings
@given(tasks(significant_control=False), fractions)
def test_rwl_never_rises_as_the_travel_distance_increases(task: LiftingTask, step: float) -> None:
    """Only the origin is evaluated here, so moving the destination further from the
    origin changes D alone."""
    span = SPAN[task.units]
    direction = 1.0 if task.v_dest >= task.v_origin else -1.0
    further = task.v_dest + direction * step * span
    if further < 0:
        further = 0.0
    worse = what_if(task, v_dest=further)
    assert worse.travel_distance >= evaluate_task(task).travel_distance - 1e-9
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks(), st.floats(min_value=0.0, max_value=180.0))
def test_rwl_never_rises_as_asymmetry_at_the_origin_increases(
    task: LiftingTask, step: float
) -> None:
    worse = what_if(task, asymmetry_origin=min(180.0, task.asymmetry_origin + step))
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks(significant_control=True), st.floats(min_value=0.0, max_value=180.0))
def test_rwl_never_rises_as_asymmetry_at_the_destination_increases(
    task: LiftingTask, step: float
) -> None:
    worse = what_if(task, asymmetry_dest=min(180.0, task.asymmetry_dest + step))
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks(), st.floats(min_value=0.0, max_value=17.0))
def test_rwl_never_rises_as_frequency_increases(task: LiftingTask, step: float) -> None:
    worse = what_if(task, frequency=task.frequency + step)
    assert not_higher(worse, evaluate_task(task))


@niosh_settings
@given(tasks())
def test_rwl_never_rises_with_a_longer_duration(task: LiftingTask) -> None:
    results = [what_if(task, duration=d) for d in Duration]
    for longer, shorter in zip(results[1:], results, strict=False):
        assert not_higher(longer, shorter)


@niosh_settings
@given(tasks(), st.sampled_from([Coupling.FAIR, Coupling.POOR]))
def test_rwl_never_rises_with_a_worse_coupling(task: LiftingTask, coupling: Coupling) -> None:
    good = what_if(task, coupling=Coupling.GOOD)
    assert not_higher(what_if(task, coupling=coupling), good)


@niosh_settings
@given(tasks(), st.floats(min_value=0.01, max_value=20.0))
def test_lifting_index_scales_linearly_with_load(task: LiftingTask, factor: float) -> None:
    before = evaluate_task(task)
    after = what_if(task, load=task.load * factor)
    assert after.rwl == before.rwl
    if math.isinf(before.lifting_index):
        assert math.isinf(after.lifting_index)
    else:
        assert math.isclose(after.lifting_index, before.lifting_index * factor, rel_tol=1e-12)
        assert math.isclose(after.stli, before.stli * factor, rel_tol=1e-12)


@niosh_settings
@given(tasks())
def test_single_task_job_cli_equals_the_task_li(task: LiftingTask) -> None:
    assert evaluate_job([task]).composite_lifting_index == evaluate_task(task).lifting_index


@niosh_settings
@given(st.lists(tasks(), min_size=1, max_size=5))
def test_cli_is_at_least_the_largest_stli_and_terms_add_up(task_list: list[LiftingTask]) -> None:
    job = evaluate_job(task_list)
    largest = max(t.stli for t in job.job_tasks)
    assert job.composite_lifting_index >= largest
    assert all(term.contribution >= 0 for term in job.terms)
    if math.isfinite(job.composite_lifting_index):
        assert math.isclose(
            job.composite_lifting_index,
            sum(term.contribution for term in job.terms),
            rel_tol=1e-9,
        )


@niosh_settings
@given(tasks())
def test_every_multiplier_is_between_0_and_1(task: LiftingTask) -> None:
    result = evaluate_task(task)
    ends = [result.origin] if result.destination is None else [result.origin, result.destination]
    for end in ends:
        m = end.multipliers
        assert all(0.0 <= x <= 1.0 for x in (m.hm, m.vm, m.dm, m.am, m.fm, m.cm))
        assert 0.0 <= end.rwl <= m.lc


@niosh_settings
@given(tasks())
def test_governing_end_has_the_higher_li(task: LiftingTask) -> None:
    result = evaluate_task(task)
    lis = [result.origin.lifting_index]
    if result.destination is not None:
        lis.append(result.destination.lifting_index)
    assert result.lifting_index == max(lis)
    assert result.stli == result.lifting_index
    assert rwls(result)[0] == result.origin.rwl
