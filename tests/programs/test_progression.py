"""Week by week, the resolved prescriptions of a 6-week program of the article's Day A and Day B
(default weeks: build, build, build, deload, build, taper; +2.5 % 1RM and +0.5 RPE a build week)."""

from decimal import Decimal

import pytest

from programs import services
from programs.models import ProgramSession
from tests.programs.article import day_a, day_b
from tests.programs.factories import PrescriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coach_user):
    a = day_a(coach_user)
    # Give the squat %1RM guidance and the RDL RPE guidance, so the load steps show.
    a.prescriptions.filter(exercise__name="Back squat").update(
        load_kind="percent_1rm", load_percent_1rm=Decimal(75), load_text=""
    )
    a.prescriptions.filter(exercise__name="Romanian deadlift").update(
        load_kind="rpe", load_rpe=Decimal(7)
    )
    return services.program_create(
        coach=coach_user,
        name="Spring 5K",
        weeks=6,
        slots=[("Day A", a), ("Day B", day_b(coach_user))],
    )


def _week(program, week, name, exercise):
    session = ProgramSession.objects.get(program=program, week=week, name=name)
    return session.prescriptions.get(exercise__name=exercise)


def test_squat_load_climbs_each_build_week_resets_in_deload_and_holds_in_taper(program):
    loads = [_week(program, w, "Day A", "Back squat").load_percent_1rm for w in range(1, 7)]
    assert loads == [Decimal(n) for n in ("75", "77.5", "80", "75", "82.5", "82.5")]


def test_rpe_guidance_steps_by_half_a_point(program):
    rpes = [_week(program, w, "Day A", "Romanian deadlift").load_rpe for w in range(1, 7)]
    assert rpes == [Decimal(n) for n in ("7", "7.5", "8", "7", "8.5", "8.5")]


def test_deload_and_taper_keep_60_percent_of_the_sets(program):
    squat_sets = [_week(program, w, "Day A", "Back squat").sets for w in range(1, 7)]
    calf_sets = [_week(program, w, "Day B", "Calf raises").sets for w in range(1, 7)]
    assert squat_sets == [4, 4, 4, 3, 4, 3]
    assert calf_sets == [4, 4, 4, 3, 4, 3]


def test_warm_up_is_never_progressed(program):
    assert {_week(program, w, "Day A", "Hip swings").sets for w in range(1, 7)} == {1}


def test_day_a_is_heavy_from_week_one_and_only_the_deload_lightens_it(program):
    # The squat's 4 × 4–6 at 75 % 1RM is heavy already (low reps at 70 % or more), as the
    # article's "moderate-heavy" is; the deload week drops back to moderate.
    intensities = [
        ProgramSession.objects.get(program=program, week=w, name="Day A").intensity
        for w in range(1, 7)
    ]
    assert intensities == ["heavy", "heavy", "heavy", "moderate", "heavy", "heavy"]


def test_set_and_rep_changes_apply_to_main_work_only(program):
    plans = services._week_plans(program)
    plans[1] = plans[1].__class__(number=2, sets_delta=1, reps_delta=2)
    services.program_weeks_update(program=program, plans=plans)
    split_squat = _week(program, 2, "Day B", "Bulgarian split squat")
    pallof = _week(program, 2, "Day B", "Pallof press")
    assert (split_squat.sets, split_squat.reps_min, split_squat.reps_max) == (4, 10, 14)
    assert (pallof.sets, pallof.reps_min) == (3, 10)


def test_load_is_capped_at_100_percent(coach_user):
    prescription = PrescriptionFactory(
        template__owner=coach_user,
        reps_min=1,
        reps_max=None,
        load_kind="percent_1rm",
        load_percent_1rm=Decimal(98),
    )
    program = services.program_create(
        coach=coach_user, name="Peak", weeks=8, slots=[("Max", prescription.template)]
    )
    week7 = ProgramSession.objects.get(program=program, week=7).prescriptions.get()
    assert week7.load_percent_1rm == 100
