"""The library admin: finding, reviewing, publishing and retiring exercises, CSV in and out,
templates with their prescriptions, and deletes that would lose training refused."""

import csv
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.forms_admin import MAX_UPLOAD_BYTES
from programs.library_data import EXERCISE_FIELDS
from programs.models import Exercise, Prescription, SessionTemplate
from programs.services import program_create
from tests.coach.factories import CoachUserFactory, second_factor_turn_on
from tests.coach.sign_in import sign_in
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, SessionTemplateFactory

CHANGELIST = reverse("admin:programs_exercise_changelist")
IMPORT = reverse("admin:programs_exercise_import")
EXPORT = reverse("admin:programs_exercise_export")
HEADER = ",".join(EXERCISE_FIELDS)


@pytest.fixture
def library(db):
    return {
        "squat": ExerciseFactory(
            name="Back squat", category="strength", pattern="squat", equipment="Barbell, rack"
        ),
        "jumps": ExerciseFactory(
            name="Box jumps", category="power", pattern="jump", cues="Minimal ground contact"
        ),
        "split": ExerciseFactory(
            name="Split squat", category="strength", pattern="lunge", is_unilateral=True
        ),
        "old": ExerciseFactory(name="Leg extension", status=Exercise.Status.RETIRED),
    }


def listed_names(response):
    return {str(e) for e in response.context["cl"].result_list}


def upload(text, name="exercises.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def snapshot():
    return list(Exercise.objects.order_by("name").values(*EXERCISE_FIELDS, "id"))


def values_by_name():
    return list(Exercise.objects.order_by("name").values(*EXERCISE_FIELDS))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Back squat", "Box jumps", "Split squat", "Leg extension"}),
        ("?q=squat", {"Back squat", "Split squat"}),
        ("?q=ground+contact", {"Box jumps"}),
        ("?q=barbell", {"Back squat"}),
        ("?category__exact=power", {"Box jumps"}),
        ("?pattern__exact=lunge", {"Split squat"}),
        ("?is_unilateral__exact=1", {"Split squat"}),
        ("?status__exact=retired", {"Leg extension"}),
        (
            "?measure__exact=reps&status__exact=published&q=s",
            {"Back squat", "Box jumps", "Split squat"},
        ),
    ],
)
def test_exercises_are_found_by_name_cue_or_equipment_and_filtered(
    admin_client, library, query, expected
):
    response = admin_client.get(CHANGELIST + query)
    assert response.status_code == 200
    assert listed_names(response) == expected


def test_proposed_exercises_show_for_review_with_who_proposed_them(admin_client, library):
    coach = CoachUserFactory(username="coachkim")
    ExerciseFactory(name="Nordic curl", status=Exercise.Status.PROPOSED, proposed_by=coach)
    response = admin_client.get(CHANGELIST)
    assert "Review proposed (1)" in response.text
    review = admin_client.get(CHANGELIST + "?status__exact=proposed")
    assert listed_names(review) == {"Nordic curl"}
    assert "coachkim" in review.text


@pytest.mark.parametrize(("action", "status"), [("publish", "published"), ("retire", "retired")])
def test_publish_and_retire_actions_change_the_status(
    admin_client, admin_user, library, action, status
):
    proposed = ExerciseFactory(name="Nordic curl", status=Exercise.Status.PROPOSED)
    chosen = [proposed.pk, library["old"].pk, library["squat"].pk]
    response = admin_client.post(
        CHANGELIST, {"action": action, "_selected_action": chosen}, follow=True
    )
    assert response.status_code == 200
    assert set(Exercise.objects.filter(pk__in=chosen).values_list("status", flat=True)) == {status}
    history = LogEntry.objects.filter(object_id=str(proposed.pk)).get()
    assert (history.user, history.get_change_message()) == (
        admin_user,
        f"{status.capitalize()} (was proposed).",
    )
    library["jumps"].refresh_from_db()
    assert library["jumps"].status == "published"


def export_selected(client, exercises):
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [e.pk for e in exercises]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode()


