"""benchmarks/bench_history.py prints its figures: the same queries at both sizes."""

import json

import bench_history
import pytest

pytestmark = pytest.mark.django_db


def test_bench_history_prints_one_json_line_with_the_growth(capsys):
    bench_history.main(many=30, renders=1)
    (line,) = capsys.readouterr().out.splitlines()
    figures = json.loads(line)

    assert figures["sessions"] == [10, 30]
    assert figures["sets"][1] == 3 * figures["sets"][0]
    assert figures["queries"][0] == figures["queries"][1]
    assert figures["growth"] > 0
