"""A run done's note is a comment: in the planned run's thread when it was one, in the run's own
thread when unplanned; posted once however often the form is sent, the other side told once.
Re-matching an unplanned run brings its comments along; unmatching or deleting the plan loses
none. Who may see a run's thread, and what its pages cost."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from athletes.models import COMMENT_MAX_LENGTH, Comment, RunDone, Thread, ThreadRead
from athletes.services.conversation import comment_post, thread_move
from athletes.services.run_events import run_event_delete
from athletes.services.runs_done import run_done_record
from notices.models import Notice
from tests.athletes.factories import AthleteFactory, RunEventFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 15, 20, 0, tzinfo=dt.UTC)  # a Sunday evening in London (GMT)
TUESDAY = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
RECORD = reverse("athletes:run-done-create")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def run_form(client, url=RECORD, **fields):
    """The form as the page gave it (with its key), filled in."""
    key = client.get(url).context["form"]["idempotency_key"].value()
    return {
        "kind": "easy",
        "date": "2026-03-10",
        "start_time": "07:00",
        "duration": "45:00",
        "rpe": "4",
        "idempotency_key": key,
        **fields,
    }


def run_page(client, run) -> str:
    return client.get(reverse("athletes:run-done-detail", args=[run.pk])).content.decode()


def bodies(thread) -> list[str]:
    return list(thread.comments.order_by("created_at", "id").values_list("body", flat=True))


def record(athlete, *, note="", run_event=None, at=TUESDAY):
    return run_done_record(
        athlete=athlete,
        entered_by=athlete.user,
        started_at=at,
        moving_seconds=2700,
        distance_m=8000,
        rpe=4,
        note=note,
        run_event=run_event,
        idempotency_key=uuid.uuid4(),
    )


@pytest.fixture
def planned(athlete):
    return RunEventFactory(athlete=athlete, starts_at=TUESDAY)


@time_machine.travel(NOW, tick=False)
def test_a_planned_run_marked_done_with_a_note_posts_it_once_in_the_plans_thread(
    athlete, planned, coach_user
):
    athlete_page = signed_in(athlete.user)
    url = f"{RECORD}?planned={planned.pk}"
    data = run_form(athlete_page, url, note="Calves tight\non the hills")

    first = athlete_page.post(url, data)
    again = athlete_page.post(url, data)  # a resubmitted form: the same key

    assert first.status_code == again.status_code == 302
    run = RunDone.objects.get()
    (comment,) = Comment.objects.all()
    assert comment.thread == planned.thread
    assert (comment.author, comment.body) == (athlete.user, "Calves tight\non the hills")
    (notice,) = Notice.objects.filter(recipient=coach_user)
    assert notice.kind == "comment" and "Calves tight on the hills" in notice.body
    assert notice.url == reverse("athletes:run-event-detail", args=[planned.pk])
    # The coach reads it on the run's page, under the planned run's name, and on the plan's.
    coach_page = signed_in(coach_user)
    page = run_page(coach_page, run)
    assert "Calves tight<br>on the hills" in page
    assert "The comments are about the planned run" in page
    assert "Its comments stay with the planned run." in page  # by the Remove button
    event_page = coach_page.get(reverse("athletes:run-event-detail", args=[planned.pk])).text
    assert "Calves tight<br>on the hills" in event_page
    assert reverse("athletes:run-done-detail", args=[run.pk]) in event_page  # how it went


@time_machine.travel(NOW, tick=False)
def test_an_unplanned_run_has_a_thread_of_its_own_where_the_coach_replies(athlete, coach_user):
    athlete_page, coach_page = signed_in(athlete.user), signed_in(coach_user)
    athlete_page.post(RECORD, run_form(athlete_page, note="Extra shakeout"))
    run = RunDone.objects.get()
    assert run.thread.athlete == athlete
    assert bodies(run.thread) == ["Extra shakeout"]
    assert "Its comments go with it." in run_page(athlete_page, run)  # by the Remove button

    unread = coach_page.get(reverse("athletes:conversation-list")).content.decode()
    assert "Unplanned easy run, Tue 10 Mar" in unread
    assert "Extra shakeout" in run_page(coach_page, run)  # and now read
    assert "Unplanned easy run" not in coach_page.get(reverse("athletes:conversation-list")).text

    reply = coach_page.post(
        reverse("athletes:run-done-comment-post", args=[run.pk]),
        {"comment_id": str(uuid.uuid4()), "body": "Keep those under 30 min"},
    )
    assert reply.url == reverse("athletes:run-done-detail", args=[run.pk]) + "#comments"
    assert sorted(bodies(run.thread)) == ["Extra shakeout", "Keep those under 30 min"]
    (notice,) = Notice.objects.filter(recipient=athlete.user)
    assert notice.url == reverse("athletes:run-done-detail", args=[run.pk])
    assert "Keep those under 30 min" in run_page(athlete_page, run)


@time_machine.travel(NOW, tick=False)
def test_the_coach_recording_a_run_with_a_note_writes_it_as_their_own_comment(athlete, coach_user):
    coach_page = signed_in(coach_user)
    url = reverse("athletes:athlete-run-done-create", args=[athlete.pk])
    form = coach_page.get(url).context["form"]
    assert form["note"].label == "Comment for the athlete"
    coach_page.post(url, run_form(coach_page, url, note="Logged from your message"))

    (comment,) = Comment.objects.all()
    assert comment.author == coach_user
    assert Notice.objects.get().recipient == athlete.user


@time_machine.travel(NOW, tick=False)
def test_no_note_no_comment_and_a_blank_note_is_no_note(athlete):
    athlete_page = signed_in(athlete.user)
    athlete_page.post(RECORD, run_form(athlete_page))
    athlete_page.post(RECORD, run_form(athlete_page, note="  \n "))
    assert RunDone.objects.count() == 2
    assert not Comment.objects.exists() and not Thread.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_note_too_long_is_refused_next_to_it_and_nothing_is_saved(athlete):
    athlete_page = signed_in(athlete.user)
    response = athlete_page.post(
        RECORD, run_form(athlete_page, note="x" * (COMMENT_MAX_LENGTH + 1))
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["note"]
    assert not RunDone.objects.exists() and not Comment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_athlete_without_a_coach_keeps_their_note_and_no_one_is_told():
    athlete = AthleteFactory(coach=None)
    run = record(athlete, note="Just for me")
    assert bodies(run.thread) == ["Just for me"]
    assert not Notice.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_matching_an_unplanned_run_brings_its_comments_into_the_planned_runs_thread(
    athlete, planned, coach_user
):
    run = record(athlete, note="Felt flat")
    comment_post(author=coach_user, subject=run, comment_id=uuid.uuid4(), body="Sleep?")
    comment_post(author=coach_user, subject=planned, comment_id=uuid.uuid4(), body="Easy!")
    notices = Notice.objects.count()
    athlete_page = signed_in(athlete.user)
    url = reverse("athletes:run-done-detail", args=[run.pk])

    assert athlete_page.post(url, {"planned": str(planned.pk), "rpe": "5"}).status_code == 302

    thread = Thread.objects.get()
    assert thread.run_event == planned
    assert sorted(bodies(thread)) == ["Easy!", "Felt flat", "Sleep?"]
    assert Notice.objects.count() == notices  # moved, not said again
    assert "Felt flat" in run_page(athlete_page, run)

    # Unmatched again: what was said stays with the planned run it was said about.
    athlete_page.post(url, {"planned": "", "kind": "long", "rpe": "5"})
    run.refresh_from_db()
    assert run.run_event is None
    assert sorted(bodies(Thread.objects.get(run_event=planned))) == ["Easy!", "Felt flat", "Sleep?"]
    assert "No comments yet." in run_page(athlete_page, run)


@time_machine.travel(NOW, tick=False)
def test_a_thread_moved_whole_keeps_how_far_each_side_had_read_it(athlete, planned, coach_user):
    run = record(athlete, note="Felt flat")
    signed_in(coach_user).get(reverse("athletes:run-done-detail", args=[run.pk]))
    thread = run.thread

    thread_move(source=run, target=planned)

    thread.refresh_from_db()
    assert (thread.run_event, thread.run_done) == (planned, None)
    assert set(ThreadRead.objects.filter(thread=thread).values_list("user", flat=True)) == {
        athlete.user_id,
        coach_user.pk,
    }


@time_machine.travel(NOW, tick=False)
def test_deleting_a_planned_run_leaves_what_was_said_with_the_run_done(athlete, planned):
    run = record(athlete, note="Windy", run_event=planned)

    run_event_delete(event=planned)

    run.refresh_from_db()
    assert run.run_event is None
    assert bodies(run.thread) == ["Windy"]


@time_machine.travel(NOW, tick=False)
def test_editing_a_run_no_longer_edits_its_note(athlete):
    run = record(athlete, note="Felt flat")
    athlete_page = signed_in(athlete.user)
    page = run_page(athlete_page, run)
    assert 'name="note"' not in page  # the note is a comment: edited in the thread
    assert '<summary class="small">Edit</summary>' in page  # within its 10 minutes
    athlete_page.post(
        reverse("athletes:run-done-detail", args=[run.pk]),
        {"planned": "", "kind": "easy", "rpe": "6", "note": "Changed"},
    )
    assert bodies(run.thread) == ["Felt flat"]


@time_machine.travel(NOW, tick=False)
def test_another_athlete_or_coach_gets_404_on_a_runs_thread(athlete):
    run = record(athlete, note="Private")
    stranger = AthleteFactory()
    for user in (stranger.user, stranger.coach):
        client = signed_in(user)
        assert client.get(reverse("athletes:run-done-detail", args=[run.pk])).status_code == 404
        posted = client.post(
            reverse("athletes:run-done-comment-post", args=[run.pk]),
            {"comment_id": str(uuid.uuid4()), "body": "Hello"},
        )
        assert posted.status_code == 404
    assert bodies(run.thread) == ["Private"]


# -- what the pages cost --


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("planned_run", [False, True], ids=["unplanned", "planned"])
def test_a_runs_page_costs_the_same_for_1_and_12_comments(planned_run):
    counts = []
    for count in (1, 12):
        athlete = AthleteFactory()
        event = RunEventFactory(athlete=athlete, starts_at=TUESDAY) if planned_run else None
        run = record(athlete, note="First", run_event=event)
        for n in range(count - 1):
            comment_post(
                author=athlete.coach, subject=run.thread_subject, comment_id=uuid.uuid4(),
                body=f"Reply {n}",
            )  # fmt: skip
        url = reverse("athletes:run-done-detail", args=[run.pk])
        counts.append(page_queries(signed_in(athlete.coach), url))
    assert counts[0] == counts[1]


@time_machine.travel(NOW, tick=False)
def test_the_coachs_unread_list_costs_the_same_for_2_and_8_runs_threads():
    counts = []
    for count in (2, 8):
        athlete = AthleteFactory()
        for n in range(count):
            event = None if n % 2 else RunEventFactory(athlete=athlete, starts_at=TUESDAY)
            record(athlete, note=f"Run {n}", run_event=event, at=TUESDAY + dt.timedelta(hours=n))
        coach_page = signed_in(athlete.coach)
        counts.append(page_queries(coach_page, reverse("athletes:conversation-list")))
        assert (
            coach_page.get(reverse("athletes:conversation-list")).text.count("list-group-item")
            == count
        )
    assert counts[0] == counts[1]