def test_export_then_import_round_trips_every_value(admin_client, library):
    library["jumps"].cues = '=HYPERLINK("x"), "quoted", comma\nand a second line'
    library["jumps"].video_url = "https://example.com/box-jumps"
    library["jumps"].save()
    before = snapshot()
    exported = export_selected(admin_client, Exercise.objects.all())
    assert exported.splitlines()[0] == HEADER
    assert "'=HYPERLINK" in exported  # a spreadsheet shows the formula as text

    response = admin_client.post(IMPORT, {"file": upload(exported)}, follow=True)
    assert "0 new, 0 updated and 4 unchanged" in response.text
    assert snapshot() == before

    Exercise.objects.all().delete()
    admin_client.post(IMPORT, {"file": upload(exported)})
    assert values_by_name() == [{k: v for k, v in row.items() if k != "id"} for row in before]


def test_export_button_exports_what_the_filtered_list_shows(admin_client, library):
    response = admin_client.get(EXPORT + "?category__exact=strength&status__exact=published")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ["Back squat", "Split squat"]
    assert rows[1]["is_unilateral"] == "true"


def test_the_list_links_to_import_and_to_an_export_of_its_filters(admin_client, library):
    response = admin_client.get(CHANGELIST + "?category__exact=power")
    assert f'href="{IMPORT}"' in response.text
    assert f'href="{EXPORT}?category__exact=power"' in response.text


def test_import_matches_names_ignoring_case_and_updates_instead_of_duplicating(
    admin_client, library
):
    text = (
        "name,category,pattern,is_unilateral,cues\n"
        "BACK SQUAT,strength,squat,no,Brace and drive\n"
        "Goblet squat,strength,squat,no,Hold it at the chest\n"
    )
    response = admin_client.post(IMPORT, {"file": upload(text)}, follow=True)
    assert "1 new, 1 updated" in response.text
    squat = Exercise.objects.get(pk=library["squat"].pk)
    assert (squat.name, squat.cues, squat.equipment) == (
        "BACK SQUAT",
        "Brace and drive",
        "Barbell, rack",
    )
    assert Exercise.objects.filter(name__iexact="back squat").count() == 1
    goblet = Exercise.objects.get(name="Goblet squat")
    assert LogEntry.objects.get(object_id=str(goblet.pk)).get_change_message() == (
        "Imported from CSV."
    )
    assert (goblet.status, goblet.measure) == ("published", "reps")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_import_reads_semicolon_or_tab_separated_files(admin_client, library, delimiter):
    text = delimiter.join(["name", "category", "pattern", "cues"]) + "\n"
    text += delimiter.join(["Nordic curl", "strength", "hinge", "Slow, controlled"]) + "\n"
    response = admin_client.post(IMPORT, {"file": upload(text)}, follow=True)
    assert "1 new" in response.text
    assert Exercise.objects.get(name="Nordic curl").cues == "Slow, controlled"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name,category,pattern\nGoblet squat,strength,squat\nNordic curl,legs,hinge\n",
            "Row 3: category: Value &#x27;legs&#x27; is not a valid choice. "
            "Use one of: strength, power, core, mobility.",
        ),
        ("name,category,pattern\nGoblet squat,strength,squat\n,strength,squat\n", "Row 3: name:"),
        (
            "name,category,pattern\nGoblet squat,strength,squat\ngoblet SQUAT,strength,squat\n",
            "Row 3: “goblet SQUAT” is already on row 2.",
        ),
        (
            "name,category,pattern,is_unilateral\nGoblet squat,strength,squat,maybe\n",
            "Row 2: is_unilateral: “maybe” is not yes/no",
        ),
        (
            "name,category,pattern,video_url\nGoblet squat,strength,squat,not a link\n",
            "Row 2: video_url: Enter a valid URL.",
        ),
        ("name,category,pattern\nGoblet squat,strength,squat,extra\n", "Row 2: more cells"),
        ("name,category,colour\nGoblet squat,strength,red\n", "Unknown column(s): colour"),
        ("category,pattern\nstrength,squat\n", "at least a “name” column"),
        ("name,category,pattern\n", "no exercises"),
        (
            "name,category,pattern\nGoblet squat,strength,squat\nNordic\x00 curl,strength,hinge\n",
            "Row 3: name: Null characters are not allowed.",
        ),
        (
            "name,category,pattern,cues\nGoblet squat,strength,squat,Chest up\x00\n",
            "Row 2: cues: Null characters are not allowed.",
        ),
        (
            "name,category,pattern,cues\nGoblet squat,strength,squat,Chest up\n"
            f"Nordic curl,strength,hinge,{'Slow. ' * 25_000}\n",
            "Row 3: a cell holds more than 131,072 characters",
        ),
    ],
)
def test_a_bad_file_says_what_is_wrong_and_imports_nothing(admin_client, library, text, message):
    before = snapshot()
    response = admin_client.post(IMPORT, {"file": upload(text)})
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert message in response.text
    assert snapshot() == before


