"""benchmarks/bench_pages.py serves the project and the floor with gunicorn and prints a ratio
for every page, each request answered as a signed-in user's would be."""

import json

import bench_pages
import pytest

# gunicorn's processes read what this test wrote: it must be committed. They run at the real
# now, so the test stays out of `make test-dates`.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.server]


def test_bench_pages_prints_a_ratio_to_the_floor_for_every_page(capsys):
    bench_pages.main(rounds=1)
    (line,) = capsys.readouterr().out.splitlines()
    figures = json.loads(line)

    assert set(figures["pages"]) == set(bench_pages.FLOOR_OF)
    for page in figures["pages"].values():
        assert page["median_ms"] > 0 and page["floor_median_ms"] > 0
        assert page["ratio_min"] <= page["ratio"] <= page["ratio_max"]
