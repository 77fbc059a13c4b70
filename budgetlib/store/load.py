"""Load the processed tables for notebooks and users.

>>> import budgetlib
>>> data = budgetlib.load("data/processed")       # doctest: +SKIP
>>> data.line_items                                # a polars DataFrame
>>> data.wide("expenditure")                       # 支出总表 with total/basic/project… columns
>>> data.to_pandas("documents")                    # pandas on request

The wide views are built from :mod:`budgetlib.vocab.tables`, the same declaration the
parser uses, so a column added there appears here without further code.

Every read follows the folder's current generation (:mod:`budgetlib.store.generations`),
resolved once, so all the tables of a Dataset come from one run even while
``parse`` or ``check`` makes a new generation current.

``load`` keeps the last datasets it read (at most :data:`CACHE_SIZE` folders):
loading a folder whose current generation is unchanged (same generation, and
Parquet files of the same names, sizes, modification times and inodes) returns
the same :class:`Dataset` without reading anything, so the report notebooks, run
one after another in a warm kernel, read the tables once. A new generation
(``budgetlib parse`` or ``check``) makes the next ``load`` read the folder again.
A Dataset is read-only, which makes sharing it safe.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from budgetlib import config
from budgetlib.vocab.contract import SCHEMAS
from budgetlib.errors import DataError
from budgetlib.store import generations
from budgetlib.vocab.tables import TABLES_BY_KEY


class Dataset:
    """The processed tables of one folder, as polars DataFrames.

    Read-only: :func:`load` may hand the same Dataset to every caller, so its tables
    are never replaced (assigning an attribute raises). Results derived from the
    tables may be kept in :meth:`memo`, which lives as long as the Dataset.
    """

    def __init__(self, data_dir: Path, frames: dict[str, pl.DataFrame]):
        object.__setattr__(self, "data_dir", data_dir)
        object.__setattr__(self, "_frames", dict(frames))

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"Dataset 为只读，不能设置 {name}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Dataset 为只读，不能删除 {name}")

    def __getattr__(self, name: str) -> pl.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            # A clone costs a microsecond (the columns are shared, copy on write), and an
            # in-place change by one caller (``df.columns = …``) cannot reach the others.
            return frames[name].clone()
        raise AttributeError(f"没有名为 {name} 的数据表；可用的表：{', '.join(sorted(frames))}")

    def __getitem__(self, name: str) -> pl.DataFrame:
        return getattr(self, name)

    @property
    def names(self) -> list[str]:
        return sorted(self._frames)

    def memo(self, name: str) -> dict:
        """A dict for results derived from these tables (``name`` keeps users apart).

        The tables never change, so what is stored here stays valid as long as the
        Dataset lives; a re-parsed folder is loaded as a new Dataset with empty memos.
        """
        return self.__dict__.setdefault("_memos", {}).setdefault(name, {})

    def rows_of(self, name: str, doc_id: str) -> pl.DataFrame:
        """The rows of table ``name`` about one document, in table order.

        The table is split by document once per Dataset, so a report that asks for one
        document at a time does not scan the rows of every other department.
        """
        parts = self.memo("rows_of").get(name)
        if parts is None:
            frame = self[name]
            if "doc_id" not in frame.columns:
                raise DataError(f"数据表 {name} 没有 doc_id 列，不能按文档取行")
            parts = {key[0]: part for key, part in frame.partition_by("doc_id", as_dict=True).items()} if frame.height else {}
            self.memo("rows_of")[name] = parts
        part = parts.get(doc_id)
        return part.clone() if part is not None else self._frames[name].clear()

    def to_pandas(self, name: str):
        """One table as a pandas DataFrame (money stays ``decimal.Decimal``)."""
        return self[name].to_pandas(use_pyarrow_extension_array=False)

    def wide(self, table: str, doc_id: str | None = None) -> pl.DataFrame:
        """One standard table back in its printed shape: a row per (document, 序号).

        Columns: ``doc_id, row_no``, ``code`` for subject tables, the label columns
        (``name``, or ``income_item``/``expenditure_item``), and one decimal column per amount
        column of the national declaration (``total``, ``basic``, ``project`` …), then any
        amount column only a provincial layout prints, null where the cell is blank.
        ``doc_id`` limits the view to one document.
        """
        spec = TABLES_BY_KEY.get(table)
        if spec is None:
            raise DataError(f"未知的标准表 {table!r}；可选：{', '.join(TABLES_BY_KEY)}")
        if doc_id is not None:  # one document: its rows only, before pivoting
            items = self.rows_of("line_items", doc_id).filter(pl.col("table") == table)
        else:
            items = self.line_items.filter(pl.col("table") == table)
        amounts = [c.key for c in spec.amount_columns()]
        # Columns only a provincial layout prints (决算 三公 预算数, Jiangsu's 支出用途 …), when present.
        present = set(items["column"].unique().to_list())
        for layout in spec.layouts[1:]:
            for c in layout.columns:
                if c.kind == "amount" and c.key in present and c.key not in amounts:
                    amounts.append(c.key)
        # Columns read by the column vocabulary that no layout declares (a unit budget's 人员经费 …).
        extra = items.filter(~pl.col("column").is_in(amounts)).group_by("column").agg(pl.col("col_no").min())
        amounts += extra.sort("col_no", "column")["column"].to_list()
        index = ["doc_id", "row_no"]
        labels = [c for c in spec.columns if c.kind == "label"]
        default_label = labels[0].no if labels else None
        label_aggs = [pl.col("code").drop_nulls().first()]
        for label in labels:
            sources = [c.no for c in spec.amount_columns() if (c.item_from or default_label) == label.no]
            label_aggs.append(pl.col("item").filter(pl.col("col_no").is_in(sources)).drop_nulls().first().alias(label.key))
        heads = items.group_by(index).agg(label_aggs)
        if items.is_empty():
            values = pl.DataFrame(schema={"doc_id": pl.String, "row_no": pl.Int32})
        else:
            values = items.pivot(on="column", index=index, values="value")
        for key in amounts:
            if key not in values.columns:
                values = values.with_columns(pl.lit(None, dtype=items.schema["value"]).alias(key))
        keep = ["code"] if spec.subject else []
        return (
            heads.join(values, on=index, how="left")
            .select(index + keep + [c.key for c in labels] + amounts)
            .sort(index)
        )


#: How many folders :func:`load` keeps (one stale entry per folder is dropped at once).
CACHE_SIZE = 2
_cache: OrderedDict[Path, tuple[tuple, Dataset]] = OrderedDict()
_cache_lock = threading.Lock()


def _signature(folder: Path) -> tuple:
    """What identifies a generation's tables: its path, and each Parquet file's name, size,
    modification time and inode (files are replaced by rename, so a rewrite changes the
    inode even within the file system's timestamp resolution)."""
    result: list = [str(folder)]
    for path in generations.tables_of(folder):
        try:
            st = path.stat()
        except FileNotFoundError:  # removed while we looked: the signature differs anyway
            continue
        result.append((path.name, st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(result)


#: Times :func:`load` resolves the current generation again when the one it was reading is removed.
READ_ATTEMPTS = 3


def load(data_dir: str | Path | None = None, *, cache: bool = True) -> Dataset:
    """Read every processed table in ``data_dir`` (default ``data/processed``).

    An unchanged folder loaded again gives the same read-only :class:`Dataset`
    (``cache=False`` reads the files regardless, and keeps nothing).
    """
    root = Path(data_dir) if data_dir is not None else config.processed_dir()
    for attempt in range(READ_ATTEMPTS):
        try:
            return _load(root, cache)
        except FileNotFoundError:
            # Two newer generations were made current while we read: the one we read is gone.
            if attempt == READ_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _load(root: Path, cache: bool) -> Dataset:
    folder = _parsed_folder(root)
    if not cache:
        return _read(root, folder)
    key = root.resolve()
    signature = _signature(folder)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == signature:
            _cache.move_to_end(key)
            return hit[1]
        _cache.pop(key, None)  # stale: let it go before reading the new tables
    dataset = _read(root, folder)
    if _signature(folder) == signature:  # nothing was replaced while we read
        with _cache_lock:
            _cache[key] = (signature, dataset)
            _cache.move_to_end(key)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return dataset


def clear_cache() -> None:
    """Forget every loaded dataset (the next :func:`load` reads the files)."""
    with _cache_lock:
        _cache.clear()


def batches(data_dir: str | Path, documents: int = 200) -> Iterator[Dataset]:
    """The folder's tables, ``documents`` documents at a time, in ``doc_id`` order.

    Each :class:`Dataset` holds every row about its documents (tables without a
    ``doc_id`` stay empty), so work done per document needs memory for one batch,
    however many documents the folder has. The files of one disclosure are kept in one
    batch (the checks read them together). The Parquet files are sorted by ``doc_id``,
    so each batch reads mostly the row groups that hold its range.
    """
    root = Path(data_dir)
    folder = _parsed_folder(root)
    paths = {p.stem: p for p in generations.tables_of(folder)}
    keyed = [name for name, path in paths.items() if "doc_id" in pl.read_parquet_schema(path)]
    for ids in _batch_ids(pl.read_parquet(paths["documents"]), documents):
        first, last = min(ids), max(ids)
        in_batch = pl.col("doc_id").is_between(pl.lit(first), pl.lit(last)) & pl.col("doc_id").is_in(ids)
        yield _dataset(root, {name: pl.scan_parquet(paths[name]).filter(in_batch).collect() for name in keyed})


#: A document that prints standard tables: ``documents.source_unit`` is the unit they are
#: printed in, null for a text without tables (the 公开文件 half of a two-file disclosure).
PRINTS_TABLES = pl.col("source_unit").is_not_null()


def disclosure_groups(documents: pl.DataFrame) -> dict[str, list[str]]:
    """doc_id -> the doc_ids of its disclosure (``documents.disclosure_id``), itself included."""
    if "disclosure_id" not in documents.columns:
        return {d: [d] for d in documents["doc_id"].to_list()}
    groups: dict[str, list[str]] = {}
    for doc_id, disclosure in documents.select("doc_id", "disclosure_id").iter_rows():
        groups.setdefault(disclosure or doc_id, []).append(doc_id)
    return {d: group for group in groups.values() for d in group}


def _batch_ids(documents: pl.DataFrame, size: int) -> Iterator[list[str]]:
    """The doc_ids of each batch: ``size`` documents in doc_id order, with the other files of
    their disclosures (a file already in an earlier batch is not read again)."""
    doc_ids = documents["doc_id"].sort().to_list()
    partners = disclosure_groups(documents)
    done: set[str] = set()
    pending = list(doc_ids)
    while pending:
        batch: list[str] = []
        for doc_id in pending:
            if len(batch) >= size:
                break
            if doc_id not in done:
                group = [d for d in partners.get(doc_id, [doc_id]) if d not in done]
                batch += group
                done.update(group)
        pending = [d for d in pending if d not in done]
        if batch:
            yield sorted(batch)


def _parsed_folder(data_dir: Path) -> Path:
    """The generation to read in ``data_dir`` (resolved once); a clear error when there is none."""
    folder = generations.current(data_dir)
    if not (folder / "documents.parquet").exists():
        raise DataError(f"{data_dir} 中没有已解析的数据，请先运行 `budgetlib parse`", file=str(data_dir))
    return folder.resolve()


def _read(root: Path, folder: Path) -> Dataset:
    return _dataset(root, {p.stem: pl.read_parquet(p) for p in generations.tables_of(folder)})


def _dataset(root: Path, frames: dict[str, pl.DataFrame]) -> Dataset:
    """A Dataset of the folder ``root`` with every contract table: the ones not in ``frames`` empty."""
    for name, schema in SCHEMAS.items():
        frames.setdefault(name, pl.from_arrow(schema.empty_table()))
    return Dataset(root.resolve(), frames)
