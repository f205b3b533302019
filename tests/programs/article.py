"""The article's Day A and Day B ("Strength for 5K") for the tests: the shared library itself
(programs.library_data), loaded the way load_demo loads it, so tests and demo cannot drift."""

from programs.library_data import DAY_A, DAY_B
from programs.services import library_load, template_copy


def article_exercises():
    """The library's exercises, published, by name (created once per test database)."""
    exercises, _ = library_load()
    return exercises


def _library_day(data, owner):
    _, templates = library_load()
    (library,) = (t for t in templates if t.name == data["name"])
    return library if owner is None else template_copy(template=library, owner=owner)


def day_a(owner=None):
    """The library's Day A, or, given an owner, that coach's own copy of it."""
    return _library_day(DAY_A, owner)


def day_b(owner=None):
    """The library's Day B, or, given an owner, that coach's own copy of it."""
    return _library_day(DAY_B, owner)
