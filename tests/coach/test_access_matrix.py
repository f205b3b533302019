"""Access matrix: every named URL × every role → the status that role must get.

The URL list is walked from the URL configuration, so a new URL without a row here fails
`test_every_named_url_has_a_row_in_the_matrix` ("add a row for URL 'x' in MATRIX").

HOW TO ADD A ROW — one MATRIX entry per URL name, e.g.

    "athletes:session-detail": Row(
        kwargs=lambda w: {"pk": w.session_a.pk},   # URL kwargs, built from the World `w`
        get=ATHLETE_OBJECT,                        # expected GET status per role (presets below)
    ),
    "athletes:session-complete": Row(
        kwargs=lambda w: {"pk": w.session_a.pk},
        post=expect(ATHLETE_OBJECT, athlete=302),  # a preset with some roles changed
        data={"session_rpe": 6},                   # POST body (or lambda w: {...})
    ),

- Roles: anonymous; athlete (athlete A, coached by coach A); other_athlete (athlete B, coached
  by coach B); coach (coach A); other_coach (coach B); admin (staff superuser, no role).
  URL kwargs always name objects on the A side, so other_coach/other_athlete must get 404.
- Statuses are ints, or LOGIN for "302 to the login page" (a denial; LOGGED_OUT for logout).
- Give `get`, `post`, or both. Each role's request runs in its own rolled-back savepoint, so an
  allowed POST does not leak into the next role. A denied POST (LOGIN or 4xx) must leave every
  row of our apps (coach, athletes, programs) unchanged — checked for you.
- One URL may have more rows, each for a case of its objects: key them "name#case"
  ("athletes:history-exercise#proposed"); `url_name(key)` is the URL name.
- The objects: World below. If your URL needs an object that is not there, add a
  @cached_property to World that makes it on the A side (coach A / athlete A).
"""

import datetime as dt
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from urllib.parse import urlparse

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from athletes.models import SetLog
from athletes.services.conversation import comment_post
from coach.models import Invitation
from notices.services import unsubscribe_token
from programs.services import program_create
from tests.athletes.activity_files import fit_activity
from tests.athletes.factories import (
    AthleteFactory,
    RunEventFactory,
    ScheduledSessionFactory,
)
from tests.cache_keys import cache_keys_of_their_own
from tests.coach.factories import TEST_PASSWORD, AdminUserFactory, CoachUserFactory
from tests.coach.sign_in import sign_in
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, ProgramFactory

LOGIN = "302 to login"
LOGGED_OUT = "302 to login, signed out"  # a redirect to the login page that is not a denial
ROLES = ("anonymous", "athlete", "other_athlete", "coach", "other_coach", "admin")


def expect(base=None, **statuses):
    """A role → status dict: a preset with some roles changed, or all six given."""
    merged = {**(base or {}), **statuses}
    assert set(merged) == set(ROLES), f"give a status for each of {ROLES}"
    return merged


# Presets. *_PAGE: no object in the URL; *_OBJECT: the URL names an object of the A side.
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = expect(PUBLIC, anonymous=LOGIN)
COACH_PAGE = expect(
    anonymous=LOGIN, athlete=403, other_athlete=403, coach=200, other_coach=200, admin=403
)
COACH_OBJECT = expect(COACH_PAGE, other_coach=404)
ATHLETE_PAGE = expect(
    anonymous=LOGIN, athlete=200, other_athlete=200, coach=403, other_coach=403, admin=403
)
ATHLETE_OBJECT = expect(ATHLETE_PAGE, other_athlete=404)
ADMIN_ONLY = expect(
    anonymous=LOGIN, athlete=LOGIN, other_athlete=LOGIN, coach=LOGIN, other_coach=LOGIN, admin=200
)
NOT_FOR_GET = expect(dict.fromkeys(ROLES, 405), anonymous=LOGIN)  # GET on a POST-only view
EVERYONE_REDIRECTED = expect(
    anonymous=LOGIN, athlete=302, other_athlete=302, coach=302, other_coach=302, admin=302
)


