"""Load the processed tables for notebooks and users.

>>> import budgetlib
>>> data = budgetlib.load("data/processed")       # doctest: +SKIP
>>> data.line_items                                # a polars DataFrame
>>> data.wide("expenditure")                       # 支出总表 with total/basic/project… columns
>>> data.to_pandas("documents")                    # pandas on request

The wide views are built from :mod:`budgetlib.schema`, the same declaration the
parser uses, so a column added there appears here without further code.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from . import config
from .contract import SCHEMAS
from .errors import DataError
from .schema import TABLES_BY_KEY


class Dataset:
    """The processed tables of one folder, as polars DataFrames."""

    def __init__(self, data_dir: Path, frames: dict[str, pl.DataFrame]):
        self.data_dir = data_dir
        self._frames = frames

    def __getattr__(self, name: str) -> pl.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]
        raise AttributeError(f"没有名为 {name} 的数据表；可用的表：{', '.join(sorted(frames))}")

    def __getitem__(self, name: str) -> pl.DataFrame:
        return getattr(self, name)

    @property
    def names(self) -> list[str]:
        return sorted(self._frames)

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
        items = self.line_items.filter(pl.col("table") == table)
        if doc_id is not None:  # one document: filter before pivoting
            items = items.filter(pl.col("doc_id") == doc_id)
        amounts = [c.key for c in spec.amount_columns()]
        # Columns only a provincial layout prints (决算 三公 预算数, Jiangsu's 支出用途 …), when present.
        present = set(items["column"].unique().to_list())
        for layout in spec.layouts[1:]:
            for c in layout.columns:
                if c.kind == "amount" and c.key in present and c.key not in amounts:
                    amounts.append(c.key)
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


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read every processed table in ``data_dir`` (default ``data/processed``)."""
    data_dir = Path(data_dir) if data_dir is not None else config.processed_dir()
    if not (data_dir / "documents.parquet").exists():
        raise DataError(f"{data_dir} 中没有已解析的数据，请先运行 `budgetlib parse`", file=str(data_dir))
    frames = {p.stem: pl.read_parquet(p) for p in sorted(data_dir.glob("*.parquet"))}
    for name, schema in SCHEMAS.items():
        frames.setdefault(name, pl.from_arrow(schema.empty_table()))
    return Dataset(data_dir, frames)
