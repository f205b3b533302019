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
    set-log POST, an athlete's commonest request, then needs no read of its own for it."""

    def get_user(self, user_id):
        user = user_with_athlete(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_with_athlete(user_id):
    """The user `user_id` with their athlete profile (user.athlete raises Athlete.DoesNotExist
    for a user without one, as after select_related), or None. SQL written here: every signed-in
    request reads it, and the ORM's building of the join cost more than running it."""
    User = get_user_model()
    sql = (
        "SELECT "  # nosec B608: names from our own models; values are parameters
        f"{columns_of(User, 'u')}, {columns_of(Athlete, 'a')}"
        f' FROM "{User._meta.db_table}" u LEFT JOIN "{Athlete._meta.db_table}" a'
        " ON a.user_id = u.id WHERE u.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    user, athlete = models_from_row(row, User, Athlete)
    User.athlete.related.set_cached_value(user, athlete)
    if athlete is not None:
        Athlete.user.field.set_cached_value(athlete, user)
    return user