def test_a_file_saved_with_carriage_returns_only_imports(admin_client, library):
    text = "name,category,pattern\rNordic curl,strength,hinge\rGoblet squat,strength,squat\r"
    response = admin_client.post(IMPORT, {"file": upload(text)}, follow=True)
    assert "Imported 2 new" in response.text
    assert Exercise.objects.filter(name__in=["Nordic curl", "Goblet squat"]).count() == 2


def test_an_upload_over_the_size_limit_or_not_utf8_is_refused(admin_client, library):
    too_big = HEADER + "\n" + "x" * MAX_UPLOAD_BYTES
    response = admin_client.post(IMPORT, {"file": upload(too_big)})
    assert "at most 512 KB" in response.text
    latin1 = SimpleUploadedFile(
        "e.csv", "name,category,pattern\nSquat é,strength,squat\n".encode("latin-1")
    )
    response = admin_client.post(IMPORT, {"file": latin1})
    assert "not UTF-8" in response.text
    assert snapshot() == snapshot() and Exercise.objects.count() == 4


def test_the_import_page_needs_a_staff_user(client, coach_user):
    client.force_login(coach_user)
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_deleting_an_exercise_used_in_a_prescription_raises_protected_error(db):
    prescription = PrescriptionFactory()
    with pytest.raises(ProtectedError):
        prescription.exercise.delete()


def test_the_admin_refuses_to_delete_an_exercise_a_template_uses(admin_client):
    prescription = PrescriptionFactory()
    exercise = prescription.exercise
    url = reverse("admin:programs_exercise_delete", args=[exercise.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Cannot delete" in response.text
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    bulk = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [exercise.pk], "post": "yes"}
    )
    assert "Cannot delete" in bulk.text
    assert Exercise.objects.filter(pk=exercise.pk).exists()


def test_the_admin_deletes_an_exercise_nothing_uses(admin_client, library):
    url = reverse("admin:programs_exercise_delete", args=[library["old"].pk])
    admin_client.post(url, {"post": "yes"})
    assert not Exercise.objects.filter(pk=library["old"].pk).exists()


def test_the_exercise_list_costs_the_same_queries_for_more_rows(admin_client):
    coach = CoachUserFactory()
    ExerciseFactory.create_batch(2, proposed_by=coach, status="proposed")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(CHANGELIST)
    ExerciseFactory.create_batch(20, proposed_by=CoachUserFactory(), status="proposed")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(CHANGELIST)
    assert len(many) == len(few)


