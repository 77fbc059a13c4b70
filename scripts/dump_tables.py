"""Dump every processed table of a parse + check run as sorted text, for before/after comparisons.

    python scripts/dump_tables.py OUT_DIR PATH [PATH ...]

Runs ``budgetlib parse PATH ... --out TMP`` and ``budgetlib check --data TMP`` through the
command line (so it measures only what users see), then writes one ``<table>.tsv`` per
Parquet file into OUT_DIR with every row in a canonical order. ``diff -r`` two such
folders to see what a change did to the processed tables.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq


def dump(out_dir: Path, paths: list[str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "budgetlib"]
        subprocess.run([*cmd, "parse", *paths, "--out", tmp, "--workers", "1"], check=False)
        subprocess.run([*cmd, "check", "--data", tmp, "--format", "csv"], check=True, stdout=subprocess.DEVNULL)
        for parquet in sorted(Path(tmp).glob("*.parquet")):
            table = pq.read_table(parquet)
            lines = sorted("\t".join("" if v is None else str(v) for v in row.values()) for row in table.to_pylist())
            header = "\t".join(table.column_names)
            (out_dir / f"{parquet.stem}.tsv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    dump(Path(sys.argv[1]), sys.argv[2:])
