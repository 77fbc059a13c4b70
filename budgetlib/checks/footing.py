"""Footing of the subject-code tables: parent code = Σ children, 合计 = Σ 类.

Function tables (收入总表, 支出总表, the three 财政拨款支出表): 类 (3 digits) =
Σ 款 (5), 款 = Σ 项 (7). The economic table (基本支出表): 类 (3) = Σ 款 (5).
A row's parent is the longest other printed code that is a prefix of its own,
so the rule holds for any code lengths a layout uses. Every amount column is
footed on its own.
"""
from __future__ import annotations

from collections.abc import Iterator

from budgetlib.vocab import tables as schema
from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.vocab.labels import TABLE_TOTALS
from budgetlib.vocab.text import canon
from budgetlib.checks.findings import Finding
from budgetlib.checks.views import DocView, Ref, RowInfo
from budgetlib.checks.identity import CELL, FULL, ITEM, Identity
from budgetlib.checks.registry import DocContext, check

#: Every declared table with subject codes (the national ones and provincial ones alike).
CODE_TABLES = tuple(spec.key for spec in getattr(schema, "ALL_TABLES", schema.STANDARD_TABLES) if spec.subject)


def parents(rows: dict[int, RowInfo], cache: dict | None = None) -> dict[int, int | None]:
    """Row of each coded row's parent (None for a top-level code)."""
    if cache is not None:
        key = ("footing.parents", id(rows))
        if key not in cache:
            cache[key] = parents(rows)
        return cache[key]
    by_code = {}
    for row_no, info in rows.items():
        if info.code:
            by_code.setdefault(info.code, row_no)
    found: dict[int, int | None] = {}
    for row_no, info in rows.items():
        code = info.code
        if not code:
            continue
        parent = None
        for cut in range(len(code) - 1, 0, -1):
            if code[:cut] in by_code:
                parent = by_code[code[:cut]]
                break
        found[row_no] = parent
    return found


def total_row(rows: dict[int, RowInfo]) -> int | None:
    """The 合计 row: uncoded, labelled 合计 (总计)."""
    for row_no, info in sorted(rows.items()):
        if not info.code and canon(info.label()) in TABLE_TOTALS:
            return row_no
    return None


def _columns(view: DocView, table: str) -> list[int]:
    # A column that prints nothing in this table foots trivially.
    return view.printed_cols(table)


@check("footing.parent_children", "identities", "上级科目=下级科目之和")
def parent_children(ctx: DocContext) -> Iterator[Identity]:
    """Every parent code equals the sum of its child codes, in every amount column."""
    view = ctx.view
    for table in CODE_TABLES:
        rows = view.table_rows(table)
        if not rows:
            continue
        children: dict[int, list[int]] = {}
        for row_no, parent in parents(rows, view.cache).items():
            if parent is not None:
                children.setdefault(parent, []).append(row_no)
        for parent, kids in children.items():
            for col in _columns(view, table):
                yield Identity(
                    "footing.parent_children",
                    Ref(table, parent, col),
                    tuple(Ref(table, k, col) for k in sorted(kids)),
                    total_style=FULL,
                    addend_style=ITEM,
                )


@check("footing.total_classes", "identities", "合计=各类之和")
def total_classes(ctx: DocContext) -> Iterator[Identity]:
    """The 合计 row equals the sum of the top-level (类) rows, in every amount column."""
    view = ctx.view
    for table in CODE_TABLES:
        rows = view.table_rows(table)
        total = total_row(rows)
        if total is None:
            continue
        tops = sorted(r for r, p in parents(rows, view.cache).items() if p is None)
        for col in _columns(view, table):
            yield Identity(
                "footing.total_classes",
                Ref(table, total, col),
                tuple(Ref(table, r, col) for r in tops),
                total_style=CELL,
                addend_style=ITEM,
            )


@check("footing.missing_parent", "document", "下级科目缺少上级科目行")
def missing_parent(ctx: DocContext) -> Iterator[Finding]:
    """A 款 or 项 printed without its 类 or 款 row: the table cannot be footed as printed.

    A top-level code longer than 3 digits has no printed parent: the parent row
    was left out (or its code misprinted). Reported as ``warning`` at the child.
    """
    view = ctx.view
    for table in CODE_TABLES:
        rows = view.table_rows(table)
        for row_no, parent in sorted(parents(rows, view.cache).items()):
            code = rows[row_no].code
            if parent is None and len(code) > 3:
                cells = [ref for ref in view.cells if ref.table == table and ref.row_no == row_no]
                first = min(cells, key=lambda r: r.col_no)
                yield Finding(
                    doc_id=view.doc_id,
                    check="footing.missing_parent",
                    severity="warning",
                    message=(
                        f"{TABLES_BY_KEY[table].name}第{row_no}行科目“{code}{rows[row_no].label()}”没有列示上级科目"
                        f"“{code[:-2]}”，无法核对上下级汇总，请核对科目编码或补列上级科目"
                    ),
                    table=table,
                    row_no=row_no,
                    col_no=first.col_no,
                    source_line=view.line(first),
                )

