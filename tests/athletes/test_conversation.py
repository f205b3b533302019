"""The conversation about a session or a run: posting (once per device-made id), the other
side told once, editing within 10 minutes, deleting one's own, what is unread for whom, and
the cost of the pages that show it."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from athletes.models import Comment
from athletes.services.conversation import comment_delete, comment_edit, comment_post
from athletes.services.roster import athlete_remove_from_roster
from notices.models import Notice
from tests.athletes.factories import AthleteFactory, RunEventFactory, ScheduledSessionFactory
from tests.coach.factories import CoachUserFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post_comment(client, url, body, comment_id=None):
    return client.post(url, {"comment_id": str(comment_id or uuid.uuid4()), "body": body})


@pytest.fixture
def session(athlete):
    return ScheduledSessionFactory(athlete=athlete, name="Day A", date=NOW.date())


def comments_url(session):
    return reverse("athletes:session-comment-post", args=[session.pk])


@time_machine.travel(NOW, tick=False)
def test_the_athlete_comments_and_the_coach_is_told_once_and_sees_it_unread(
    athlete, session, coach_user
):
    athlete_page, coach_page = signed_in(athlete.user), signed_in(coach_user)
    comment_id = uuid.uuid4()

    first = post_comment(athlete_page, comments_url(session), "Squats felt heavy", comment_id)
    again = post_comment(athlete_page, comments_url(session), "Squats felt heavy", comment_id)

    assert first.status_code == again.status_code == 302
    assert Comment.objects.count() == 1
    (notice,) = Notice.objects.filter(recipient=coach_user)
    assert notice.kind == "comment" and "Squats felt heavy" in notice.body
    nav = coach_page.get(reverse("dashboard")).content.decode()
    assert 'Comments <span class="badge text-bg-primary">1<' in nav
    unread = coach_page.get(reverse("athletes:conversation-list")).content.decode()
    assert str(athlete) in unread and "Day A" in unread

    coach_page.get(reverse("athletes:session-detail", args=[session.pk]))
    assert "badge" not in coach_page.get(reverse("athletes:conversation-list")).content.decode()


def badge(client):
    """The number on the coach's Comments link ("" when nothing is unread)."""
    nav = client.get(reverse("dashboard")).content.decode()
    head, found, tail = nav.partition('Comments <span class="badge text-bg-primary">')
    return tail.partition("<")[0] if found else ""


@time_machine.travel(NOW, tick=False)
def test_the_coachs_badge_follows_each_comment_reading_deletion_and_coaching_change(
    athlete, session, coach_user
):
    coach_page = signed_in(coach_user)
    other = ScheduledSessionFactory(athlete=athlete, name="Day B", date=NOW.date())
    assert badge(coach_page) == ""  # counted, and kept

    post_comment(signed_in(athlete.user), comments_url(session), "Squats felt heavy")
    assert badge(coach_page) == "1"
    later, _ = comment_post(author=athlete.user, subject=other, comment_id=uuid.uuid4(), body="?")
    assert badge(coach_page) == "2"

    coach_page.get(reverse("athletes:session-detail", args=[session.pk]))
    assert badge(coach_page) == "1"
    comment_delete(author=athlete.user, comment=later)
    assert badge(coach_page) == ""

    comment_post(author=athlete.user, subject=other, comment_id=uuid.uuid4(), body="Moved?")
    assert badge(coach_page) == "1"
    other.delete()  # as a schedule change deletes a planned session, its thread with it
    assert badge(coach_page) == ""

    third = ScheduledSessionFactory(athlete=athlete, name="Day C", date=NOW.date())
    post_comment(signed_in(athlete.user), comments_url(third), "One more")
    assert badge(coach_page) == "1"
    athlete_remove_from_roster(athlete=athlete)
    assert badge(coach_page) == ""