class World:
    """Coach A with athlete A, coach B with athlete B, and an admin; objects on the A side."""

    def __init__(self):
        self.coach_a = CoachUserFactory(first_name="Alex", last_name="Coach")
        self.athlete_a = AthleteFactory(coach=self.coach_a)
        self.coach_b = CoachUserFactory()
        self.athlete_b = AthleteFactory(coach=self.coach_b)
        self.admin = AdminUserFactory()

    def user_for(self, role):
        return {
            "anonymous": None,
            "athlete": self.athlete_a.user,
            "other_athlete": self.athlete_b.user,
            "coach": self.coach_a,
            "other_coach": self.coach_b,
            "admin": self.admin,
        }[role]

    # -- objects on the A side (add yours below, one cached_property each) --

    @cached_property
    def invitation_a(self):
        return Invitation.objects.create(coach=self.coach_a)

    @cached_property
    def password_reset_key_a(self):
        """The two parts of the link a password reset email sends coach A."""
        return {
            "uidb36": user_pk_to_url_str(self.coach_a),
            "key": default_token_generator.make_token(self.coach_a),
        }

    @cached_property
    def new_address_confirmation_a(self):
        """The key in the link that confirms the new address coach A is changing to."""
        address = EmailAddress.objects.create(user=self.coach_a, email="alex.new@example.com")
        return EmailConfirmationHMAC(address).key

    @cached_property
    def scheduled_session_a(self):
        return ScheduledSessionFactory(
            athlete=self.athlete_a, date=SCHEDULE_WEDNESDAY, time_of_day=dt.time(18)
        )

    @cached_property
    def run_event_a(self):
        return RunEventFactory(athlete=self.athlete_a)

    @cached_property
    def comment_a(self):
        """Athlete A's comment on their session, just posted (so still editable)."""
        comment, _ = comment_post(
            author=self.athlete_a.user,
            subject=self.scheduled_session_a,
            comment_id=uuid.uuid4(),
            body="Felt heavy",
        )
        return comment

    @cached_property
    def unsubscribe_token_a(self):
        return unsubscribe_token(self.athlete_a.user, ["reminder"])

    @cached_property
    def assignable_program_a(self):
        return ProgramFactory(coach=self.coach_a, name="Assignable A")

    @cached_property
    def template_a(self):
        return PrescriptionFactory(template__owner=self.coach_a, sets=3, reps_min=5).template

    @cached_property
    def prescription_a(self):
        return self.template_a.prescriptions.get()

    @cached_property
    def program_a(self):
        return program_create(
            coach=self.coach_a, name="Program A", weeks=6, slots=[("Day A", self.template_a)]
        )

    @cached_property
    def logging_session_a(self):
        """Athlete A's Day A today, with its prescriptions (built as a coach builds it)."""
        from tests.athletes.logging_sessions import session_for

        return session_for(self.athlete_a)

    @cached_property
    def proposed_exercise_a(self):
        """An exercise coach A proposed: private to coach A until an admin publishes it."""
        return ExerciseFactory(
            name="Matrix secret lunge", status="proposed", proposed_by=self.coach_a
        )

    @cached_property
    def proposed_exercise_logged_a(self):
        """A proposed exercise athlete A has logged a set of, in their session today."""
        exercise = ExerciseFactory(
            name="Matrix logged lunge", status="proposed", proposed_by=self.coach_a
        )
        SetLog.objects.create(
            scheduled_session=self.logging_session_a, exercise=exercise, set_number=1, reps=8
        )
        return exercise

    @cached_property
    def program_session_a(self):
        return self.program_a.sessions.first()

    @cached_property
    def transfer_test_a(self):
        from athletes.models import TransferTest

        return TransferTest.objects.create(
            athlete=self.athlete_a, kind="sprint", date=dt.date(2026, 1, 5), value="8.15"
        )

    @cached_property
    def run_done_a(self):
        from athletes.models import RunDone

        return RunDone.objects.create(
            athlete=self.athlete_a, started_at=dt.datetime(2026, 1, 5, 7, tzinfo=dt.UTC),
            elapsed_seconds=1500, moving_seconds=1500, distance_m=5000, source="manual",
        )  # fmt: skip

    @cached_property
    def flag_a(self):
        """Athlete A's session flagged against athlete A's run, with a better day ahead."""
        from django.utils import timezone

        from athletes.models import Flag

        session, event = self.scheduled_session_a, self.run_event_a
        return Flag.objects.create(
            athlete=self.athlete_a, scheduled_session=session, run_event=event,
            severity="conflict", hours_before=14, session_ends_at=session.starts_at,
            event_starts_at=event.starts_at, event_name=event.name,
            suggested_starts_at=timezone.now() + dt.timedelta(days=2),
        )  # fmt: skip

    @cached_property
    def former_athlete_a(self):
        """An athlete who trained on coach A's program, then moved to coach B."""
        athlete = AthleteFactory(coach=self.coach_b)
        ScheduledSessionFactory(
            athlete=athlete,
            assignment__program=ProgramFactory(coach=self.coach_a),
            date=SCHEDULE_WEDNESDAY,
            status="completed",
        )
        return athlete

    @cached_property
    def handover_to_a(self):
        """A third coach's athlete, offered to coach A."""
        from athletes.models import Handover

        third_coach = CoachUserFactory()
        athlete = AthleteFactory(coach=third_coach)
        return Handover.objects.create(
            athlete=athlete, from_coach=third_coach, to_coach=self.coach_a
        )


def _rewound(data: dict) -> dict:
    """The POST body once more: an uploaded file in it is read from its start for each role."""
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if hasattr(item, "seek"):
                item.seek(0)
    return data


