"""Pages kept in the cache until a write changes what they show (web/cache.py).

A kept page is the view's answer for one viewer at one address, kept under the generation of
every table pages read, the viewer's own (viewer_generation) and those of the writes a service
counted up by whom they concern (writes_counted_as) that the page shows: any such write has the
next request run the view again. Nothing that differs between two requests is kept: the CSRF
token and the ids a page's forms post (fresh_id: a set's or a comment's id, a create form's
idempotency key) are put back fresh into each answer (no page carries a CSP nonce: the policy
allows our own static scripts, by address), a page with a message waiting to be shown is never
kept, and the clock is part of the key, so what a page says about now (an edit window, "today")
is at most a minute old.

Only for views whose GET changes nothing but what it reads (a session page marks its thread
read only when something in it is unread, and then shows it again afresh).
"""

import hashlib
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse

# Django's own check of a masked token against the browser's secret: no public name has it.
from django.middleware.csrf import _unmask_cipher_token, get_token

from web.cache import (
    KEPT_SECONDS,
    keep,
    kept,
    table_generation,
    tables_pages_read,
    viewer_generation,
)

# What stands for the request's CSRF token in a kept page: NUL never reaches a page (form
# fields refuse it), so no page's text can contain it.
CSRF_PLACEHOLDER = b"\0csrf-token\0"
# A masked CSRF token as Django writes it into a page (django.middleware.csrf).
_MASKED_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
# Where the n-th id made with fresh_id stood in a kept page.
_FRESH_ID = re.compile(rb"\0fresh-id:(\d+)\0")
# The ids made with fresh_id while a page to keep is made (None: no page is being kept).
_fresh_ids: ContextVar[list | None] = ContextVar("fresh_ids", default=None)


def fresh_id() -> uuid.UUID:
    """A new id for a form to post (an idempotency key, a comment's id): a kept page gets one
    of its own in each answer, as if it were made for it, so two tabs never post the same."""
    made = uuid.uuid4()
    if (made_for_page := _fresh_ids.get()) is not None:
        made_for_page.append(made)
    return made


def kept_page(shows: Callable[..., Sequence[str]]):
    """The view's GET answer kept for each viewer and address until a write changes it.
    `shows(request, *args, **kwargs)` (the view's arguments): the generations that writes
    counted up by whom they concern (writes_counted_as) give for what the page shows, such as
    the log of the athlete it is about; no_scoped_writes for a page that shows none."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not settings.KEPT_PAGES or request.method != "GET" or len(get_messages(request)):
                return view(request, *args, **kwargs)
            key = _page_key(request)
            generations = [
                *(table_generation(table) for table in tables_pages_read()),
                viewer_generation(request.user.pk),
                *shows(request, *args, **kwargs),
            ]
            current, page = kept(key, generations)
            if page is not None:
                return _answer(request, page)
            made_for_page = _fresh_ids.set([])
            try:
                response = view(request, *args, **kwargs)
                fresh_ids = _fresh_ids.get()
            finally:
                _fresh_ids.reset(made_for_page)
            page = _page_to_keep(request, response, fresh_ids)
            if page is not None:
                keep(key, current, page)
            return response

        return wrapped

    return decorator


def no_scoped_writes(request, *args, **kwargs) -> list[str]:
    return []


def _page_key(request) -> str:
    parts = (
        request.user.pk,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        # The headers a page is made differently for: htmx asking for a part, a script for
        # JSON, the phone's background refresh (base.html).
        *(request.headers.get(name, "") for name in ("HX-Request", "Accept", "Coach-Keep")),
        int(time.time() // KEPT_SECONDS),  # what the page says about now: a minute old at most
        # A release's pages name its own static files (hashed names): none kept from the last.
        getattr(staticfiles_storage, "manifest_hash", ""),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _page_to_keep(request, response, fresh_ids) -> tuple | None:
    """(headers, content with the request's own values taken out), for an answer that is the
    same for the next request: a whole page, setting no cookie."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return None
    secret = request.META.get("CSRF_COOKIE")
    content = _MASKED_TOKEN.sub(
        lambda token: (
            CSRF_PLACEHOLDER
            if secret and _unmask_cipher_token(token.group().decode()) == secret
            else token.group()
        ),
        response.content,
    )
    for n, made in enumerate(fresh_ids):
        content = content.replace(str(made).encode(), b"\0fresh-id:%d\0" % n)
    return dict(response.items()), content


def _answer(request, page) -> HttpResponse:
    headers, content = page
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    answered_ids = {}
    content = _FRESH_ID.sub(
        lambda place: answered_ids.setdefault(place.group(1), str(uuid.uuid4()).encode()),
        content,
    )
    return HttpResponse(content, headers=headers)
