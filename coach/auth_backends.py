from contextvars import ContextVar

from allauth.account.auth_backends import AuthenticationBackend
from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.db import connection

from athletes.models import Athlete
from web.database import columns_of, models_from_row


class LoginAttemptGuard(AxesStandaloneBackend):
    """Counts and blocks repeated failed logins made through a web request.

    authenticate() without a request comes from our own code (management commands, the test
    client's login()), never from a browser, so there is nothing to throttle there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(AuthenticationBackend):
    """allauth's sign-in (a username or an email address with the password), reading a signed-in
    athlete's profile with their user on each request: every athlete page needs it, and the
    set-log POST, an athlete's commonest request, then needs no read of its own for it. The
    user is read with the request's session when it can be (coach.sessions)."""

    def get_user(self, user_id):
        user = _user_of_session_taken(user_id) or user_with_athlete(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


# The user the session read last in this thread is signed in as, read with it: taken (once) by
# the request's get_user instead of a read of its own.
_user_of_session: ContextVar = ContextVar("user_of_session", default=None)


def user_of_session_read(user) -> None:
    _user_of_session.set(user)


def _user_of_session_taken(user_id):
    user = _user_of_session.get()
    _user_of_session.set(None)
    return user if user is not None and str(user.pk) == str(user_id) else None


def user_columns() -> str:
    """The select list of a user and their athlete profile (tables u and a: user_joined)."""
    return f"{columns_of(get_user_model(), 'u')}, {columns_of(Athlete, 'a')}"


def user_joined(user_id_column: str) -> str:
    """The joins reading the user whose id is `user_id_column`, and their athlete profile."""
    return (
        f' LEFT JOIN "{get_user_model()._meta.db_table}" u ON u.id = {user_id_column}'
        f"{_athlete_joined()}"
    )


def _athlete_joined() -> str:
    return f' LEFT JOIN "{Athlete._meta.db_table}" a ON a.user_id = u.id'


def user_with_profile(user, athlete):
    """`user` (None when none was found) with `athlete`, their athlete profile read with them
    (user.athlete raises Athlete.DoesNotExist for a user without one, as after
    select_related)."""
    if user is None:
        return None
    get_user_model().athlete.related.set_cached_value(user, athlete)
    if athlete is not None:
        Athlete.user.field.set_cached_value(athlete, user)
    return user


def user_with_athlete(user_id):
    """The user `user_id` with their athlete profile, or None. SQL written here: every signed-in
    request reads it, and the ORM's building of the join cost more than running it."""
    sql = (
        f"SELECT {user_columns()}"  # nosec B608: names from our own models; values are parameters
        f' FROM "{get_user_model()._meta.db_table}" u{_athlete_joined()} WHERE u.id = %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return user_with_profile(*models_from_row(row, get_user_model(), Athlete))
