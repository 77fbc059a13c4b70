"""Write the processed tables: one Parquet file each and one DuckDB database.

Every write makes a new generation of the processed folder
(:mod:`budgetlib.store.generations`): the tables written, the other tables of the
current generation linked in unchanged, and ``budget.duckdb`` rebuilt from them all;
then the generation is made current in one atomic step. The writer holds the
folder's lock (:mod:`budgetlib.store.lock`) from start to end, so two runs never
interleave, and an interrupted run leaves the previous generation current.

Rows that repeat a key of the contract (:data:`budgetlib.vocab.contract.KEYS`) are
refused: :meth:`TableWriter.add_document` raises a ``ParseError`` naming the first
repeated key, and none of that document's rows are kept.

:func:`write_tables` takes whole Arrow tables; :class:`TableWriter` takes rows
as they are parsed and keeps memory flat however many documents there are:
rows are spilled to Arrow IPC files in batches, split into 16 buckets by the first
character of ``doc_id`` (the first sort key of every per-document table), and
each bucket is sorted on its own when the writer closes. The result is the
same file :func:`write_tables` would write for the same rows.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from budgetlib import config
from budgetlib.errors import ParseError
from budgetlib.store import generations
from budgetlib.store.files import discard
from budgetlib.store.lock import folder_lock
from budgetlib.vocab.contract import KEYS, SCHEMAS, SORT_KEYS

DUCKDB_STORAGE_VERSION = "v1.2.0"


def to_arrow(name: str, records: list[dict]) -> pa.Table:
    """Records of one contract table as an Arrow table in contract order and types."""
    schema = SCHEMAS[name]
    table = pa.Table.from_pylist(records, schema=schema) if records else schema.empty_table()
    keys = [(k, "ascending") for k in SORT_KEYS.get(name, [])]
    return table.sort_by(keys) if keys and table.num_rows else table


def write_tables(out_dir: Path, tables: Mapping[str, pa.Table]) -> None:
    """Write ``tables`` as a new generation of ``out_dir`` (Parquet files and ``budget.duckdb``).

    Tables not given are kept as they are in the current generation.
    """
    out_dir = Path(out_dir)
    with folder_lock(out_dir):
        generations.clean(out_dir)
        generation = generations.new_generation(out_dir)
        try:
            for name, table in tables.items():
                pq.write_table(table, generation / f"{name}.parquet")
            _commit(out_dir, generation, list(tables))
        except BaseException:
            discard(generation)
            raise


def _commit(out_dir: Path, generation: Path, names: list[str]) -> None:
    """Complete ``generation`` (other tables carried over, the database built) and make it current."""
    generations.carry(out_dir, generation, skip=names)
    _build_duckdb(generation / config.DUCKDB_NAME, generation)
    generations.publish(out_dir, generation)


#: Rows of one table held in memory before they are spilled to disk.
FLUSH_ROWS = 20_000
#: Rows per Parquet row group: a reader of a few documents (``load.batches``) skips the others' groups.
ROW_GROUP_ROWS = 100_000


class TableWriter:
    """Contract tables written row by row, with memory bounded by ``flush_rows`` and one bucket.

    >>> with TableWriter(out_dir, ["documents", "line_items"]) as writer:   # doctest: +SKIP
    ...     writer.add("line_items", records)
    >>> writer.counts                                                     # doctest: +SKIP

    Leaving the ``with`` block normally sorts and writes every table and makes them
    current in ``out_dir`` as :func:`write_tables` does; leaving it by an exception
    writes nothing. The folder's lock is held from the start.
    """

    def __init__(self, out_dir: Path, names: list[str], flush_rows: int | None = None):
        self.out_dir = Path(out_dir)
        self.names = list(names)
        self.flush_rows = flush_rows or FLUSH_ROWS
        self.counts = {name: 0 for name in self.names}
        self._buffers: dict[str, list[dict]] = {name: [] for name in self.names}
        self._spills = 0
        self._keys: dict[str, set] = {name: set() for name in self.names if name in KEYS}
        self._held = ExitStack()
        self._held.enter_context(folder_lock(self.out_dir))
        try:
            generations.clean(self.out_dir)
            self._tmp = generations.new_generation(self.out_dir)
        except BaseException:
            self._held.close()
            raise

    def add_document(self, source_file: str, records: Mapping[str, list[dict]]) -> None:
        """Add one document's rows, all or none: a :class:`ParseError` if a row repeats a key.

        Keys are checked within the document and against the documents added before
        (every key starts with ``doc_id``, or is ``doc_id``).
        """
        for name, recs in records.items():
            if name not in self._keys:
                continue
            key_cols, seen, fresh = KEYS[name], self._keys[name], set()
            for rec in recs:
                key = tuple(rec.get(c) for c in key_cols)
                if key in seen or key in fresh:
                    shown = "，".join(f"{c}={v}" for c, v in zip(key_cols, key))
                    raise ParseError(f"数据表 {name} 中的键重复（{shown}），该文档未写入；请检查原文件是否重复印了同一行", file=source_file)
                fresh.add(key)
        for name, recs in records.items():
            if name in self._keys:
                self._keys[name].update(tuple(rec.get(c) for c in KEYS[name]) for rec in recs)
            self.add(name, recs)

    def add(self, name: str, records: list[dict]) -> None:
        buffer = self._buffers[name]
        buffer.extend(records)
        self.counts[name] += len(records)
        if len(buffer) >= self.flush_rows:
            self._spill(name)

    def _bucketed(self, name: str) -> bool:
        return SORT_KEYS.get(name, [None])[0] == "doc_id"

    def _spill(self, name: str) -> None:
        records, self._buffers[name] = self._buffers[name], []
        if not records:
            return
        table = pa.Table.from_pylist(records, schema=SCHEMAS[name])
        self._spills += 1
        if not self._bucketed(name):
            _write_ipc(table, self._spill_dir(name, "all") / f"{self._spills:08d}.arrow")
            return
        first = pc.utf8_slice_codeunits(table["doc_id"], 0, 1)
        for char in pc.unique(first).to_pylist():
            # Bucket names sort like the characters they hold (code point order is UTF-8 byte
            # order); rows without a doc_id go last, as nulls do in the sort.
            bucket = "~null" if char is None else f"{ord(char):06x}" if char else "-empty"
            part = table.filter(pc.is_null(first) if char is None else pc.equal(first, char))
            _write_ipc(part, self._spill_dir(name, bucket) / f"{self._spills:08d}.arrow")

    def _spill_dir(self, name: str, bucket: str) -> Path:
        path = self._tmp / "spill" / name / bucket
        path.mkdir(parents=True, exist_ok=True)
        return path

    def _write_sorted(self, name: str) -> None:
        self._spill(name)
        schema = SCHEMAS[name]
        keys = [(k, "ascending") for k in SORT_KEYS.get(name, [])]
        root = self._tmp / "spill" / name
        buckets = sorted(p for p in root.iterdir()) if root.exists() else []
        with pq.ParquetWriter(self._tmp / f"{name}.parquet", schema) as writer:
            if not buckets:
                writer.write_table(schema.empty_table())
            for bucket in buckets:
                part = pa.concat_tables(_read_ipc(p) for p in sorted(bucket.iterdir()))
                writer.write_table(part.sort_by(keys) if keys else part, row_group_size=ROW_GROUP_ROWS)
        discard(root)

    def close(self) -> None:
        """Sort and write every table, then make the new generation current in ``out_dir``."""
        try:
            for name in self.names:
                self._write_sorted(name)
            discard(self._tmp / "spill")
            _commit(self.out_dir, self._tmp, self.names)
        except BaseException:
            self.abort()
            raise
        self._held.close()

    def abort(self) -> None:
        """Write nothing: the new generation is removed and the lock let go."""
        discard(self._tmp)
        self._held.close()

    def __enter__(self) -> "TableWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _write_ipc(table: pa.Table, path: Path) -> None:
    """A spill file: Arrow IPC, uncompressed, which reads back without decoding (unlike Parquet)."""
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_ipc(path: Path) -> pa.Table:
    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


def _build_duckdb(db_path: Path, generation: Path) -> None:
    files = {p.stem: p for p in generations.tables_of(generation)}
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