class Row:
    def __init__(
        self,
        *,
        kwargs: Callable[[World], dict] | None = None,
        get: dict | None = None,
        post: dict | None = None,
        data: dict | Callable[[World], dict] | None = None,
        hostile_as: tuple[str, ...] = (),
    ):
        assert get or post, "a row needs get=… and/or post=…"
        self.kwargs, self.get, self.post, self.data = kwargs, get, post, data
        # The roles test_hostile_input attacks the POST as, when one form serves several
        # (else the first role it succeeds for).
        self.hostile_as = hostile_as


def _join_form(world):
    return {
        "username": "newrunner",
        "first_name": "New",
        "last_name": "Runner",
        "email": "new@example.com",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
        "time_zone": "Europe/London",
        "unit": "kg",
    }


def _prescription_form(world):
    prefix = f"p{world.prescription_a.pk}"
    values = {"block": "main", "sets": 4, "reps_min": 5, "load_kind": "none", "rest_seconds": 90}
    return {f"{prefix}-{key}": value for key, value in values.items()}


def _program_weeks_form(world):
    weeks = list(world.program_a.program_weeks.all())
    data = {"weeks-TOTAL_FORMS": len(weeks), "weeks-INITIAL_FORMS": len(weeks)}
    for i, week in enumerate(weeks):
        data |= {
            f"weeks-{i}-id": week.pk,
            f"weeks-{i}-kind": week.kind,
            f"weeks-{i}-sets_delta": 1,
            f"weeks-{i}-reps_delta": 0,
            f"weeks-{i}-volume_percent": week.volume_percent,
        }
    return data


COACH_ACTION = expect(COACH_OBJECT, coach=302)  # a coach's POST on their own object redirects

# -- scheduling: pages both roles use on their own rows (the coach on their athletes') --
OWN_OBJECT = expect(
    anonymous=LOGIN, athlete=200, other_athlete=404, coach=200, other_coach=404, admin=403
)
OWN_ACTION = expect(OWN_OBJECT, athlete=302, coach=302)
SCHEDULE_WEDNESDAY = dt.date(2026, 11, 4)


def _race_form(world):
    return {
        "kind": "race",
        "name": "Matrix 5K",
        "date": "2026-11-28",
        "start_time": "09:00",
        "duration_minutes": 25,
        "priority": "A",
    }


def _watch_files(world):
    return {"files": [SimpleUploadedFile("run.fit", fit_activity())]}


RUN_DONE_FORM = {
    "kind": "easy", "date": "2026-01-05", "start_time": "07:00", "duration": "30:00", "rpe": "4",
}  # fmt: skip
RUN_DONE_EDIT_FORM = {"planned": "", "kind": "long", "rpe": "5"}

TRANSFER_TEST_FORM = {"kind": "bounding", "date": "2026-01-05", "result": "12.4"}


NEW_PASSWORD = "a-much-longer-new-passphrase"
SIGNUP_FORM = {
    "first_name": "Nia",
    "last_name": "Coach",
    "email": "nia.coach@example.com",
    "username": "niacoach",
    "password1": NEW_PASSWORD,
    "password2": NEW_PASSWORD,
}
# Pages for whoever is not signed in yet; someone signed in is sent on to their home page.
ENTRANCE = expect(EVERYONE_REDIRECTED, anonymous=200)
LOGOUT = Row(
    get=dict.fromkeys(ROLES, 405),
    post=expect(dict.fromkeys(ROLES, LOGGED_OUT), anonymous=LOGIN),
)
OWN_SETTINGS = expect(SIGNED_IN, admin=403)  # coaches and athletes; an admin has no settings
ANY_SIGNED_IN_ACTION = expect(dict.fromkeys(ROLES, 302), anonymous=LOGIN)
YOUR_DATA = expect(dict.fromkeys(ROLES, 200), anonymous=LOGIN, admin=403)

# -- the conversation and notices --
AUTHOR_ACTION = expect(OWN_ACTION, coach=403)  # athlete A's own comment: their coach may not


def _comment_form(world):
    return {"comment_id": str(uuid.uuid4()), "body": "How did the squats feel?"}


COACH_OR_ATHLETE_PAGE = expect(dict.fromkeys(ROLES, 200), anonymous=LOGIN, admin=403)
COACH_OR_ATHLETE_ACTION = expect(dict.fromkeys(ROLES, 302), anonymous=LOGIN, admin=403)


def _one_rep_max_form(w):
    squat = w.logging_session_a.program_session.prescriptions.get(exercise__name="Back squat")
    return {"exercise": squat.exercise_id, "load": "100", "tested_on": "2020-01-06"}


