"""kept_until_changed: a value is read once and kept until a generation it was read under is
counted up, even by a write under way while it was read; with Redis away it is read afresh."""

import pytest
from django.core.cache import cache
from django.db import transaction

from tests.coach.test_accounts_without_redis import cache_at
from tests.coach.test_health import closed_port
from web.cache import generations_count_up, kept_until_changed

pytestmark = pytest.mark.django_db  # counting up waits for the transaction's commit too


class Reads:
    """A read that says how often it ran, answering `value`."""

    def __init__(self, value):
        self.value, self.count = value, 0

    def __call__(self):
        self.count += 1
        return self.value


def test_a_value_is_read_once_until_one_of_its_generations_counts_up():
    reads = Reads(3)
    assert [kept_until_changed("count", ["all", "mine"], reads) for _ in range(3)] == [3, 3, 3]
    assert reads.count == 1

    generations_count_up("other")
    kept_until_changed("count", ["all", "mine"], reads)
    assert reads.count == 1

    reads.value = 4
    generations_count_up("mine")
    assert kept_until_changed("count", ["all", "mine"], reads) == 4
    assert reads.count == 2


@pytest.mark.django_db(transaction=True)
def test_a_value_read_while_a_write_was_under_way_is_not_kept_past_its_commit():
    with transaction.atomic():
        generations_count_up("all")  # the write has begun, not committed
        # Another request reads the data as it was before the write, and keeps it.
        assert kept_until_changed("count", ["all"], Reads("before")) == "before"
    assert kept_until_changed("count", ["all"], Reads("after")) == "after"


@pytest.mark.django_db(transaction=True)
def test_a_durable_blocks_writes_count_up_once_at_commit_and_it_reads_them_afresh_meanwhile():
    assert kept_until_changed("count", ["all"], Reads("before")) == "before"
    counted = cache.get("generation:all")
    with transaction.atomic(durable=True):
        generations_count_up("all")
        generations_count_up("all")  # a second statement: still one count-up, at commit
        assert cache.get("generation:all") == counted  # others still read what is committed
        during = Reads("during")
        assert kept_until_changed("count", ["all"], during) == "during"
        assert kept_until_changed("count", ["all"], during) == "during"
        assert during.count == 2  # its own writes are read afresh, and nothing is kept
    assert cache.get("generation:all") == counted + 1
    assert kept_until_changed("count", ["all"], Reads("after")) == "after"


def test_a_lost_counter_starts_afresh_and_nothing_kept_before_matches_it():
    kept_until_changed("count", ["all"], Reads("before"))
    cache.delete("generation:all")
    assert kept_until_changed("count", ["all"], Reads("after")) == "after"


def test_with_redis_away_each_value_is_read_afresh_and_counting_up_fails_nothing():
    reads = Reads(5)
    with cache_at(closed_port()):
        values = [kept_until_changed("count", ["all"], reads) for _ in range(3)]
        generations_count_up("all")
    assert values == [5, 5, 5] and reads.count == 3


def test_counting_up_on_redis_is_one_round_trip_and_starts_a_lost_counter_afresh():
    if not hasattr(cache, "count_up_many"):
        pytest.skip("Redis's cache counts up in one round trip; others count key by key")
    cache.set("held", 41, timeout=None)
    cache.delete("lost")
    cache.count_up_many(["held", "lost"], start=1000)
    assert cache.get_many(["held", "lost"]) == {"held": 42, "lost": 1001}
    with cache_at(closed_port()):
        cache.count_up_many(["held"], start=1000)  # Redis away: nothing counted, nothing raised