@time_machine.travel(NOW, tick=False)
def test_an_athlete_moved_to_another_coach_in_the_admin_moves_their_unread_badge(
    athlete, session, coach_user
):
    new_coach = CoachUserFactory()
    old_page, new_page = signed_in(coach_user), signed_in(new_coach)
    post_comment(signed_in(athlete.user), comments_url(session), "Squats felt heavy")
    assert (badge(old_page), badge(new_page)) == ("1", "")  # both counted, and kept

    athlete.coach = new_coach
    athlete.save()  # as the admin's change form saves it: every field, no service of ours

    assert (badge(old_page), badge(new_page)) == ("", "1")


@time_machine.travel(NOW, tick=False)
def test_the_notice_title_names_the_session_and_its_day_once(athlete, session, coach_user):
    athlete.user.first_name, athlete.user.last_name = "Alex", "Reid"
    athlete.user.save()
    coach_user.first_name, coach_user.last_name = "Jo", "Marsh"
    coach_user.save()

    post_comment(signed_in(athlete.user), comments_url(session), "Squats felt heavy")
    post_comment(signed_in(coach_user), comments_url(session), "Go lighter")

    assert Notice.objects.get(recipient=coach_user).title == "Alex Reid on Day A, Tue 10 Nov"
    assert Notice.objects.get(recipient=athlete.user).title == "Jo Marsh on Day A, Tue 10 Nov"


@time_machine.travel(NOW, tick=False)
def test_an_athlete_with_the_longest_names_allowed_comments_and_the_coach_is_told(
    athlete, session, coach_user
):
    athlete.user.first_name = athlete.user.last_name = "M" * 150
    athlete.user.save()

    response = post_comment(signed_in(athlete.user), comments_url(session), "Squats felt heavy")

    assert response.status_code == 302
    title = Notice.objects.get(recipient=coach_user).title
    assert title.startswith("M" * 150) and title.endswith("…") and len(title) == 200


@time_machine.travel(NOW, tick=False)
def test_the_coachs_reply_shows_a_badge_on_today_until_the_athlete_opens_the_session(
    athlete, session, coach_user
):
    athlete_page = signed_in(athlete.user)
    post_comment(signed_in(coach_user), comments_url(session), "Go lighter next set")
    assert (
        "New reply from your coach"
        in athlete_page.get(reverse("athletes:session-today")).content.decode()
    )

    page = athlete_page.get(reverse("athletes:session-detail", args=[session.pk])).content.decode()

    assert "Go lighter next set" in page
    today = athlete_page.get(reverse("athletes:session-today")).content.decode()
    assert "New reply from your coach" not in today
    assert Notice.objects.get(recipient=athlete.user).kind == "comment"


@time_machine.travel(NOW, tick=False)
def test_a_comment_on_tuesdays_intervals_lives_on_the_runs_page(athlete, coach_user):
    intervals = RunEventFactory(athlete=athlete, kind="interval", name="Tuesday intervals")
    url = reverse("athletes:run-event-comment-post", args=[intervals.pk])

    response = post_comment(signed_in(athlete.user), url, "6 x 800 m, last two hard")

    assert response.status_code == 302
    page = signed_in(coach_user).get(reverse("athletes:run-event-detail", args=[intervals.pk]))
    assert "6 x 800 m, last two hard" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_text_is_escaped_with_line_breaks_kept_and_links_made_clickable(athlete, session):
    page = signed_in(athlete.user)
    post_comment(page, comments_url(session), "<b>hi</b>\nsee https://example.com/plan")

    html = page.get(reverse("athletes:session-detail", args=[session.pk])).content.decode()

    assert "&lt;b&gt;hi&lt;/b&gt;<br>" in html
    assert '<a href="https://example.com/plan" rel="nofollow">https://example.com/plan</a>' in html


