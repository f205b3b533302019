"""Sessions kept in the database, as Django's own store keeps them, read by SQL written here:
every signed-in request reads its session, and the ORM's building of that read cost more than
PostgreSQL's running of it."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.db import connections, router
from django.utils import timezone

from web.database import columns_of, model_from_row

# Django makes a session's key of these characters, as long as its column holds.
_KEY_CHARS = frozenset(VALID_KEY_CHARS)
_KEY_LENGTH = 40


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        """Only a key as Django makes them: a cookie can carry anything (a quoted one, "\\000"
        for a NUL), and PostgreSQL answers a NUL in a text value with an error, not a miss."""
        return (
            super()._validate_session_key(key)
            and len(key) <= _KEY_LENGTH
            and _KEY_CHARS.issuperset(key)
        )

    def _get_session_from_db(self):
        if self.session_key is None:  # a key Django refused as malformed: no session
            return None
        Session = self.model
        using = router.db_for_read(Session)
        sql = (
            "SELECT "  # nosec B608: names from our own models; values are parameters
            f'{columns_of(Session, "s", using)} FROM "{Session._meta.db_table}" s'
            " WHERE s.session_key = %s AND s.expire_date > %s"
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
        return model_from_row(Session, row, using)
