import re

import pytest
from django.urls import reverse

from programs import services
from programs.models import Program, ProgramSession
from tests.coach.factories import CoachUserFactory
from tests.programs.article import day_a, day_b
from tests.programs.factories import PrescriptionFactory, SessionTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_client(client, coach_user):
    client.force_login(coach_user)
    return client


@pytest.fixture
def program(coach_user):
    return services.program_create(
        coach=coach_user,
        name="Spring 5K",
        weeks=6,
        slots=[("Day A", day_a(coach_user)), ("Day B", day_b(coach_user))],
    )


def _weeks_post(program, week_changes):
    """The week plans form as shown, with `week_changes` {number: {field: value}} applied."""
    weeks = list(program.program_weeks.all())
    data = {
        "weeks-TOTAL_FORMS": len(weeks),
        "weeks-INITIAL_FORMS": len(weeks),
        "weeks-MIN_NUM_FORMS": 0,
        "weeks-MAX_NUM_FORMS": 1000,
    }
    for i, week in enumerate(weeks):
        values = {
            "id": week.pk,
            "kind": week.kind,
            "sets_delta": week.sets_delta,
            "reps_delta": week.reps_delta,
            "volume_percent": week.volume_percent,
        }
        values.update(week_changes.get(week.number, {}))
        data.update({f"weeks-{i}-{k}": v for k, v in values.items()})
    return data


def _squat_sets(program, week):
    session = ProgramSession.objects.get(program=program, week=week, name="Day A")
    return session.prescriptions.get(exercise__name="Back squat").sets


def test_coach_builds_a_six_week_program_from_two_templates(coach_client, coach_user):
    a, b = day_a(coach_user), day_b(coach_user)
    response = coach_client.post(
        reverse("programs:program-create"),
        {"name": "Spring 5K", "weeks": 6, "slot_1": a.pk, "slot_2": b.pk},
    )
    program = Program.objects.get(coach=coach_user)
    assert response.url == reverse("programs:program-detail", args=[program.pk])
    assert program.sessions.count() == 12
    page = coach_client.get(response.url).content.decode()
    assert "Week 4 · Deload" in page and "Week 6 · Taper" in page


