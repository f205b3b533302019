"""What a page costs in statements when it is made, as on a coach's or athlete's next visit
after something changed: a first GET keeps what the navigation keeps in the cache
(web/cache.py), so two counts of a page compare alike; the page itself is made each time, not
answered as kept (web/kept_pages.py, whose answer costs the session and the user alone)."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext


@override_settings(KEPT_PAGES=False)
def page_queries(client, url, params=None) -> int:
    # Twice: a first visit may mark a thread read, which the second's navigation counts afresh.
    client.get(url, params)
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(queries)
