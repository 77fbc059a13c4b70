"""The processed tables of the data contract, declared once.

Column order and types of every table that ``parse`` and ``check`` write, to
Parquet and DuckDB alike. Money is ``decimal128(18, 6)`` in 万元: exact, and with
enough places that amounts published in 元 (to the fen) convert without loss.
"""
from __future__ import annotations

import pyarrow as pa

#: ``findings.severity`` values, most serious first, and how reports and summaries name them.
SEVERITIES = ("error", "warning", "rounding", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "rounding": "四舍五入", "info": "提示"}

MONEY = pa.decimal128(18, 6)
#: Quantities and target values that are not money: exact decimals all the same.
QUANTITY = pa.decimal128(18, 6)

#: Where a number is printed, for documents read from PDF (null for other formats): the page
#: (from 1) and the box around the printed text, in PDF points from the page's top-left corner
#: as displayed (y grows downwards). Evidence crops and annotated PDFs are drawn from these.
PRINTED_AT = [
    ("page", pa.int32()),
    ("x0", pa.float64()),
    ("y0", pa.float64()),
    ("x1", pa.float64()),
    ("y1", pa.float64()),
]

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
            # ``department`` (部门预算/决算) or ``unit`` (单位预算: a unit's own).
            ("level", pa.string()),
            # Where department_name and fiscal_year were read (budgetlib.extract.metadata):
            # table_header, code_line, cover, units_table, title or file_name, and the line.
            ("department_source", pa.string()),
            ("department_line", pa.int32()),
            ("fiscal_year_source", pa.string()),
            ("fiscal_year_line", pa.int32()),
            # The files of one department, year and kind are one disclosure (the prose in
            # one file, the tables in another): they share this id.
            ("disclosure_id", pa.string()),
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
            *PRINTED_AT,
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
            # Naming scheme of the layout the table matched (budgetlib.vocab.tables.SCHEMES), or
            # "vocabulary" when no declared layout fits and the columns were mapped one by one
            # by their header text (budgetlib.vocab.concepts).
            ("layout", pa.string()),
            # recognised | empty (recognised, no figure) | unmapped (found, not mapped: see reason).
            ("status", pa.string()),
            ("reason", pa.string()),
            # The column keys the table was read with, in 栏次 order ("code,name,total,basic,project").
            ("columns", pa.string()),
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
            # Stable across re-parsing and re-checking the same document
            # (budgetlib.checks.finding_ids): what a review in ``reviews`` refers to.
            ("finding_id", pa.string()),
        ]
    ),
    # Figures stated in the prose of the 情况说明 (budgetlib.extract.prose_facts).
    "narrative_facts": pa.schema(
        [
            ("doc_id", pa.string()),
            ("fact", pa.string()),
            ("year", pa.int32()),
            ("value", MONEY),
            ("unit", pa.string()),
            ("precision", MONEY),
            ("subject", pa.string()),
            ("part_of", pa.string()),
            ("is_derived", pa.bool_()),
            ("text", pa.string()),
            ("source_line", pa.int32()),
            *PRINTED_AT,
        ]
    ),
    # Each document's headline figures, printed or derived (budgetlib.extract.headlines).
    "headlines": pa.schema(
        [
            ("doc_id", pa.string()),
            # total_income, total_expenditure, basic_expenditure, project_expenditure,
            # personnel, public_use, three_public_total, operating_cost.
            ("figure", pa.string()),
            ("value", MONEY),
            # ``table`` (a printed cell, or cells summed) or ``prose`` (a figure the text states).
            ("source", pa.string()),
            # The printed cell (line_items key), where the figure is one.
            ("table", pa.string()),
            ("row_no", pa.int32()),
            ("col_no", pa.int32()),
            ("source_line", pa.int32()),
            ("is_derived", pa.bool_()),
            # How a derived figure was made: the rows summed, or why it is 0.
            ("derived_from", pa.string()),
        ]
    ),
    # Every line that is not a table row: cover, headings, table titles and headers, prose
    # (budgetlib.extract.texts). kind: title, header, heading or prose.
    "texts": pa.schema(
        [
            ("doc_id", pa.string()),
            ("source_line", pa.int32()),
            ("kind", pa.string()),
            ("text", pa.string()),
        ]
    ),
    # 机构设置 (budgetlib.extract.units).
    "units": pa.schema(
        [
            ("doc_id", pa.string()),
            ("unit_no", pa.int32()),
            ("unit_name", pa.string()),
            ("unit_type", pa.string()),
            ("rank", pa.string()),
            ("funding_form", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
    # 部门政府采购预算, one row per printed row (budgetlib.extract.small_tables).
    "procurement": pa.schema(
        [
            ("doc_id", pa.string()),
            ("row_no", pa.int32()),
            ("row_kind", pa.string()),
            ("project_name", pa.string()),
            ("project_budget", MONEY),
            ("item_name", pa.string()),
            ("catalog_code", pa.string()),
            ("measure_unit", pa.string()),
            ("quantity", QUANTITY),
            ("unit_price", MONEY),
            ("total", MONEY),
            ("gpb", MONEY),
            ("gov_fund", MONEY),
            ("soe_capital", MONEY),
            ("fiscal_special", MONEY),
            ("unit_funds", MONEY),
            ("fiscal_carryover", MONEY),
            ("non_fiscal_carryover", MONEY),
            ("sme_reserved", MONEY),
            ("unit", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
    # 固定资产占用情况 (budgetlib.extract.small_tables).
    "assets": pa.schema(
        [
            ("doc_id", pa.string()),
            ("row_no", pa.int32()),
            ("item", pa.string()),
            ("quantity", QUANTITY),
            ("value", MONEY),
            ("is_total", pa.bool_()),
            ("as_of", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
    # 第一部分 部门整体绩效目标 as text (budgetlib.extract.goals).
    "goals": pa.schema(
        [
            ("doc_id", pa.string()),
            ("kind", pa.string()),
            ("item_no", pa.int32()),
            ("sub_no", pa.int32()),
            ("item_title", pa.string()),
            ("description", pa.string()),
            ("goal", pa.string()),
            ("indicator", pa.string()),
            ("source_line", pa.int32()),
        ]
    ),
    # 预算项目绩效目标表 (budgetlib.extract.targets).
    "projects": pa.schema(
        [
            ("doc_id", pa.string()),
            ("project_no", pa.int32()),
            ("project_name", pa.string()),
            ("project_code", pa.string()),
            ("budget", MONEY),
            ("budget_fiscal", MONEY),
            ("purpose", pa.string()),
            ("spending_plan", pa.string()),
            ("goal", pa.string()),
            ("is_classified", pa.bool_()),
            ("indicator_count", pa.int32()),
            ("source_line", pa.int32()),
        ]
    ),
    "indicators": pa.schema(
        [
            ("doc_id", pa.string()),
            ("project_no", pa.int32()),
            ("indicator_no", pa.int32()),
            ("level1", pa.string()),
            ("level2", pa.string()),
            ("level3", pa.string()),
            ("description", pa.string()),
            ("target_text", pa.string()),
            ("target_op", pa.string()),
            ("target_value", QUANTITY),
            ("target_unit", pa.string()),
            ("basis", pa.string()),
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
    "narrative_facts": ["doc_id", "fact", "year", "subject", "source_line", "value"],
    "headlines": ["doc_id", "figure"],
    "texts": ["doc_id", "source_line", "kind", "text"],
    "units": ["doc_id", "unit_no"],
    "procurement": ["doc_id", "row_no"],
    "assets": ["doc_id", "row_no"],
    "goals": ["doc_id", "source_line"],
    "projects": ["doc_id", "project_no"],
    "indicators": ["doc_id", "project_no", "indicator_no"],
}

#: Keys of the contract: no two rows of a table may share these values. The store refuses a
#: document whose rows repeat one (``TableWriter.add_document``). Tables not named have no key
#: (a finding, a prose fact or a goal may legitimately repeat).
KEYS: dict[str, list[str]] = {
    "documents": ["doc_id"],
    "line_items": ["doc_id", "table", "row_no", "col_no"],
    "units": ["doc_id", "unit_no"],
    "procurement": ["doc_id", "row_no"],
    "assets": ["doc_id", "row_no"],
    "projects": ["doc_id", "project_no"],
    "indicators": ["doc_id", "project_no", "indicator_no"],
}