MATRIX = {
    # -- the conversation (athletes/urls.py) and notices (notices/urls.py) --
    "athletes:session-comment-post": Row(
        kwargs=lambda w: {"session_id": w.scheduled_session_a.pk},
        get=NOT_FOR_GET,
        post=OWN_ACTION,
        data=_comment_form,
    ),
    "athletes:run-event-detail": Row(
        kwargs=lambda w: {"event_id": w.run_event_a.pk}, get=OWN_OBJECT
    ),
    "athletes:run-event-comment-post": Row(
        kwargs=lambda w: {"event_id": w.run_event_a.pk},
        get=NOT_FOR_GET,
        post=OWN_ACTION,
        data=_comment_form,
    ),
    "athletes:run-done-comment-post": Row(
        kwargs=lambda w: {"run_id": w.run_done_a.pk},
        get=NOT_FOR_GET,
        post=OWN_ACTION,
        data=_comment_form,
    ),
    "athletes:comment-edit": Row(
        kwargs=lambda w: {"comment_id": w.comment_a.pk},
        get=NOT_FOR_GET,
        post=AUTHOR_ACTION,
        data={"body": "Felt heavy, better by set 3"},
    ),
    "athletes:comment-delete": Row(
        kwargs=lambda w: {"comment_id": w.comment_a.pk}, get=NOT_FOR_GET, post=AUTHOR_ACTION
    ),
    "athletes:conversation-list": Row(get=COACH_PAGE),
    "notices:notice-list": Row(get=COACH_OR_ATHLETE_PAGE),
    "notices:preferences": Row(
        get=COACH_OR_ATHLETE_PAGE,
        post=COACH_OR_ATHLETE_ACTION,
        data={"kinds_on": ["comment"], "quiet_from": "22:00", "quiet_until": "07:00"},
    ),
    # Signed out, as an email's link is followed; the signed token is the authority.
    "notices:unsubscribe": Row(
        kwargs=lambda w: {"token": w.unsubscribe_token_a}, get=PUBLIC, post=PUBLIC
    ),
    # -- health check (coach/urls.py): public, GET/HEAD only --
    "healthz": Row(get=PUBLIC, post=dict.fromkeys(ROLES, 405)),
    # -- accounts (coach/urls.py, and django-allauth's pages under accounts/) --
    "home": Row(get=EVERYONE_REDIRECTED),
    "account-overview": Row(get=SIGNED_IN),
    "login": Row(
        get=ENTRANCE,
        post=dict.fromkeys(ROLES, 302),
        data=lambda w: {"login": w.coach_a.username, "password": TEST_PASSWORD},
    ),
    "account_login": Row(get=ENTRANCE),
    "logout": LOGOUT,
    "account_logout": LOGOUT,
    # The old address of the password page sends on to allauth's.
    "password_change": Row(get=expect(dict.fromkeys(ROLES, 301), anonymous=LOGIN)),
    "password_change_done": Row(get=SIGNED_IN),
    "account_change_password": Row(
        get=SIGNED_IN,
        post=ANY_SIGNED_IN_ACTION,
        data={"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    "account_set_password": Row(get=ANY_SIGNED_IN_ACTION),  # everyone has one: to change it
    "account_signup": Row(get=ENTRANCE, post=dict.fromkeys(ROLES, 302), data=SIGNUP_FORM),
    "account_inactive": Row(get=PUBLIC),
    "account_email": Row(
        get=SIGNED_IN,
        post=ANY_SIGNED_IN_ACTION,
        data={"action_add": "", "email": "changed@example.com"},
    ),
    "account_email_verification_sent": Row(get=PUBLIC),
    # The key is the permission: whoever follows the link confirms the address. Someone
    # else signed in is signed out first; nobody signed in is sent to log in.
    "account_confirm_email": Row(
        kwargs=lambda w: {"key": w.new_address_confirmation_a},
        get=PUBLIC,
        post=expect(dict.fromkeys(ROLES, LOGGED_OUT), coach=302),
    ),
    "account_reset_password": Row(
        get=PUBLIC,
        post=dict.fromkeys(ROLES, 302),
        data=lambda w: {"email": w.coach_a.email},
    ),
    "account_reset_password_done": Row(get=PUBLIC),
    # The link's key is the permission (the form is one redirect further, without the key in
    # its address); coach A's own sign-in spends it, as any sign-in of theirs does.
    "account_reset_password_from_key": Row(
        kwargs=lambda w: w.password_reset_key_a, get=expect(dict.fromkeys(ROLES, 302), coach=200)
    ),
    "account_reset_password_from_key_done": Row(get=PUBLIC),
    "account_reauthenticate": Row(get=SIGNED_IN),
    "account_request_reauthentication_code": Row(get=SIGNED_IN),
    # Pages of a sign-in or a reauthentication under way: without one, back to its start.
    "account_confirm_reauthentication_code": Row(get=ANY_SIGNED_IN_ACTION),
    "account_confirm_login_code": Row(get=ANY_SIGNED_IN_ACTION),
    # -- two-factor (allauth.mfa). The admin has an authenticator app; the others have none. --
    "mfa_index": Row(get=SIGNED_IN),
    "mfa_authenticate": Row(get=ANY_SIGNED_IN_ACTION),
    "mfa_reauthenticate": Row(get=expect(ANY_SIGNED_IN_ACTION, admin=200)),
    # Turning a factor on or off first asks for the password again (a recent sign-in).
    "mfa_activate_totp": Row(get=ANY_SIGNED_IN_ACTION),
    "mfa_deactivate_totp": Row(get=expect(dict.fromkeys(ROLES, 404), anonymous=LOGIN, admin=302)),
    "mfa_generate_recovery_codes": Row(get=ANY_SIGNED_IN_ACTION),
    "mfa_view_recovery_codes": Row(get=expect(dict.fromkeys(ROLES, 404), anonymous=LOGIN)),
    "mfa_download_recovery_codes": Row(get=expect(dict.fromkeys(ROLES, 404), anonymous=LOGIN)),
    # The admin signs in through our login page; signed in without staff rights is refused.
    "admin-login": Row(
        get=expect(dict.fromkeys(ROLES, 403), anonymous=LOGIN, admin=302),
    ),
    "invitation-list": Row(get=COACH_PAGE),
    "invitation-create": Row(
        get=NOT_FOR_GET,
        post=expect(COACH_PAGE, coach=302, other_coach=302),
        data={"note": "Sam"},
    ),
    "invitation-accept": Row(
        kwargs=lambda w: {"token": w.invitation_a.token},
        get=PUBLIC,
        post=dict.fromkeys(ROLES, 302),
        data=_join_form,
    ),
    "invitation-accept-signed-in": Row(
        kwargs=lambda w: {"token": w.invitation_a.token},
        get=NOT_FOR_GET,
        # An athlete moves to the inviting coach (athlete A is with them already); not a coach.
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
    ),
    # -- your data and leaving (coach/urls.py) --
    "your-data": Row(get=YOUR_DATA),
    "your-data-download": Row(get=YOUR_DATA),
    "account-delete": Row(
        get=NOT_FOR_GET,
        # Athletes are deleted; both coaches still coach an athlete, so theirs is refused.
        post=expect(
            YOUR_DATA, athlete=LOGGED_OUT, other_athlete=LOGGED_OUT, coach=409, other_coach=409
        ),
        data={"password": TEST_PASSWORD},
    ),
    # -- admin (Django's own admin URLs are left out, but for the index) --
    "admin:index": Row(get=ADMIN_ONLY),
    # our own admin views: the exercise library's CSV import (a POST without a file is a form
    # error, nothing imported) and export
    "admin:programs_exercise_import": Row(get=ADMIN_ONLY, post=ADMIN_ONLY, data={}),
    "admin:programs_exercise_export": Row(get=ADMIN_ONLY),
    # -- athletes: pages --
    "athletes:athlete-list": Row(get=COACH_PAGE),
    "athletes:upcoming": Row(get=ATHLETE_PAGE),
    # -- athletes: scheduling and calendars --
    "athletes:calendar-week": Row(get=ATHLETE_PAGE),
    "athletes:calendar-month": Row(get=ATHLETE_PAGE),
    "athletes:calendar-feed": Row(kwargs=lambda w: {"token": w.athlete_a.feed_token}, get=PUBLIC),
    "athletes:calendar-feed-revoke": Row(post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302)),
    "athletes:athlete-calendar": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk}, get=COACH_OBJECT
    ),
    "athletes:session-move": Row(
        kwargs=lambda w: {"session_id": w.scheduled_session_a.pk},
        get=OWN_OBJECT,
        post=OWN_ACTION,
        data={"date": "2026-11-05"},
    ),
    "athletes:assignment-create": Row(
        get=COACH_PAGE,
        # Coach B may not pick coach A's program or athlete: their ids are a 404.
        post=expect(COACH_PAGE, coach=302, other_coach=404),
        data=lambda w: {
            "program": w.assignable_program_a.pk,
            "athletes": [w.athlete_a.pk],
            "start_date": "2026-11-02",
        },
    ),
    "athletes:assignment-placements": Row(get=COACH_PAGE),
    "athletes:athlete-leave": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk}, get=COACH_OBJECT
    ),
    "athletes:athlete-handover": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=NOT_FOR_GET,
        post=COACH_ACTION,
        data=lambda w: {"to_coach": w.coach_b.username},
    ),
    "athletes:athlete-remove": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=NOT_FOR_GET,
        post=COACH_ACTION,
        data={"confirm": "on"},
    ),
    "athletes:former-athlete-list": Row(get=COACH_PAGE),
    "athletes:former-athlete-detail": Row(
        kwargs=lambda w: {"athlete_id": w.former_athlete_a.pk}, get=COACH_OBJECT
    ),
    "athletes:handover-accept": Row(
        kwargs=lambda w: {"athlete_id": w.handover_to_a.athlete_id},
        get=NOT_FOR_GET,
        post=COACH_ACTION,
    ),
    "athletes:assignment-end": Row(
        kwargs=lambda w: {"assignment_id": w.scheduled_session_a.assignment_id},
        get=NOT_FOR_GET,
        post=COACH_ACTION,
    ),
    "athletes:run-event-create": Row(
        get=ATHLETE_PAGE,
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
        data=_race_form,
    ),
    "athletes:run-event-weekly": Row(get=ATHLETE_PAGE),
    "athletes:run-event-import": Row(get=ATHLETE_PAGE),
    "athletes:run-event-edit": Row(
        kwargs=lambda w: {"event_id": w.run_event_a.pk},
        get=OWN_OBJECT,
        post=OWN_ACTION,
        data=_race_form,
    ),
    "athletes:run-event-delete": Row(
        kwargs=lambda w: {"event_id": w.run_event_a.pk}, post=OWN_ACTION
    ),
    "athletes:athlete-run-event-create": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=expect(COACH_OBJECT, coach=302),
        data=_race_form,
    ),
    "athletes:athlete-run-event-weekly": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk}, get=COACH_OBJECT
    ),
    "athletes:athlete-run-event-import": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk}, get=COACH_OBJECT
    ),
    # -- athletes: runs done --
    "athletes:runs-done-upload": Row(
        get=ATHLETE_PAGE,
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
        data=_watch_files,
    ),
    "athletes:run-done-create": Row(
        get=ATHLETE_PAGE,
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
        data=RUN_DONE_FORM,
    ),
    "athletes:run-done-detail": Row(
        kwargs=lambda w: {"run_id": w.run_done_a.pk},
        get=OWN_OBJECT,
        post=OWN_ACTION,
        data=RUN_DONE_EDIT_FORM,
    ),
    "athletes:run-done-delete": Row(
        kwargs=lambda w: {"run_id": w.run_done_a.pk}, get=NOT_FOR_GET, post=OWN_ACTION
    ),
    "athletes:athlete-runs-done-upload": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=expect(COACH_OBJECT, coach=302),
        data=_watch_files,
    ),
    "athletes:athlete-run-done-create": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=expect(COACH_OBJECT, coach=302),
        data=RUN_DONE_FORM,
    ),
    # -- athletes: logging --
    "athletes:session-today": Row(get=ATHLETE_PAGE),
    "athletes:session-detail": Row(
        kwargs=lambda w: {"session_id": w.logging_session_a.pk}, get=OWN_OBJECT
    ),
    "athletes:set-record": Row(
        kwargs=lambda w: {"session_id": w.logging_session_a.pk},
        get=NOT_FOR_GET,
        post=expect(ATHLETE_OBJECT, athlete=302),
        data=lambda w: {
            "id": "0b6f3a2e-5d1c-4a8e-9f00-000000000001",
            "prescription": w.logging_session_a.program_session.prescriptions.get(
                exercise__name="Back squat"
            ).pk,
            "set_number": 1,
            "reps": 5,
            "load": "60",
        },
    ),
    "athletes:session-complete": Row(
        kwargs=lambda w: {"session_id": w.logging_session_a.pk},
        post=expect(ATHLETE_OBJECT, athlete=302),
        data={"session_rpe": 6},
    ),
    "athletes:session-skip": Row(
        kwargs=lambda w: {"session_id": w.logging_session_a.pk},
        post=expect(ATHLETE_OBJECT, athlete=302),
        data={"skip_reason": "Ill"},
    ),
    "athletes:session-reopen": Row(
        kwargs=lambda w: {"session_id": w.logging_session_a.pk},
        post=expect(ATHLETE_OBJECT, athlete=302),
    ),
    "athletes:history-list": Row(get=ATHLETE_PAGE),
    # The exercise is the shared library's; each athlete sees only their own sets of it.
    "athletes:history-exercise": Row(
        kwargs=lambda w: {
            "exercise_id": w.logging_session_a.program_session.prescriptions.first().exercise_id
        },
        get=ATHLETE_PAGE,
    ),
    # A proposed exercise's name is private: only an athlete who logged it sees its history.
    "athletes:history-exercise#proposed": Row(
        kwargs=lambda w: {"exercise_id": w.proposed_exercise_a.pk},
        get=expect(ATHLETE_PAGE, athlete=404, other_athlete=404),
    ),
    "athletes:history-exercise#proposed-logged": Row(
        kwargs=lambda w: {"exercise_id": w.proposed_exercise_logged_a.pk},
        get=ATHLETE_OBJECT,
    ),
    "athletes:csrf-refresh": Row(get=SIGNED_IN),
    "athletes:service-worker": Row(get=PUBLIC),
    "athletes:offline": Row(get=PUBLIC),
    # -- athletes: tested maxes --
    "athletes:one-rep-max-enter": Row(
        get=ATHLETE_PAGE,
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
        data=_one_rep_max_form,
    ),
    "athletes:athlete-one-rep-max-enter": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=expect(COACH_OBJECT, coach=302),
        data=_one_rep_max_form,
    ),
    # -- athletes: flags --
    "athletes:flag-list": Row(get=COACH_PAGE),
    "athletes:flag-acknowledge": Row(
        kwargs=lambda w: {"pk": w.flag_a.pk}, get=NOT_FOR_GET, post=COACH_ACTION
    ),
    "athletes:flag-move": Row(
        kwargs=lambda w: {"pk": w.flag_a.pk}, get=NOT_FOR_GET, post=COACH_ACTION
    ),
    # -- athletes: progress and transfer tests --
    "dashboard": Row(get=COACH_PAGE),
    "athletes:progress-show": Row(get=ATHLETE_PAGE),
    "athletes:transfer-test-create": Row(
        get=ATHLETE_PAGE,
        post=expect(ATHLETE_PAGE, athlete=302, other_athlete=302),
        data=TRANSFER_TEST_FORM,
    ),
    "athletes:transfer-test-delete": Row(
        kwargs=lambda w: {"test_id": w.transfer_test_a.pk}, get=NOT_FOR_GET, post=OWN_ACTION
    ),
    "athletes:progress-export": Row(kwargs=lambda w: {"what": "log"}, get=ATHLETE_PAGE),
    # Everyone's own settings: another user's are never in the URL.
    "athletes:settings-edit": Row(
        get=OWN_SETTINGS,
        post=expect(OWN_SETTINGS, athlete=302, other_athlete=302, coach=302, other_coach=302),
        data={
            "first_name": "Renamed",
            "last_name": "Runner",
            "time_zone": "America/New_York",
            "unit": "lb",
            "default_session_time": "07:00",
        },
        hostile_as=("coach", "athlete"),  # a coach's form (a name) and an athlete's
    ),
    "athletes:athlete-detail": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk}, get=COACH_OBJECT
    ),
    "athletes:athlete-settings-edit": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=COACH_ACTION,
        data={"freshness_window_hours": 48, "default_session_time": "18:00", "coach_note": "Hip"},
    ),
    "athletes:athlete-transfer-test-create": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk},
        get=COACH_OBJECT,
        post=COACH_ACTION,
        data=TRANSFER_TEST_FORM,
    ),
    "athletes:athlete-progress-export": Row(
        kwargs=lambda w: {"athlete_id": w.athlete_a.pk, "what": "tests"}, get=COACH_OBJECT
    ),
    # -- programs: template builder --
    "programs:template-list": Row(get=COACH_PAGE),
    "programs:template-create": Row(
        post=expect(COACH_PAGE, coach=302, other_coach=302),
        data={"name": "Tempo day", "target_minutes": 30},
    ),
    "programs:template-edit": Row(kwargs=lambda w: {"pk": w.template_a.pk}, get=COACH_OBJECT),
    "programs:template-update": Row(
        kwargs=lambda w: {"pk": w.template_a.pk},
        post=COACH_ACTION,
        data={"name": "Renamed", "target_minutes": 30},
    ),
    "programs:template-copy": Row(kwargs=lambda w: {"pk": w.template_a.pk}, post=COACH_ACTION),
    "programs:template-reorder": Row(
        kwargs=lambda w: {"pk": w.template_a.pk},
        post=COACH_ACTION,
        data=lambda w: {"order": [w.prescription_a.pk]},
    ),
    "programs:exercise-search": Row(kwargs=lambda w: {"pk": w.template_a.pk}, get=COACH_OBJECT),
    "programs:exercise-propose": Row(
        kwargs=lambda w: {"pk": w.template_a.pk},
        post=COACH_ACTION,
        data={
            "propose-name": "Matrix plank",
            "propose-category": "core",
            "propose-pattern": "anti_lateral",
            "propose-measure": "time",
        },
    ),
    "programs:prescription-create": Row(
        kwargs=lambda w: {"pk": w.template_a.pk},
        post=COACH_ACTION,
        data=lambda w: {"exercise": w.prescription_a.exercise_id},
    ),
    "programs:prescription-update": Row(
        kwargs=lambda w: {"pk": w.prescription_a.pk}, post=COACH_ACTION, data=_prescription_form
    ),
    "programs:prescription-delete": Row(
        kwargs=lambda w: {"pk": w.prescription_a.pk}, post=COACH_ACTION
    ),
    "programs:prescription-move": Row(
        kwargs=lambda w: {"pk": w.prescription_a.pk}, post=COACH_ACTION, data={"direction": "up"}
    ),
    # -- programs: program builder --
    "programs:program-list": Row(get=COACH_PAGE),
    "programs:program-create": Row(
        get=COACH_PAGE,
        # Coach B may not build from coach A's template: the form refuses it.
        post=expect(COACH_PAGE, coach=302, other_coach=422),
        data=lambda w: {"name": "Matrix program", "weeks": 6, "slot_1": w.template_a.pk},
    ),
    "programs:program-lint-preview": Row(get=COACH_PAGE),
    "programs:program-detail": Row(kwargs=lambda w: {"pk": w.program_a.pk}, get=COACH_OBJECT),
    "programs:program-update": Row(
        kwargs=lambda w: {"pk": w.program_a.pk},
        post=COACH_ACTION,
        data={"name": "Renamed", "load_step_percent_1rm": "5", "load_step_rpe": "0.5"},
    ),
    "programs:program-weeks-update": Row(
        kwargs=lambda w: {"pk": w.program_a.pk}, post=COACH_ACTION, data=_program_weeks_form
    ),
    "programs:program-week-kind": Row(
        kwargs=lambda w: {"pk": w.program_a.pk},
        post=COACH_ACTION,
        data={"week": 2, "kind": "deload"},
    ),
    "programs:program-slot-reapply": Row(
        kwargs=lambda w: {"pk": w.program_a.pk, "slot_pk": w.program_a.slots.get().pk},
        post=COACH_ACTION,
    ),
    "programs:program-duplicate": Row(kwargs=lambda w: {"pk": w.program_a.pk}, post=COACH_ACTION),
    "programs:program-archive": Row(kwargs=lambda w: {"pk": w.program_a.pk}, post=COACH_ACTION),
    "programs:program-session-edit": Row(
        kwargs=lambda w: {"pk": w.program_session_a.pk}, get=COACH_OBJECT
    ),
    "programs:program-session-reset": Row(
        kwargs=lambda w: {"pk": w.program_session_a.pk}, post=COACH_ACTION
    ),
}


