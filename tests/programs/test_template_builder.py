import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from programs.models import Exercise, Prescription, SessionTemplate
from tests.coach.factories import CoachUserFactory
from tests.programs.article import article_exercises, day_a, day_b
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, SessionTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_client(client, coach_user):
    client.force_login(coach_user)
    return client


def _row_data(prescription, **changes):
    data = {
        "block": prescription.block,
        "sets": prescription.sets,
        "reps_min": prescription.reps_min or "",
        "reps_max": prescription.reps_max or "",
        "hold_seconds": prescription.hold_seconds or "",
        "per_side": "on" if prescription.per_side else "",
        "load_kind": prescription.load_kind,
        "load_percent_1rm": prescription.load_percent_1rm or "",
        "load_rpe": prescription.load_rpe or "",
        "load_text": prescription.load_text,
        "rest_seconds": prescription.rest_seconds,
        "cue": prescription.cue,
    }
    data.update(changes)
    data = {k: v for k, v in data.items() if not (k == "per_side" and not v)}
    return {f"p{prescription.pk}-{k}": v for k, v in data.items()}


def test_coach_creates_a_template_and_lands_in_its_builder(coach_client, coach_user):
    response = coach_client.post(
        reverse("programs:template-create"), {"name": "Day A", "target_minutes": 30}
    )
    template = SessionTemplate.objects.get(owner=coach_user)
    assert response.url == reverse("programs:template-edit", args=[template.pk])
    page = coach_client.get(response.url)
    assert page.status_code == 200
    assert "Add from the library" in page.content.decode()


def test_duplicate_template_name_gets_a_message_next_to_the_name(coach_client, coach_user):
    SessionTemplateFactory(owner=coach_user, name="Day A")
    response = coach_client.post(
        reverse("programs:template-create"), {"name": "day a", "target_minutes": 30}
    )
    assert response.status_code == 422
    assert "You already have a template with this name." in response.content.decode()


def test_copying_a_library_template_gives_an_editable_copy(coach_client, coach_user):
    library = day_a(owner=None)
    response = coach_client.post(reverse("programs:template-copy", args=[library.pk]))
    copy = SessionTemplate.objects.get(owner=coach_user)
    assert response.url == reverse("programs:template-edit", args=[copy.pk])
    assert copy.copied_from == library
    assert copy.prescriptions.count() == library.prescriptions.count()


def test_library_template_cannot_be_edited_in_place(coach_client):
    library = day_a(owner=None)
    assert coach_client.get(reverse("programs:template-edit", args=[library.pk])).status_code == 404


def test_another_coachs_template_and_prescription_are_404(coach_client):
    theirs = day_b(owner=CoachUserFactory())
    prescription = theirs.prescriptions.first()
    assert coach_client.get(reverse("programs:template-edit", args=[theirs.pk])).status_code == 404
    assert coach_client.post(reverse("programs:template-copy", args=[theirs.pk])).status_code == 404
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, sets=1),
    )
    assert response.status_code == 404
    assert (
        coach_client.post(
            reverse("programs:prescription-delete", args=[prescription.pk])
        ).status_code
        == 404
    )


def test_athlete_cannot_open_the_builder(client, athlete):
    client.force_login(athlete.user)
    assert client.get(reverse("programs:template-list")).status_code == 403


