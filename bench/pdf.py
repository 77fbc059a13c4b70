"""Benchmark: parsing published PDFs, against reading their characters.

Run with ``python bench/pdf.py`` (``make bench`` runs it too). For each PDF:
pages, the best of three full parses (reader, table recognition, every
extractor) and, as the floor measured in the same run, pdfplumber opening the
file and decoding every page's characters, the least any reader of the text
layer must do. Prints a table and writes ``bench/pdf_results.json``.

The PDFs are the real published documents of ``../shared/real/`` beside the project
(third-party, not in the repository), or those under the folders given as arguments.
"""
from __future__ import annotations

import io
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from budgetlib.extract.document import parse_document  # noqa: E402

#: Real published documents beside the project (see tests/conftest.py).
SHARED_REAL = ROOT.parent / "shared" / "real"
RESULTS = ROOT / "bench" / "pdf_results.json"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.chars) for page in pdf.pages)


def main(folders: list[str]) -> int:
    roots = [Path(f) for f in folders] or [SHARED_REAL]
    paths = sorted(p for root in roots for p in root.rglob("*.pdf"))
    if not paths:
        print(f"没有找到 PDF 文件：{', '.join(map(str, roots))}")
        return 1
    rows = []
    for path in paths:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        t_parse = best_of(lambda: parse_document(path))
        t_floor = best_of(lambda: floor(data))
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "parse_seconds": t_parse,
                "parse_seconds_per_page": t_parse / pages,
                "floor_read_chars_seconds": t_floor,
                "parse_vs_floor": t_parse / t_floor,
            }
        )
    print(f"{'file':<44}{'pages':>6}{'parse s':>10}{'s/page':>9}{'floor s':>10}{'×floor':>8}")
    for r in rows:
        print(
            f"{r['file'][-42:]:<44}{r['pages']:>6}{r['parse_seconds']:>10.2f}{r['parse_seconds_per_page']:>9.3f}"
            f"{r['floor_read_chars_seconds']:>10.2f}{r['parse_vs_floor']:>8.1f}"
        )
    results = {"machine": {"python": platform.python_version(), "processor": platform.machine()}, "pdfs": rows}
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
