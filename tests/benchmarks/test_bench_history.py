"""benchmarks/bench_history.py prints its figures: the same queries at both sizes."""

import json

import bench_history
import pytest

pytestmark = pytest.mark.django_db


def test_bench_history_prints_one_json_line_with_the_growth(capsys):
    bench_history.main(many=80, renders=1)
    (line,) = capsys.readouterr().out.splitlines()
    figures = json.loads(line)

    assert figures["sessions"] == [10, 20, 80]
    assert figures["sets"][2] == 8 * figures["sets"][0]
    assert len(set(figures["queries"])) == 1
    assert figures["growth"] > 0 and figures["growth_from_full_page"] > 0