@pytest.mark.parametrize(
    ("weeks", "message"),
    [(3, "A program has at least 4 weeks."), (13, "A program has at most 12 weeks.")],
)
def test_program_length_outside_4_to_12_is_refused(coach_client, coach_user, weeks, message):
    a = day_a(coach_user)
    response = coach_client.post(
        reverse("programs:program-create"), {"name": "Short", "weeks": weeks, "slot_1": a.pk}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Program.objects.exists()


def test_another_coachs_template_cannot_be_used_in_a_program(coach_client):
    theirs = day_a(CoachUserFactory())
    response = coach_client.post(
        reverse("programs:program-create"), {"name": "Mine", "weeks": 6, "slot_1": theirs.pk}
    )
    assert response.status_code == 422
    assert not Program.objects.exists()


def test_a_template_without_exercises_cannot_make_a_program(coach_client, coach_user):
    empty = SessionTemplateFactory(owner=coach_user, name="Blank day")
    response = coach_client.post(
        reverse("programs:program-create"),
        {"name": "Hollow", "weeks": 6, "slot_1": day_a(coach_user).pk, "slot_2": empty.pk},
    )
    assert response.status_code == 422
    assert "“Blank day” has no exercises yet" in response.content.decode()
    assert not Program.objects.exists()
    preview = coach_client.get(
        reverse("programs:program-lint-preview"), {"weeks": 6, "slot_1": empty.pk}
    )
    assert "No unilateral strength exercise" in preview.content.decode()


def test_create_form_lints_live_before_saving(coach_client, coach_user):
    a = day_a(coach_user)
    response = coach_client.get(
        reverse("programs:program-lint-preview"), {"weeks": 10, "slot_1": a.pk}
    )
    body = response.content.decode()
    assert "Block length outside 6–8 weeks." in body
    assert "No unilateral strength exercise this week." in body
    assert not Program.objects.exists()


def test_every_finding_is_a_warning_the_block_length_one_too(coach_client, coach_user):
    # One word for every finding, as "No warnings" says when there are none.
    response = coach_client.get(
        reverse("programs:program-lint-preview"), {"weeks": 10, "slot_1": day_a(coach_user).pk}
    )
    findings = [
        (word, text.strip())
        for word, text in re.findall(r"<strong>(\w+):</strong> ([^<(]+)", response.content.decode())
    ]
    assert ("Warning", "Block length outside 6–8 weeks.") in findings
    assert {word for word, _ in findings} == {"Warning"}


def test_program_page_shows_the_linter(coach_client, program):
    body = coach_client.get(reverse("programs:program-detail", args=[program.pk])).content
    assert "No warnings: this block follows the article" in body.decode()


def test_changing_week_plans_re_resolves_sessions_but_not_hand_edited_ones(coach_client, program):
    edited = ProgramSession.objects.get(program=program, week=2, name="Day A")
    services.program_session_update(session=edited, prescriptions=list(edited.prescriptions.all()))
    response = coach_client.post(
        reverse("programs:program-weeks-update", args=[program.pk]),
        _weeks_post(program, {2: {"sets_delta": 1}, 3: {"sets_delta": 1}}),
    )
    assert response.status_code == 302
    assert _squat_sets(program, 3) == 5
    assert _squat_sets(program, 2) == 4  # edited by hand: progression leaves it alone


def test_week_plan_bad_values_get_messages_and_nothing_changes(coach_client, program):
    response = coach_client.post(
        reverse("programs:program-weeks-update", args=[program.pk]),
        _weeks_post(program, {2: {"sets_delta": 1}, 3: {"volume_percent": 5}}),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Week 3 volume %: Ensure this value is greater than or equal to 20." in (
        response.content.decode()
    )
    assert _squat_sets(program, 2) == 4
    assert program.program_weeks.get(number=2).sets_delta == 0


def test_making_a_week_a_deload_without_retyping(coach_client, program):
    response = coach_client.post(
        reverse("programs:program-week-kind", args=[program.pk]), {"week": 2, "kind": "deload"}
    )
    assert response.status_code == 302
    week = program.program_weeks.get(number=2)
    assert (week.kind, week.volume_percent) == ("deload", 60)
    assert _squat_sets(program, 2) == 3  # ceil(4 × 60 %)


@pytest.mark.parametrize("week", [0, 7])
def test_a_week_outside_the_program_gets_a_message(coach_client, program, week):
    response = coach_client.post(
        reverse("programs:program-week-kind", args=[program.pk]),
        {"week": week, "kind": "deload"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert f"Week {week} is outside this 6-week program." in response.content.decode()


def test_load_step_change_re_resolves_percent_guidance(coach_client, program):
    session = ProgramSession.objects.get(program=program, week=1, name="Day A")
    squat = session.prescriptions.get(exercise__name="Back squat")
    squat.load_kind, squat.load_percent_1rm, squat.load_text = "percent_1rm", 80, ""
    squat.save()
    slot = program.slots.get(label="Day A")
    base = slot.base_prescriptions.get(exercise__name="Back squat")
    base.load_kind, base.load_percent_1rm, base.load_text = "percent_1rm", 80, ""
    base.save()
    response = coach_client.post(
        reverse("programs:program-update", args=[program.pk]),
        {"name": program.name, "load_step_percent_1rm": "5", "load_step_rpe": "0.5"},
    )
    assert response.status_code == 302
    week3 = ProgramSession.objects.get(program=program, week=3, name="Day A")
    assert week3.prescriptions.get(exercise__name="Back squat").load_percent_1rm == 90


def test_editing_one_session_of_one_week_marks_it_customized(coach_client, program):
    session = ProgramSession.objects.get(program=program, week=5, name="Day A")
    url = reverse("programs:program-session-edit", args=[session.pk])
    assert coach_client.get(url).status_code == 200
    prescriptions = list(session.prescriptions.all())
    data = {
        "prescriptions-TOTAL_FORMS": len(prescriptions),
        "prescriptions-INITIAL_FORMS": len(prescriptions),
        "prescriptions-MIN_NUM_FORMS": 0,
        "prescriptions-MAX_NUM_FORMS": 1000,
    }
    for i, p in enumerate(prescriptions):
        values = {
            "id": p.pk,
            "block": p.block,
            "sets": 2 if p.exercise.name == "Back squat" else p.sets,
            "reps_min": p.reps_min or "",
            "reps_max": p.reps_max or "",
            "hold_seconds": p.hold_seconds or "",
            "load_kind": p.load_kind,
            "load_text": p.load_text,
            "rest_seconds": p.rest_seconds,
            "cue": p.cue,
        }
        if p.per_side:
            values["per_side"] = "on"
        data.update({f"prescriptions-{i}-{k}": v for k, v in values.items()})
    response = coach_client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.is_customized
    assert _squat_sets(program, 5) == 2
    assert _squat_sets(program, 3) == 4


def test_session_edit_refuses_bad_values_and_saves_nothing(coach_client, program):
    session = ProgramSession.objects.get(program=program, week=1, name="Day A")
    p = session.prescriptions.get(exercise__name="Back squat")
    data = {
        "prescriptions-TOTAL_FORMS": 1,
        "prescriptions-INITIAL_FORMS": 1,
        "prescriptions-MIN_NUM_FORMS": 0,
        "prescriptions-MAX_NUM_FORMS": 1000,
        "prescriptions-0-id": p.pk,
        "prescriptions-0-block": "main",
        "prescriptions-0-sets": 0,
        "prescriptions-0-reps_min": 6,
        "prescriptions-0-reps_max": 4,
        "prescriptions-0-load_kind": "none",
        "prescriptions-0-rest_seconds": 90,
    }
    response = coach_client.post(reverse("programs:program-session-edit", args=[session.pk]), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Sets must be at least 1." in body
    assert "Max reps must be at least the min reps (6)." in body
    session.refresh_from_db()
    assert not session.is_customized and _squat_sets(program, 1) == 4


def test_resetting_a_hand_edited_session_follows_progression_again(coach_client, program):
    session = ProgramSession.objects.get(program=program, week=2, name="Day A")
    squat = session.prescriptions.get(exercise__name="Back squat")
    squat.sets = 1
    services.program_session_update(session=session, prescriptions=[squat])
    coach_client.post(reverse("programs:program-session-reset", args=[session.pk]))
    session = ProgramSession.objects.get(program=program, week=2, name="Day A")
    assert not session.is_customized and _squat_sets(program, 2) == 4


def test_duplicate_copies_everything_under_a_new_name(coach_client, program):
    response = coach_client.post(reverse("programs:program-duplicate", args=[program.pk]))
    copy = Program.objects.exclude(pk=program.pk).get()
    assert response.url == reverse("programs:program-detail", args=[copy.pk])
    assert copy.name == "Spring 5K (copy)" and copy.copied_from == program
    assert copy.sessions.count() == 12 and copy.program_weeks.count() == 6
    assert _squat_sets(copy, 4) == _squat_sets(program, 4)


def test_archive_hides_the_program_from_the_list_until_restored(coach_client, program):
    coach_client.post(reverse("programs:program-archive", args=[program.pk]))
    program.refresh_from_db()
    assert program.archived_at is not None
    listing = coach_client.get(reverse("programs:program-list")).content.decode()
    assert "Archived" in listing and f"Restore {program.name}" in listing
    coach_client.post(reverse("programs:program-archive", args=[program.pk]), {"archived": "0"})
    program.refresh_from_db()
    assert program.archived_at is None


@pytest.mark.parametrize(
    "name",
    [
        "programs:program-detail",
        "programs:program-update",
        "programs:program-weeks-update",
        "programs:program-week-kind",
        "programs:program-duplicate",
        "programs:program-archive",
    ],
)
def test_another_coachs_program_is_404(coach_client, name):
    theirs = services.program_create(
        coach=CoachUserFactory(), name="Theirs", weeks=6, slots=[("Day A", day_a())]
    )
    method = coach_client.get if name == "programs:program-detail" else coach_client.post
    assert method(reverse(name, args=[theirs.pk])).status_code == 404
    session = theirs.sessions.first()
    assert (
        coach_client.get(reverse("programs:program-session-edit", args=[session.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_tampered_week_form_that_adds_weeks_is_refused_with_a_message(client):
    coach = CoachUserFactory()
    template = PrescriptionFactory(template__owner=coach).template
    program = services.program_create(
        coach=coach, name="Block", weeks=6, slots=[("Day A", template)]
    )
    weeks = list(program.program_weeks.all())
    data = {"weeks-TOTAL_FORMS": len(weeks), "weeks-INITIAL_FORMS": 0}
    for i, week in enumerate(weeks):
        data |= {
            f"weeks-{i}-id": week.pk,
            f"weeks-{i}-kind": "build",
            f"weeks-{i}-sets_delta": 0,
            f"weeks-{i}-reps_delta": 0,
            f"weeks-{i}-volume_percent": 100,
        }
    client.force_login(coach)

    response = client.post(reverse("programs:program-weeks-update", args=[program.pk]), data)

    assert response.status_code == 422
    assert "reload the page" in response.text
    assert program.program_weeks.count() == 6
