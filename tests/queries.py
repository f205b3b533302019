"""What a page costs in statements, as on a coach's or athlete's next visit: a first GET keeps
what the navigation keeps in the cache (web/cache.py), so two counts of a page compare alike."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(queries)
