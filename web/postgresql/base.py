"""PostgreSQL as Django's backend has it, with a health check that costs no round trip.

Django checks a kept connection before each request uses it (CONN_HEALTH_CHECKS) with a
SELECT 1: a round trip on every request, about as long as the statement a page then sends. A
connection the server has ended (a restart, a terminated backend, an idle timeout) has had the
server's last words and the end of its stream arrive on its socket; one the server still holds
has nothing to read between requests. So the socket is asked first, without waiting: nothing to
read, the connection is usable; something to read, Django's SELECT 1 decides.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        socket = select.poll()
        socket.register(self.connection.fileno(), select.POLLIN)
        return not socket.poll(0) or super().is_usable()
