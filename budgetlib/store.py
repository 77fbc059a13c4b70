"""Write the processed tables: one Parquet file each and one DuckDB database.

Everything is written into a temporary folder beside the target and moved into
place file by file with :func:`os.replace`, so an interrupted run leaves the
previous good output intact and readers never see a half-written file.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from . import config
from .contract import SCHEMAS, SORT_KEYS

DUCKDB_STORAGE_VERSION = "v1.2.0"


def to_arrow(name: str, records: list[dict]) -> pa.Table:
    """Records of one contract table as an Arrow table in contract order and types."""
    schema = SCHEMAS[name]
    table = pa.Table.from_pylist(records, schema=schema) if records else schema.empty_table()
    keys = [(k, "ascending") for k in SORT_KEYS.get(name, [])]
    return table.sort_by(keys) if keys and table.num_rows else table


def write_tables(out_dir: Path, tables: Mapping[str, pa.Table], *, replace_db: bool = True) -> None:
    """Write ``tables`` as Parquet files and into ``budget.duckdb`` (atomically per file).

    With ``replace_db`` the database is rebuilt from the given tables plus the
    Parquet files already in ``out_dir``; tables not given are kept as they were.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        for name, table in tables.items():
            pq.write_table(table, tmp / f"{name}.parquet")
        if replace_db:
            _build_duckdb(tmp / config.DUCKDB_NAME, tmp, out_dir)
        for name in tables:
            os.replace(tmp / f"{name}.parquet", out_dir / f"{name}.parquet")
        if replace_db:
            os.replace(tmp / config.DUCKDB_NAME, out_dir / config.DUCKDB_NAME)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _build_duckdb(db_path: Path, fresh_dir: Path, out_dir: Path) -> None:
    files = {p.stem: p for p in sorted(out_dir.glob("*.parquet"))}
    files.update({p.stem: p for p in sorted(fresh_dir.glob("*.parquet"))})
    con = duckdb.connect()
    try:
        # An older storage version keeps the file readable by DuckDB 1.2+ clients,
        # which is what most auditors' SQL tools bundle.
        con.execute(f"ATTACH '{db_path}' AS out (STORAGE_VERSION '{DUCKDB_STORAGE_VERSION}')")
        for name, path in files.items():
            con.execute(f'CREATE TABLE out."{name}" AS SELECT * FROM read_parquet(?)', [str(path)])
        con.execute("DETACH out")
    finally:
        con.close()
