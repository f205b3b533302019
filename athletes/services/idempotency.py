"""Creates that a client may repeat (a resubmitted form, a retried post): the first one's result,
never a second row. The created rows carry the client's key under a unique constraint."""

import uuid

from django.db import IntegrityError, transaction


def create_once(key: uuid.UUID | None, find, create):
    """What `find()` returns (what an earlier request with `key` created), else what `create()`
    makes. `create` runs in a savepoint: a concurrent twin that wins the insert makes the key's
    unique constraint refuse this one, and the twin's result is returned instead. Without a
    key, `create()` alone."""
    if key is None:
        return create()
    found = find()
    if found:
        return found
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        found = find()
        if not found:
            raise
        return found