def url_name(key):
    """The URL name of a MATRIX key ("name" or "name#case")."""
    return key.partition("#")[0]


def matrix_url(key, world):
    """The address a MATRIX row is about, with its objects from `world`."""
    row = MATRIX[key]
    return reverse(url_name(key), kwargs=row.kwargs(world) if row.kwargs else None)


def _named_urls(patterns=None, namespace=""):
    """Every URL name in the configuration ('namespace:name'), and the unnamed patterns."""
    named, unnamed = set(), []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            sub_named, sub_unnamed = _named_urls(pattern.url_patterns, inner)
            named |= sub_named
            unnamed += sub_unnamed
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                named.add(f"{namespace}{pattern.name}")
            else:
                unnamed.append(f"{namespace}{pattern.pattern}")
    return named, unnamed


OUR_ADMIN_URLS = {"admin:index", "admin:programs_exercise_import", "admin:programs_exercise_export"}


def _is_djangos_admin(name):
    return name.startswith("admin:") and name not in OUR_ADMIN_URLS


def urls_under_test():
    named, _ = _named_urls()
    return sorted(name for name in named if not _is_djangos_admin(name))


def test_every_named_url_has_a_row_in_the_matrix():
    covered = {url_name(key) for key in MATRIX}
    missing = [name for name in urls_under_test() if name not in covered]
    assert not missing, "\n".join(
        f"add a row for URL '{name}' in MATRIX (tests/coach/test_access_matrix.py)"
        for name in missing
    )


