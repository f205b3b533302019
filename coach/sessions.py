"""Sessions kept in the database, as Django's own store keeps them, with the user each is signed
in as in a column of its own (coach.models.BrowserSession), read by SQL written here: every
signed-in request reads its session and its user, in one statement, where the ORM's building of
each read cost more than PostgreSQL's running of it, and a second round trip as much again."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connections, router
from django.utils import timezone

from athletes.models import Athlete
from coach.auth_backends import user_columns, user_joined, user_of_session_read, user_with_profile
from coach.models import BrowserSession
from web.database import columns_of, models_from_row

# Django makes a session's key of these characters, as long as its column holds.
_KEY_CHARS = frozenset(VALID_KEY_CHARS)
_KEY_LENGTH = 40


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return BrowserSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = data.get(SESSION_KEY)
        return session

    def _validate_session_key(self, key):
        """Only a key as Django makes them: a cookie can carry anything (a quoted one, "\\000"
        for a NUL), and PostgreSQL answers a NUL in a text value with an error, not a miss."""
        return (
            super()._validate_session_key(key)
            and len(key) <= _KEY_LENGTH
            and _KEY_CHARS.issuperset(key)
        )

    def _get_session_from_db(self):
        user_of_session_read(None)
        if self.session_key is None:  # a key Django refused as malformed: no session
            return None
        Session = self.model
        using = router.db_for_read(Session)
        sql = (
            "SELECT "  # nosec B608: names from our own models; values are parameters
            f'{columns_of(Session, "s", using)}, {user_columns()} FROM "{Session._meta.db_table}" s'
            f"{user_joined('s.user_id')} WHERE s.session_key = %s AND s.expire_date > %s"
        )
        connection = connections[using]
        expire_after = Session._meta.get_field("expire_date").get_db_prep_value(
            timezone.now(), connection
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, expire_after])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        session, user, athlete = models_from_row(
            row, Session, get_user_model(), Athlete, using=using
        )
        user_of_session_read(user_with_profile(user, athlete))
        return session
