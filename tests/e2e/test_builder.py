"""The coach's builder in Chromium at laptop size: from an empty account to a 6-week program."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from programs.library_data import DAY_B
from programs.models import Program, SessionTemplate
from programs.services import library_load, program_create
from tests.coach.factories import CoachUserFactory
from tests.e2e.conftest import log_in
from tests.programs.article import day_a

pytestmark = pytest.mark.django_db(transaction=True)

# The article's Day A, as a coach types it into the builder, dosed as the library's Day A:
# (exercise, {label: value}).
DAY_A = [
    ("Hip swings", {"Sets": "1", "Reps (min)": "10", "Per side": True}),
    ("Skip drills", {"Sets": "1", "Hold (s)": "30"}),
    ("Ankle flicks", {"Sets": "1", "Hold (s)": "30"}),
    (
        "Back squat",
        {
            "Sets": "4",
            "Reps (min)": "4",
            "Reps (max)": "6",
            "Load guidance": "In words",
            "Load in words": "moderate-heavy",
        },
    ),
    ("Romanian deadlift", {"Sets": "3", "Reps (min)": "6", "Reps (max)": "8"}),
    ("Box jumps", {"Sets": "5", "Reps (min)": "3", "Reps (max)": "5"}),
    ("Side plank", {"Sets": "3", "Hold (s)": "30", "Per side": True}),
]

DAY_B_NAME = DAY_B["name"]  # "Day B — Endurance & stability", the library's


def _nav(page, label):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()


def _row(page, exercise):
    save = page.get_by_role("button", name=f"Save {exercise}", exact=True)
    return page.locator("li.prescription").filter(has=save)


def _searched_for(url):
    parts = urlsplit(url)
    if not parts.path.endswith("/exercises/"):
        return None
    return parse_qs(parts.query).get("q", [None])[0]


def _htmx_settled(page):
    """Wait until htmx has swapped in every answer it was waiting for. A response has arrived
    before htmx swaps it in: a click or a fill in between lands on the old markup, or on
    nothing. htmx takes its `htmx-request` class off an element only after the swap."""
    expect(page.locator(".htmx-request")).to_have_count(0)


def _add_exercise(page, exercise, values):
    # htmx binds the search box once the page has loaded: typing before then searches nothing
    # (seen once on a loaded machine, right after the template was created).
    page.wait_for_load_state()
    with page.expect_response(lambda response: _searched_for(response.url) == exercise):
        page.get_by_label("Search exercises").fill(exercise)
    _htmx_settled(page)
    add = page.get_by_role("button", name=f"Add {exercise}", exact=True)
    with page.expect_response(re.compile(r"/prescriptions/$")):
        add.click()
    _htmx_settled(page)
    row = _row(page, exercise)
    for label, value in values.items():
        field = row.get_by_label(label)
        if value is True:
            field.check()
        elif label == "Load guidance":
            field.select_option(label=value)
        else:
            field.fill(value)
    with page.expect_response(re.compile(r"/prescriptions/\d+/$")) as response:
        row.get_by_role("button", name=f"Save {exercise}").click()
    assert response.value.status == 200
    _htmx_settled(page)


def _exercise_order(page):
    return [
        name.removeprefix("Save ")
        for name in page.locator(
            "#prescription-list li.prescription button[aria-label^=Save]"
        ).evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))")
    ]


def test_coach_goes_from_an_empty_account_to_a_six_week_program(laptop_page, live_server):
    page = laptop_page
    coach = CoachUserFactory()
    library_load()  # the library's exercises, Day A and Day B, as load_demo makes them
    log_in(page, live_server, coach.username)

    # Day A from scratch, exactly as the article prescribes it.
    _nav(page, "Templates")
    page.get_by_label("Name").fill("Day A")
    page.get_by_role("button", name="Create template").click()
    expect(page.get_by_role("heading", name="Day A", level=1)).to_be_visible()
    for exercise, values in DAY_A:
        _add_exercise(page, exercise, values)
    assert _exercise_order(page) == [exercise for exercise, _ in DAY_A]
    expect(page.get_by_test_id("template-intensity")).to_have_text("Heavy")
    expect(page.get_by_test_id("template-duration")).to_have_text(re.compile(r"^\d+ min$"))
    template = SessionTemplate.objects.get(owner=coach, name="Day A")
    squat = template.prescriptions.get(exercise__name="Back squat")
    assert (squat.sets, squat.reps_min, squat.reps_max, squat.load_text) == (
        4,
        4,
        6,
        "moderate-heavy",
    )

    # Reorder with the keyboard: box jumps before the Romanian deadlift.
    page.get_by_role("button", name="Move Box jumps up").focus()
    with page.expect_response(re.compile(r"/move/$")):
        page.keyboard.press("Enter")
    expect(page.locator("#prescription-list li.prescription").nth(4)).to_contain_text("Box jumps")
    # Focus stays on the moved exercise's button, so pressing Enter again keeps moving it.
    expect(page.get_by_role("button", name="Move Box jumps up")).to_be_focused()
    assert _exercise_order(page)[3:6] == ["Back squat", "Box jumps", "Romanian deadlift"]

    # Day B: copy the library's and keep it as it is for now.
    _nav(page, "Templates")
    page.get_by_role("button", name=f"Copy {DAY_B_NAME} into my templates").click()
    expect(page.get_by_role("heading", name=DAY_B_NAME, level=1)).to_be_visible()

    # A 6-week program from Day A + Day B, with a deload in week 4.
    _nav(page, "Programs")
    page.get_by_role("link", name="New program").click()
    page.get_by_label("Program name").fill("Spring 5K")
    page.get_by_label("Weeks").fill("6")
    page.get_by_label("Session 1 of the week").select_option(label="Day A")
    page.get_by_label("Session 2 of the week").select_option(label=DAY_B_NAME)
    expect(page.locator("#lint")).to_contain_text("No warnings")
    page.get_by_role("button", name="Build program").click()
    expect(page.get_by_role("heading", name=re.compile("Spring 5K"), level=1)).to_be_visible()
    page.get_by_role("spinbutton", name="Week*", exact=True).fill("4")
    page.get_by_label("Week type").select_option(label="Deload")
    with page.expect_response(re.compile(r"/weeks/kind/$")):
        page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("heading", name="Week 4 · Deload (60 % volume)")).to_be_visible()
    week4_day_a = page.get_by_role("article", name="Week 4 Day A")
    expect(week4_day_a).to_contain_text("Back squat 3 × 4–6")
    expect(page.get_by_role("article", name="Week 3 Day A")).to_contain_text("Back squat 4 × 4–6")
    expect(page.locator("#lint")).to_contain_text("No warnings")
    program = Program.objects.get(coach=coach)
    assert program.sessions.count() == 12

    # Remove all unilateral work from Day B: the program keeps its copy until re-applied.
    _nav(page, "Templates")
    page.get_by_role("link", name=DAY_B_NAME).click()
    for exercise in (
        "Single-leg balance drills",
        "Bulgarian split squat",
        "Single-leg Romanian deadlift",
        "Pallof press",
    ):
        with page.expect_response(re.compile(r"/delete/$")):
            page.get_by_role("button", name=f"Remove {exercise}").click()
        _htmx_settled(page)
    assert _exercise_order(page) == ["Dynamic mobility", "Calf raises"]
    _nav(page, "Programs")
    page.get_by_role("link", name="Spring 5K").click()
    expect(page.get_by_role("article", name="Week 1 Day B")).to_contain_text(
        "Bulgarian split squat"
    )
    expect(page.get_by_text(f"Template “{DAY_B_NAME}” changed")).to_be_visible()
    with page.expect_response(re.compile(r"/reapply/$")):
        page.get_by_role("button", name="Re-apply Day B").click()
    expect(page.locator("#lint")).to_contain_text("No unilateral strength exercise this week.")
    expect(page.get_by_role("article", name="Week 1 Day B")).not_to_contain_text(
        "Bulgarian split squat"
    )


def test_drag_and_drop_reorders_and_bad_values_get_messages_in_place(laptop_page, live_server):
    page = laptop_page
    coach = CoachUserFactory()
    template = day_a(coach)
    log_in(page, live_server, coach.username)
    page.goto(f"{live_server.url}/programs/templates/{template.pk}/")

    handles = page.locator("li.prescription .drag-handle")
    with page.expect_response(re.compile(r"/order/$")):
        handles.nth(5).drag_to(handles.nth(4))
    _htmx_settled(page)
    assert _exercise_order(page)[3:6] == ["Back squat", "Box jumps", "Romanian deadlift"]
    names = [p.exercise.name for p in template.prescriptions.select_related("exercise")]
    assert names[4] == "Box jumps"

    row = _row(page, "Romanian deadlift")
    row.get_by_label("Reps (max)").fill("4")
    row.get_by_label("Sets").fill("0")
    with page.expect_response(re.compile(r"/prescriptions/\d+/$")) as response:
        row.get_by_role("button", name="Save Romanian deadlift").click()
    assert response.value.status == 422
    expect(row).to_contain_text("Max reps must be at least the min reps (6).")
    expect(row).to_contain_text("Sets must be at least 1.")
    expect(row.get_by_label("Sets")).to_have_attribute("aria-invalid", "true")
    rdl = template.prescriptions.get(exercise__name="Romanian deadlift")
    assert (rdl.sets, rdl.reps_max) == (3, 8)


def test_a_save_is_confirmed_in_a_live_region_and_a_refusal_clears_it(laptop_page, live_server):
    page = laptop_page
    coach = CoachUserFactory()
    template = day_a(coach)
    log_in(page, live_server, coach.username)
    page.goto(f"{live_server.url}/programs/templates/{template.pk}/")

    row = _row(page, "Back squat")
    note = row.get_by_role("status")
    region = note.element_handle()  # the node a screen reader watches, there before the save
    row.get_by_label("Sets").fill("5")
    with page.expect_response(re.compile(r"/prescriptions/\d+/$")) as response:
        row.get_by_role("button", name="Save Back squat").click()
    assert response.value.status == 200
    _htmx_settled(page)
    expect(note).to_have_text("Saved: Back squat 5 × 4–6 @ moderate-heavy")
    assert region.evaluate("node => node.isConnected")  # written into, not replaced
    expect(row.get_by_role("button", name="Save Back squat")).to_be_focused()

    row.get_by_label("Sets").fill("0")
    with page.expect_response(re.compile(r"/prescriptions/\d+/$")) as response:
        row.get_by_role("button", name="Save Back squat").click()
    assert response.value.status == 422
    _htmx_settled(page)
    expect(row.get_by_role("alert")).to_have_text("Not saved: see the messages above.")
    expect(note).to_have_text("")
    assert template.prescriptions.get(exercise__name="Back squat").sets == 5


def test_every_linter_finding_reads_warning(laptop_page, live_server):
    page = laptop_page
    coach = CoachUserFactory()
    template = day_a(coach)
    log_in(page, live_server, coach.username)
    page.goto(f"{live_server.url}/programs/new/")
    page.get_by_label("Weeks").fill("10")
    page.get_by_label("Session 1 of the week").select_option(label=template.name)

    findings = page.locator("#lint li")
    expect(findings.filter(has_text="Block length outside 6–8 weeks.")).to_have_count(1)
    for text in findings.all_inner_texts():
        assert text.startswith("Warning: "), text


def test_a_refused_week_plan_shows_its_message_on_a_phone(phone_page, live_server):
    page = phone_page
    coach = CoachUserFactory()
    program = program_create(coach=coach, name="5K block", weeks=6, slots=[("Day A", day_a(coach))])
    log_in(page, live_server, coach.username)
    page.goto(f"{live_server.url}/programs/{program.pk}/")

    page.get_by_label("Week 2 volume %").fill("500")
    page.get_by_role("button", name="Save week plans").click()

    alert = page.locator("#week-plans [role=alert]")
    expect(alert).to_have_text(re.compile(r"Week plans not saved\. Week 2 volume %: .*150"))
    expect(alert).to_be_in_viewport()
    expect(page.get_by_label("Week 2 volume %")).to_have_attribute("aria-invalid", "true")
    assert program.program_weeks.get(number=2).volume_percent == 100
