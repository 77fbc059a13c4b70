"""The prose's amounts by function subject against the tables: ``公共安全（类）支出16593.12万元``.

The prose of the 一般公共预算 section names each subject it spends on, by 类, 款 and 项
(``人大事务（款）人大会议（项）支出1305.25万元``). Each is found in the function-subject
tables (一般公共预算支出表, 财政拨款支出表, 支出总表) by its names: the 类, then the
款 under it, then the 项 under that, so that a 项 named in several 款 (行政运行) is the
one the sentence means; a 类 is also found on the expenditure side of the 收支总表
(the prose of 支出预算总计 lists its classes). The figure must equal that row in one of
those tables, at the prose's precision; a subject the tables do not print is left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlib.checks.findings import CENT, Finding, fmt, severity_of, tail, tolerance_of
from budgetlib.checks.other_figures import PROSE
from budgetlib.checks.registry import DocContext, check
from budgetlib.checks.views import Ref
from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.vocab.text import canon

#: Tables of function subjects a prose subject amount may restate, most likely first.
SUBJECT_TABLES = ("gpb_expenditure", "fiscal_expenditure", "expenditure")
_LEVEL = re.compile(r"([^（）()]+?)\s*[（(]\s*(类|款|项)\s*[）)]")
_CODE_LENGTH = {"类": 3, "款": 5, "项": 7}


def _bare(name: str) -> str:
    """A subject name without the words around it: 支出 at either end, list numbers."""
    name = canon(name)
    name = re.sub(r"^(?:\d+[.、．]|[一二三四五六七八九十]+、)", "", name)
    return name.removesuffix("支出").removeprefix("支出")


def levels(subject: str) -> list[tuple[str, str]]:
    """``(bare name, 类/款/项)`` of each level a prose subject names, outermost first."""
    return [(_bare(m.group(1)), m.group(2)) for m in _LEVEL.finditer(subject or "")]


def _row_of(ctx: DocContext, table: str, named: list[tuple[str, str]]) -> int | None:
    """The 序号 of the row the subject names in ``table``: each level under the one before."""
    rows = ctx.view.table_rows(table)
    prefix, found = "", None
    for name, level in named:
        hits = [r for r in rows.values() if r.code and len(r.code) == _CODE_LENGTH[level]
                and r.code.startswith(prefix) and _bare(r.label()) == name]
        if len(hits) != 1:
            return None
        prefix, found = hits[0].code, hits[0].row_no
    return found


SUMMARY = "income_expense_summary"


def _summary_line(ctx: DocContext, name: str) -> tuple | None:
    """The expenditure line of the 收支总表 printed for class ``name`` (一、一般公共服务支出)."""
    col = ctx.view.col(SUMMARY, "expenditure_amount")
    if col is None:
        return None
    for row_no in sorted(ctx.view.table_rows(SUMMARY)):
        if _bare(ctx.view.label(SUMMARY, row_no, col)) == name and (value := ctx.view.value(Ref(SUMMARY, row_no, col))) is not None:
            return SUMMARY, row_no, col, value
    return None


@check("prose.subjects", "document", "功能科目金额与表格不符", needs=(PROSE,))
def subjects(ctx: DocContext) -> Iterator[Finding]:
    """Each amount the prose states by 类/款/项 equals that row's 合计 in a function-subject table."""
    year = ctx.meta.get("fiscal_year")
    for fact in sorted(ctx.rows(PROSE), key=lambda f: f.get("source_line") or 0):
        if fact["fact"] != "function_subject" or fact.get("is_derived") or fact.get("year") not in (None, year):
            continue
        named = levels(fact.get("subject"))
        if not named:
            continue
        cells = []
        for table in SUBJECT_TABLES:
            col = ctx.view.col(table, "total")
            row_no = _row_of(ctx, table, named) if col is not None else None
            if row_no is not None and (value := ctx.view.value(Ref(table, row_no, col))) is not None:
                cells.append((table, row_no, col, value))
        if len(named) == 1 and named[0][1] == "类" and (summary := _summary_line(ctx, named[0][0])):
            cells.append(summary)
        if not cells:
            continue
        tol = tolerance_of([fact.get("precision") or CENT, CENT])
        if any(severity_of(fact["value"] - value, tol) != "error" for *_, value in cells):
            continue
        table, row_no, col, value = cells[0]
        yield Finding(
            doc_id=fact["doc_id"], check="prose.subjects", severity="error",
            message=f"情况说明{ctx.view.place(fact.get('source_line'))}“{fact['subject']}”{fmt(fact['value'], fact.get('precision') or CENT)}万元，"
                    f"与{TABLES_BY_KEY[table].name}第{row_no}行“{ctx.view.label(table, row_no)}”{fmt(value)}相差"
                    f"{fmt(abs(fact['value'] - value))}，{tail('error', tol)}",
            table=table, row_no=row_no, col_no=col, expected=value, actual=fact["value"],
            difference=fact["value"] - value, tolerance=tol, source_line=fact.get("source_line"),
        )