def template_form_data(template, prescriptions):
    """The admin change form's POST for a template and its prescription rows."""
    data = {
        "name": template.name,
        "owner": template.owner_id or "",
        "description": template.description,
        "target_minutes": template.target_minutes,
        "intensity_override": template.intensity_override,
        "prescriptions-TOTAL_FORMS": len(prescriptions),
        "prescriptions-INITIAL_FORMS": sum(1 for p in prescriptions if p.get("id")),
        "prescriptions-MIN_NUM_FORMS": 0,
        "prescriptions-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(prescriptions):
        defaults = {"block": "main", "sets": 3, "load_kind": "none", "rest_seconds": 90}
        for name, value in {**defaults, **row}.items():
            data[f"prescriptions-{index}-{name}"] = "" if value is None else value
        data[f"prescriptions-{index}-template"] = template.pk or ""
    return data


def test_library_templates_list_filters_and_shows_prescriptions_in_order(admin_client):
    library_template = SessionTemplateFactory(name="Day A — Strength & power", owner=None)
    SessionTemplateFactory(name="Kim's Day A")
    second = PrescriptionFactory(template=library_template, position=2, exercise__name="Box jumps")
    first = PrescriptionFactory(template=library_template, position=1, exercise__name="Back squat")
    changelist = reverse("admin:programs_sessiontemplate_changelist")
    response = admin_client.get(changelist + "?library=yes")
    assert listed_names(response) == {"Day A — Strength & power"}
    assert listed_names(admin_client.get(changelist + "?library=no")) == {"Kim's Day A"}
    page = admin_client.get(
        reverse("admin:programs_sessiontemplate_change", args=[library_template.pk])
    )
    assert page.status_code == 200
    forms = page.context["inline_admin_formsets"][0].formset.forms
    assert [f.instance.pk for f in forms] == [first.pk, second.pk]


def test_editing_a_library_templates_prescriptions_saves_them_and_bumps_its_version(
    admin_client,
):
    template = SessionTemplateFactory(owner=None)
    prescription = PrescriptionFactory(template=template, reps_min=6, reps_max=8)
    url = reverse("admin:programs_sessiontemplate_change", args=[template.pk])
    data = template_form_data(
        template,
        [
            {
                "id": prescription.pk,
                "position": 0,
                "exercise": prescription.exercise_id,
                "sets": 4,
                "reps_min": 4,
                "reps_max": 6,
            }
        ],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    prescription.refresh_from_db()
    template.refresh_from_db()
    assert (prescription.sets, prescription.reps_min, prescription.reps_max) == (4, 4, 6)
    assert template.version == 2


def test_a_prescription_breaking_a_rule_is_a_message_not_a_server_error(admin_client):
    template = SessionTemplateFactory(owner=None)
    exercise = ExerciseFactory()
    url = reverse("admin:programs_sessiontemplate_change", args=[template.pk])
    data = template_form_data(
        template, [{"position": 0, "exercise": exercise.pk, "reps_min": 8, "reps_max": 6}]
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Please correct the error" in response.text
    assert not Prescription.objects.filter(template=template).exists()
    template.refresh_from_db()
    assert template.version == 1


def test_a_template_a_program_uses_cannot_be_deleted(admin_client):
    coach = CoachUserFactory()
    template = SessionTemplateFactory(owner=coach)
    PrescriptionFactory(template=template)
    program_create(coach=coach, name="Block", weeks=6, slots=[("Day A", template)])
    response = admin_client.get(
        reverse("admin:programs_sessiontemplate_delete", args=[template.pk])
    )
    assert "Cannot delete" in response.text
    assert SessionTemplate.objects.filter(pk=template.pk).exists()


def test_program_pages_show_weeks_slots_and_sessions(admin_client):
    coach = CoachUserFactory()
    template = SessionTemplateFactory(owner=coach)
    PrescriptionFactory(template=template)
    program = program_create(coach=coach, name="Block", weeks=6, slots=[("Day A", template)])
    assert admin_client.get(reverse("admin:programs_program_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert page.status_code == 200
    assert "Deload" in page.text and "Day A" in page.text
    session = program.sessions.first()
    assert (
        admin_client.get(
            reverse("admin:programs_programsession_change", args=[session.pk])
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:programs_program_add")).status_code == 403


def test_staff_who_may_only_view_exercises_can_export_but_not_import(client, library):
    from django.contrib.auth.models import Permission

    viewer = CoachUserFactory(is_staff=True)
    second_factor_turn_on(viewer)  # staff open the admin only with one
    viewer.user_permissions.add(Permission.objects.get(codename="view_exercise"))
    sign_in(client, viewer)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert f'href="{IMPORT}"' not in page.text
    assert client.get(IMPORT).status_code == 403
    assert client.get(EXPORT).status_code == 200


def test_a_template_page_costs_the_same_queries_for_more_prescriptions(admin_client):
    short, long = SessionTemplateFactory(owner=None), SessionTemplateFactory(owner=None)
    PrescriptionFactory.create_batch(2, template=short)
    PrescriptionFactory.create_batch(12, template=long)
    # Warm the per-process caches (content types, permissions) on the page under test itself.
    admin_client.get(reverse("admin:programs_sessiontemplate_change", args=[short.pk]))
    counts = []
    for template in (short, long):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(
                reverse("admin:programs_sessiontemplate_change", args=[template.pk])
            )
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