def test_search_finds_published_and_own_proposed_exercises_only(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    ExerciseFactory(name="Goblet squat")
    ExerciseFactory(name="Zercher squat", status=Exercise.Status.PROPOSED, proposed_by=coach_user)
    ExerciseFactory(
        name="Secret squat", status=Exercise.Status.PROPOSED, proposed_by=CoachUserFactory()
    )
    ExerciseFactory(name="Old squat", status=Exercise.Status.RETIRED)
    response = coach_client.get(
        reverse("programs:exercise-search", args=[template.pk]),
        {"q": "squat"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "Goblet squat" in body and "Zercher squat" in body
    assert "Secret squat" not in body and "Old squat" not in body


def test_search_filters_by_category_pattern_and_unilateral(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    article_exercises()
    url = reverse("programs:exercise-search", args=[template.pk])
    body = coach_client.get(url, {"pattern": "hinge", "unilateral": "on"}).content.decode()
    assert "Add from the library" in body  # without htmx: the whole builder page
    assert "Single-leg Romanian deadlift" in body
    assert ">Romanian deadlift<" not in body
    body = coach_client.get(url, {"category": "power"}).content.decode()
    assert "Box jumps" in body and "Back squat" not in body


def test_adding_an_exercise_appends_it_and_bumps_the_version(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    squat = ExerciseFactory(name="Back squat")
    response = coach_client.post(
        reverse("programs:prescription-create", args=[template.pk]),
        {"exercise": squat.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Back squat" in response.content.decode()
    template.refresh_from_db()
    assert template.version == 2
    assert template.prescriptions.get().exercise == squat


def test_cannot_add_another_coachs_proposed_exercise(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    secret = ExerciseFactory(status=Exercise.Status.PROPOSED, proposed_by=CoachUserFactory())
    response = coach_client.post(
        reverse("programs:prescription-create", args=[template.pk]), {"exercise": secret.pk}
    )
    assert response.status_code == 404


def test_coach_proposes_an_exercise_that_stays_private(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    response = coach_client.post(
        reverse("programs:exercise-propose", args=[template.pk]),
        {
            "propose-name": "Copenhagen plank",
            "propose-category": "core",
            "propose-pattern": "anti_lateral",
            "propose-measure": "time",
            "propose-is_unilateral": "on",
        },
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get(name="Copenhagen plank")
    assert exercise.status == Exercise.Status.PROPOSED and exercise.proposed_by == coach_user
    assert template.prescriptions.get().hold_seconds == 30


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reps_min": 8, "reps_max": 6}, "reps_max", "Max reps must be at least the min reps (8)."),
        ({"sets": 0}, "sets", "Sets must be at least 1."),
        ({"sets": -2}, "sets", "Sets must be at least 1."),
        (
            {"load_kind": "percent_1rm", "load_percent_1rm": "105"},
            "load_percent_1rm",
            "%1RM can be at most 100.",
        ),
        ({"load_kind": "rpe", "load_rpe": ""}, "load_rpe", "Give the RPE."),
    ],
)
def test_bad_values_get_a_message_next_to_their_field_and_nothing_is_saved(
    coach_client, coach_user, changes, field, message
):
    prescription = PrescriptionFactory(template__owner=coach_user, sets=3, reps_min=6, reps_max=8)
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, **changes),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    # The message sits in the field's own feedback block, next to its input.
    field_id = f"id_p{prescription.pk}-{field}"
    assert body.index(field_id) < body.index(message)
    saved = Prescription.objects.get(pk=prescription.pk)
    assert (saved.sets, saved.reps_min, saved.reps_max) == (3, 6, 8)
    assert saved.template.version == 1


def test_a_hold_without_a_time_is_refused(coach_client, coach_user):
    plank = ExerciseFactory(name="Side plank", measure=Exercise.Measure.TIME, category="core")
    prescription = PrescriptionFactory(
        template__owner=coach_user, exercise=plank, reps_min=None, reps_max=None, hold_seconds=30
    )
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, hold_seconds=""),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "A hold needs a time in seconds." in response.content.decode()
    assert Prescription.objects.get(pk=prescription.pk).hold_seconds == 30


def test_saving_a_row_updates_it_and_the_summary(coach_client, coach_user):
    prescription = PrescriptionFactory(template__owner=coach_user, sets=3, reps_min=8)
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, sets=4, reps_min=4, reps_max=6),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-swap-oob="true"' in body and "Heavy" in body
    prescription.refresh_from_db()
    assert (prescription.sets, prescription.reps_min, prescription.reps_max) == (4, 4, 6)
    assert prescription.template.version == 2


def _saved_note(body, prescription):
    """What the row's "Saved" live region is to say, from the answer's out-of-band part."""
    found = re.search(
        rf'<p id="prescription-{prescription.pk}-saved" hx-swap-oob="innerHTML">(.*?)</p>',
        body,
        re.DOTALL,
    )
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else None


def test_a_saved_row_says_so_in_a_live_region_that_was_on_the_page_before(coach_client, coach_user):
    squat = ExerciseFactory(name="Back squat")
    prescription = PrescriptionFactory(template__owner=coach_user, exercise=squat, sets=3)
    page = coach_client.get(reverse("programs:template-edit", args=[prescription.template.pk]))
    # Empty and already there: a screen reader announces what is later written into it.
    assert f'role="status" id="prescription-{prescription.pk}-saved"></p>' in page.content.decode()

    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, sets=4, reps_min=4, reps_max=6),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert _saved_note(response.content.decode(), prescription) == "Saved: Back squat 4 × 4–6"


def test_a_refused_save_clears_the_saved_note(coach_client, coach_user):
    prescription = PrescriptionFactory(template__owner=coach_user)
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, sets=0),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert _saved_note(response.content.decode(), prescription) == ""
    assert "Not saved: see the messages above." in response.content.decode()


def test_a_row_saved_without_javascript_says_so_on_the_page_it_returns_to(coach_client, coach_user):
    prescription = PrescriptionFactory(
        template__owner=coach_user, exercise=ExerciseFactory(name="Calf raises")
    )
    response = coach_client.post(
        reverse("programs:prescription-update", args=[prescription.pk]),
        _row_data(prescription, sets=5),
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    assert "Saved Calf raises." in response.content.decode()


def test_intensity_override_is_shown_next_to_the_derived_class(coach_client, coach_user):
    prescription = PrescriptionFactory(template__owner=coach_user, reps_min=4, reps_max=6)
    template = prescription.template
    response = coach_client.post(
        reverse("programs:template-update", args=[template.pk]),
        {"name": template.name, "target_minutes": 30, "intensity_override": "light"},
    )
    assert response.status_code == 302
    body = coach_client.get(reverse("programs:template-edit", args=[template.pk])).content.decode()
    assert "(set by you; derived: heavy)" in body
    template.refresh_from_db()
    assert template.version == 2


def test_move_and_reorder_change_the_order(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    first, second, third = (PrescriptionFactory(template=template) for _ in range(3))
    coach_client.post(reverse("programs:prescription-move", args=[third.pk]), {"direction": "up"})
    assert list(template.prescriptions.values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]
    coach_client.post(
        reverse("programs:template-reorder", args=[template.pk]),
        {"order": [second.pk, first.pk, third.pk]},
    )
    assert list(template.prescriptions.values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
        third.pk,
    ]


def test_reorder_with_a_foreign_id_changes_nothing(coach_client, coach_user):
    template = SessionTemplateFactory(owner=coach_user)
    first, second = (PrescriptionFactory(template=template) for _ in range(2))
    other = PrescriptionFactory()
    response = coach_client.post(
        reverse("programs:template-reorder", args=[template.pk]),
        {"order": [second.pk, other.pk]},
    )
    assert response.status_code == 422
    assert list(template.prescriptions.values_list("pk", flat=True)) == [first.pk, second.pk]


def test_a_reorder_sent_from_a_list_that_changed_since_shows_the_current_order(
    coach_client, coach_user
):
    template = SessionTemplateFactory(owner=coach_user)
    first, second, third = (PrescriptionFactory(template=template) for _ in range(3))
    coach_client.post(reverse("programs:prescription-delete", args=[second.pk]))  # another tab
    response = coach_client.post(
        reverse("programs:template-reorder", args=[template.pk]),
        {"order": [third.pk, second.pk, first.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert "The list changed in another window meanwhile" in response.content.decode()
    assert _listed_order(response) == [first.pk, third.pk]
    assert list(template.prescriptions.values_list("pk", flat=True)) == [first.pk, third.pk]


def test_removing_an_exercise_bumps_the_version(coach_client, coach_user):
    prescription = PrescriptionFactory(template__owner=coach_user)
    coach_client.post(reverse("programs:prescription-delete", args=[prescription.pk]))
    template = SessionTemplate.objects.get(pk=prescription.template_id)
    assert template.prescriptions.count() == 0 and template.version == 2


def _listed_order(response) -> list[int]:
    listed = re.findall(r'data-prescription-id="(\d+)"', response.content.decode())
    return [int(pk) for pk in listed]


def _at_once(*requests):
    """Run each (client, url, data) POST in its own thread and database connection, released
    together; their responses in the same order."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def post(index, client, url, data):
        try:
            start.wait()
            responses[index] = client.post(url, data, headers={"HX-Request": "true"})
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.mark.django_db(transaction=True)
def test_a_move_racing_a_delete_never_fails_and_a_lost_move_shows_the_current_order():
    """Two logins of one coach: one moves an exercise while the other removes it or its
    neighbour. The move waits for the removal or goes first; one that lost its exercise
    answers 409 with the list as it now is."""
    coach = CoachUserFactory()
    mover, remover = Client(raise_request_exception=False), Client(raise_request_exception=False)
    mover.force_login(coach)
    remover.force_login(coach)
    statuses = []
    for attempt in range(40):
        template = SessionTemplateFactory(owner=coach, name=f"Race {attempt}")
        rows = [PrescriptionFactory(template=template) for _ in range(5)]
        moved, removed = rows[1], rows[2] if attempt % 2 else rows[1]
        move, delete = _at_once(
            (mover, reverse("programs:prescription-move", args=[moved.pk]), {"direction": "down"}),
            (remover, reverse("programs:prescription-delete", args=[removed.pk]), {}),
        )
        statuses.append(move.status_code)
        order = list(template.prescriptions.values_list("pk", flat=True))
        assert delete.status_code == 200
        assert removed.pk not in order and len(order) == 4
        if move.status_code == 409:
            assert "removed in another window" in move.content.decode()
            assert _listed_order(move) == order
        else:
            assert move.status_code in (200, 404), move.content.decode()[:2000]
        if removed is not moved:  # moved before the removal, or past its new neighbour after it
            first, second, _, fourth, fifth = (row.pk for row in rows)
            assert move.status_code == 200
            assert order in ([first, second, fourth, fifth], [first, fourth, second, fifth])
    assert set(statuses) <= {200, 404, 409}
