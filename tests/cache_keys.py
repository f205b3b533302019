"""A cache key prefix of its own, for a test or one request of a test."""

import uuid

from django.conf import settings
from django.test import override_settings


def cache_keys_of_their_own():
    """allauth keeps its rate limits (sign-ups, reset emails) and the two-factor codes already
    used in the cache, the shared Redis: under a fresh key prefix, what counted before (in
    another test, another process, or for another role) counts no more."""
    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:12]}"
    caches = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    return override_settings(CACHES=caches)
