"""An athlete on a phone uploads two watch files at once, sees them matched to the planned
runs, opens one's splits, and finds the week updated; then records an unplanned run by hand
with a note for the coach and finds the note as their comment on the run's page. Every page
passes the accessibility checks."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from athletes.models import RunDone, RunEvent
from tests.athletes.activity_files import fit_activity, gpx_activity
from tests.athletes.factories import RunEventFactory
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_athlete_uploads_a_week_of_files_and_sees_the_week_updated(
    phone_page, live_server, athlete, tmp_path
):
    yesterday = athlete.today() - dt.timedelta(days=1)
    planned_at = dt.datetime.combine(yesterday, dt.time(7), tzinfo=athlete.tz)
    easy = RunEventFactory(athlete=athlete, starts_at=planned_at)
    tempo = RunEventFactory(
        athlete=athlete, kind=RunEvent.Kind.TEMPO, starts_at=planned_at + dt.timedelta(hours=11)
    )
    morning = tmp_path / "morning.fit"
    morning.write_bytes(fit_activity(start=planned_at + dt.timedelta(minutes=5)))
    evening = tmp_path / "evening.gpx"
    evening.write_bytes(
        gpx_activity(start=planned_at + dt.timedelta(hours=11), km_seconds=(270,) * 5,
                     heart_rate=165)
    )  # fmt: skip
    page = phone_page
    log_in(page, live_server, athlete.user.username)

    page.goto(f"{live_server.url}/runs/done/upload/")
    expect(page.get_by_text("the route is never stored")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Activity files (.fit, .gpx, .tcx)").set_input_files([morning, evening])
    page.get_by_role("button", name="Upload").click()

    expect(page.get_by_text("2 runs saved: 2 matched to the plan, 0 unplanned.")).to_be_visible()
    expect(page.get_by_text("Matched: Tempo run")).to_be_visible()
    assert_accessible(page)
    assert set(RunDone.objects.values_list("run_event_id", flat=True)) == {easy.pk, tempo.pk}

    page.get_by_role("link", name="Tempo run", exact=False).first.click()
    expect(page.get_by_role("table", name="Splits per km")).to_be_visible()
    expect(page.get_by_text("165 bpm")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/calendar/week/?day={yesterday:%Y-%m-%d}")
    expect(page.get_by_role("link", name="Done: 3.00 km, 15 min")).to_be_visible()
    # The GPX's distance is measured over the earth from its points: about 5 km.
    expect(page.get_by_role("link", name=re.compile(r"Done: 5\.0\d km, 22 min"))).to_be_visible()
    assert_accessible(page)

    # A run entered by hand with a note: the note is the athlete's comment on the run's page.
    page.goto(f"{live_server.url}/runs/done/new/")
    page.get_by_label("Date").fill(f"{yesterday:%Y-%m-%d}")
    page.get_by_label("Start time").fill("12:30")
    page.get_by_label("Duration (h:mm:ss or mm:ss)").fill("20:00")
    page.get_by_label("Note for your coach").fill("Calves tight on the hills")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Easy run recorded as done.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"Done \(unplanned easy run\): 20 min")).click()
    comments = page.get_by_role("region", name="Comments")
    note = comments.get_by_role("listitem").filter(has_text="Calves tight on the hills")
    expect(note).to_contain_text("You ·")
    # Corrected in the thread (within 10 minutes), not in the run's form.
    expect(note.get_by_text("Edit", exact=True)).to_be_visible()
    expect(page.get_by_label("Note for your coach")).to_have_count(0)
    assert_accessible(page)
