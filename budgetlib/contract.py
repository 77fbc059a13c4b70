"""The processed tables of the data contract, declared once.

Column order and types of every table that ``parse`` and ``check`` write, to
Parquet and DuckDB alike. Money is ``decimal128(18, 6)`` in 万元: exact, and with
enough places that amounts published in 元 (to the fen) convert without loss.
"""
from __future__ import annotations

import pyarrow as pa

MONEY = pa.decimal128(18, 6)

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", pa.string()),
            ("source_file", pa.string()),
            ("sha256", pa.string()),
            ("source_format", pa.string()),
            ("department_code", pa.string()),
            ("department_name", pa.string()),
            ("region", pa.string()),
            ("fiscal_year", pa.int32()),
            ("doc_kind", pa.string()),
            ("source_unit", pa.string()),
        ]
    ),
    "line_items": pa.schema(
        [
            ("doc_id", pa.string()),
            ("table", pa.string()),
            ("row_no", pa.int32()),
            ("col_no", pa.int32()),
            ("code", pa.string()),
            ("item", pa.string()),
            ("column", pa.string()),
            ("value", MONEY),
            ("source_line", pa.int32()),
        ]
    ),
    # Which standard tables each document prints, empty ones included.
    "document_tables": pa.schema(
        [
            ("doc_id", pa.string()),
            ("table", pa.string()),
            ("title", pa.string()),
            ("data_rows", pa.int32()),
            ("numbers", pa.int32()),
            ("unit", pa.string()),
            ("note", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
    # Documents that could not be parsed, with the reason.
    "parse_errors": pa.schema(
        [
            ("source_file", pa.string()),
            ("source_line", pa.int32()),
            ("error", pa.string()),
            ("message", pa.string()),
        ]
    ),
    # One row per audit finding (written by ``check``).
    "findings": pa.schema(
        [
            ("doc_id", pa.string()),
            ("check", pa.string()),
            ("severity", pa.string()),
            ("table", pa.string()),
            ("row_no", pa.int32()),
            ("col_no", pa.int32()),
            ("expected", MONEY),
            ("actual", MONEY),
            ("difference", MONEY),
            ("tolerance", MONEY),
            ("message", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
}

#: Tables written by ``check`` rather than ``parse``.
CHECK_TABLES = ("findings",)

#: Sort keys that make every written table deterministic.
SORT_KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "line_items": ["doc_id", "table", "row_no", "col_no"],
    "document_tables": ["doc_id", "source_line"],
    "parse_errors": ["source_file", "source_line"],
    "findings": ["doc_id", "severity", "check", "table", "row_no", "col_no"],
}
