"""Empty tables and their notes: a table with no figure says why, and a note that says a table
is empty is not printed above figures.

``notes.empty_without_note``
    a standard table printed with no figure and no note saying it is empty (the national
    layout asks for ``注：…无…，故本表为空`` or ``空表列示``): ``warning``;
``notes.note_says_empty``
    a note that says the table is empty above a table that prints figures: ``error``;
``notes.prose_figure_for_empty_table``
    a table printed empty while the prose gives it a figure other than 0 (政府性基金支出
    12.00万元 beside an empty 政府性基金预算财政拨款支出表): ``error``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlib.checks.findings import CENT, ZERO, Finding, fmt
from budgetlib.checks.other_figures import PROSE, fact_label, table_name
from budgetlib.checks.registry import DocContext, check
from budgetlib.vocab.facts import TABLE_FACTS

#: A note that says its table is empty: 空表列示, 本表为空, 本表无数据, 无…预算/收支/支出 ….
EMPTY_NOTE = re.compile(
    r"空表|为空|无数据|无内容|本表无|(?:无|没有)(?:相关)?[^，。；]{0,30}(?:预算|决算|收支|收入|支出|安排|项目|经费|资金)"
)


def _tables(ctx: DocContext) -> list[dict]:
    return sorted(ctx.rows("document_tables"), key=lambda r: (r["doc_id"], r.get("source_line") or 0))


def _finding(row: dict, check_id: str, severity: str, message: str, line: int | None = None) -> Finding:
    return Finding(doc_id=row["doc_id"], check=check_id, severity=severity, message=message,
                   table=row["table"], source_line=line if line is not None else row.get("source_line"))


@check("notes.empty_without_note", "document", "空表未注明")
def empty_without_note(ctx: DocContext) -> Iterator[Finding]:
    """A table printed with no figure must say why (注：本部门无…，故本表为空)."""
    for row in _tables(ctx):
        if row["numbers"] == 0 and not EMPTY_NOTE.search(row.get("note") or ""):
            yield _finding(row, "notes.empty_without_note", "warning",
                           f"“{table_name(row['table'])}”没有列示任何数字，也未注明原因；空表应注明“本部门无…，故本表为空”")


@check("notes.note_says_empty", "document", "注明为空表却列有数字")
def note_says_empty(ctx: DocContext) -> Iterator[Finding]:
    """A note that says the table is empty, above a table that prints figures."""
    for row in _tables(ctx):
        note = row.get("note") or ""
        if row["numbers"] > 0 and EMPTY_NOTE.search(note) and not re.search(r"必填|指|反映|包括", note):
            yield _finding(row, "notes.note_says_empty", "error",
                           f"“{table_name(row['table'])}”的表注称“{note}”，但表中列有{row['numbers']}个数字，请核对表注或表中数字")


@check("notes.prose_figure_for_empty_table", "document", "空表与文字说明矛盾", needs=(PROSE,))
def prose_figure_for_empty_table(ctx: DocContext) -> Iterator[Finding]:
    """A table printed empty while the prose states a figure other than 0 for it."""
    year = ctx.meta.get("fiscal_year")
    facts = ctx.rows(PROSE)
    for row in _tables(ctx):
        fact = TABLE_FACTS.get(row["table"])
        if row["numbers"] != 0 or fact is None:
            continue
        stated = [f for f in facts if f["fact"] == fact and f.get("value") not in (None, ZERO)
                  and not f.get("is_derived") and not f.get("subject") and f.get("year") in (None, year)]
        if stated:
            f = min(stated, key=lambda f: f.get("source_line") or 0)
            yield Finding(
                doc_id=f["doc_id"], check="notes.prose_figure_for_empty_table", severity="error",
                message=f"“{table_name(row['table'])}”为空表，但情况说明{ctx.view.place(f.get('source_line'))}写明"
                        f"{fact_label(f)}{fmt(f['value'], f.get('precision') or CENT)}万元，请核对表格是否漏填或文字是否有误",
                table=row["table"], actual=f["value"], source_line=f.get("source_line"),
            )