def test_every_matrix_row_names_an_existing_url():
    stale = sorted({url_name(key) for key in MATRIX} - set(urls_under_test()))
    assert not stale, f"remove the rows for URLs that no longer exist: {stale}"


def test_every_url_of_ours_has_a_name():
    _, unnamed = _named_urls()
    ours = [pattern for pattern in unnamed if not pattern.startswith("admin:")]
    assert not ours, f"name these URLs (and give them a row in MATRIX): {ours}"


@contextmanager
def rolled_back():
    """Run the block in a savepoint of the test's transaction, rolled back after it, so every
    request starts from the same rows. A savepoint, not transaction.atomic(): a request's
    service opens a durable transaction, which Django allows inside a TestCase's own
    transaction but inside no other atomic block."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def _rows_of_our_apps():
    """Every row of our apps, and of the accounts' records allauth keeps for us (email
    addresses, authenticators)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for app in ("coach", "athletes", "notices", "programs", "account", "mfa")
        for model in apps.get_app_config(app).get_models()
    }


def _outcome(response):
    if response.status_code == 302:
        login_paths = {reverse("login"), reverse("admin:login")}
        if urlparse(response.url).path in login_paths:
            return LOGIN
    return response.status_code


def _is_denied(expected):
    return expected == LOGIN or (isinstance(expected, int) and expected >= 400)


def _matches(got, expected):
    return got == expected or (expected == LOGGED_OUT and got == LOGIN)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_status(name):
    row = MATRIX[name]
    world = World()
    url = matrix_url(name, world)
    data = row.data(world) if callable(row.data) else (row.data or {})
    mismatches = []
    for method, expected_by_role in (("GET", row.get), ("POST", row.post)):
        for role, expected in (expected_by_role or {}).items():
            # Its own savepoint for rows, its own cache keys for allauth's rate limits.
            with rolled_back(), cache_keys_of_their_own():
                client = Client()
                user = world.user_for(role)
                if user is not None:
                    sign_in(client, user)
                before = _rows_of_our_apps() if method == "POST" and _is_denied(expected) else None
                response = client.get(url) if method == "GET" else client.post(url, _rewound(data))
                got = _outcome(response)
                if not _matches(got, expected):
                    mismatches.append(f"{method} {url} as {role}: expected {expected}, got {got}")
                elif before is not None and _rows_of_our_apps() != before:
                    mismatches.append(f"{method} {url} as {role} was denied but changed rows")
    assert not mismatches, "\n".join(mismatches)