@time_machine.travel(NOW, tick=False)
def test_an_empty_comment_gets_a_message_next_to_the_field_and_stores_nothing(athlete, session):
    response = post_comment(signed_in(athlete.user), comments_url(session), "   ")

    assert response.status_code == 422
    assert "Write something first." in response.content.decode()
    assert not Comment.objects.exists() and not Notice.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_comment_id_of_someone_elses_comment_is_refused(athlete, session, coach_user):
    comment_id = uuid.uuid4()
    post_comment(signed_in(coach_user), comments_url(session), "From the coach", comment_id)

    response = post_comment(signed_in(athlete.user), comments_url(session), "Mine", comment_id)

    assert response.status_code == 400
    assert Comment.objects.get().body == "From the coach"


def test_a_comment_can_be_edited_for_10_minutes_then_only_deleted(athlete, session):
    with time_machine.travel(NOW, tick=False):
        comment, _ = comment_post(
            author=athlete.user, subject=session, comment_id=uuid.uuid4(), body="Felt ok"
        )
    edit = reverse("athletes:comment-edit", args=[comment.pk])
    page = signed_in(athlete.user)

    with time_machine.travel(NOW + dt.timedelta(minutes=9), tick=False):
        assert page.post(edit, {"body": "Felt good"}).status_code == 302
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        late = page.post(edit, {"body": "Felt great"})
        with pytest.raises(ValidationError):
            comment_edit(author=athlete.user, comment=comment, body="Felt great")

    assert late.status_code == 422
    assert "can be edited for 10 minutes" in late.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Felt good" and comment.edited_at is not None
    delete = page.post(reverse("athletes:comment-delete", args=[comment.pk]))
    assert delete.status_code == 302 and not Comment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_its_author_deletes_a_comment(athlete, session, coach_user):
    comment, _ = comment_post(
        author=athlete.user, subject=session, comment_id=uuid.uuid4(), body="Mine"
    )
    response = signed_in(coach_user).post(reverse("athletes:comment-delete", args=[comment.pk]))
    assert response.status_code == 403
    assert Comment.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_unread_counts_cost_the_same_for_2_and_20_threads_and_comments(coach_user):
    coach_page = signed_in(coach_user)

    def add(count):
        for _ in range(count):
            athlete = AthleteFactory(coach=coach_user, user__password=None)
            subject = ScheduledSessionFactory(athlete=athlete, date=NOW.date())
            for body in ("one", "two"):
                comment_post(
                    author=athlete.user, subject=subject, comment_id=uuid.uuid4(), body=body
                )
        return subject

    subject = add(2)
    few = [
        page_queries(coach_page, reverse(name))
        for name in ("dashboard", "athletes:conversation-list", "notices:notice-list")
    ]
    few_session = page_queries(coach_page, reverse("athletes:session-detail", args=[subject.pk]))
    subject = add(18)
    many = [
        page_queries(coach_page, reverse(name))
        for name in ("dashboard", "athletes:conversation-list", "notices:notice-list")
    ]
    many_session = page_queries(coach_page, reverse("athletes:session-detail", args=[subject.pk]))

    assert few == many
    assert few_session == many_session
    assert (
        'Comments <span class="badge text-bg-primary">18<'
        in coach_page.get(reverse("dashboard")).content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_shows_which_athletes_wrote_at_the_same_cost_for_2_and_20(coach_user):
    coach_page = signed_in(coach_user)

    def write(count, name):
        for number in range(count):
            athlete = AthleteFactory(
                coach=coach_user, user__password=None, user__first_name=f"{name}{number}"
            )
            subject = ScheduledSessionFactory(athlete=athlete, date=NOW.date())
            comment_post(author=athlete.user, subject=subject, comment_id=uuid.uuid4(), body="Hi")

    write(2, "Few")
    AthleteFactory(coach=coach_user, user__password=None, user__first_name="Quiet")
    few = page_queries(coach_page, reverse("dashboard"))
    write(18, "Many")
    many = page_queries(coach_page, reverse("dashboard"))
    html = coach_page.get(reverse("dashboard")).content.decode()

    assert few == many
    assert html.count(">1 unread</span>") == 20
    assert "comment thread from Quiet" not in html
