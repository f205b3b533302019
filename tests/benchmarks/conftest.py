import sys
from pathlib import Path

# The scripts import their harness as `python benchmarks/bench_<what>.py` lets them: from their
# own folder. The tests import them the same way.
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))
