"""benchmarks/bench_flagging.py prints its figures and leaves nothing behind."""

import json

import bench_flagging
import pytest

from athletes.models import Athlete

pytestmark = pytest.mark.django_db


def bench_figures(capsys, *args):
    bench_flagging.main([*args, "--processes", "1"])
    (line,) = capsys.readouterr().out.splitlines()
    return json.loads(line)


def test_bench_flagging_prints_one_json_line_and_cleans_up(capsys):
    figures = bench_figures(capsys, "10", "--chunk-size", "5")

    assert figures["athletes"] == 10
    assert (figures["sessions"], figures["events"]) == (160, 160)
    assert figures["flags"] > 0 and figures["chunks"] == 2
    assert 0 < figures["recheck_queries"] <= 10
    assert {"full_scan_s", "full_scan_queries", "recheck_ms", "scan_over_bare_sql"} <= set(figures)
    assert figures["bare_sql_flags"] > 0 and figures["scan_over_bare_sql"] > 0
    assert figures["bare_sql_same_flags"] is True  # the floor did the scan's job
    assert not Athlete.objects.exists()


def test_bench_flagging_takes_the_same_queries_per_chunk_whatever_the_chunk_size(capsys):
    small = bench_figures(capsys, "6", "--chunk-size", "2")
    large = bench_figures(capsys, "24", "--chunk-size", "8")

    assert small["full_scan_queries"] == large["full_scan_queries"]
