"""Benchmark: parsing throughput on the sample documents.

Run with ``make bench``. Prints a table and writes ``bench/results.json``.
Each figure is set against a floor measured in the same run: reading the same
bytes and splitting them into lines, the least any parser must do.
"""
from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from budgetlib.parse import discover, parse_document  # noqa: E402

RAW = ROOT / "data" / "raw"


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    docs = list(discover([RAW]))
    rounds = 20

    def floor() -> None:
        for _ in range(rounds):
            for path, _name in docs:
                path.read_bytes().decode("utf-8").splitlines()

    def parse() -> None:
        for _ in range(rounds):
            for path, name in docs:
                parse_document(path, name)

    n = rounds * len(docs)
    t_floor, t_parse = best_of(floor), best_of(parse)
    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "documents": n,
        "parse_seconds": t_parse,
        "parse_ms_per_document": 1000 * t_parse / n,
        "parse_documents_per_second": n / t_parse,
        "floor_read_split_seconds": t_floor,
        "parse_vs_floor": t_parse / t_floor,
    }
    print(f"{'measure':<32}{'value':>14}")
    for key in ["documents", "parse_ms_per_document", "parse_documents_per_second", "parse_vs_floor"]:
        value = results[key]
        print(f"{key:<32}{value:>14.2f}" if isinstance(value, float) else f"{key:<32}{value:>14}")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
