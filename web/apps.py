from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _writes_counted_up(connection, **_):
    from web.cache import tables_counted_up

    if tables_counted_up not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, tables_counted_up)


class WebConfig(AppConfig):
    name = "web"

    def ready(self):
        # Every write, on every connection, counts up what it changes (web/cache.py).
        connection_created.connect(_writes_counted_up)
