"""The ``texts`` table: every line of a document that is not a table row, with its kind.

In: a document's rows and recognised tables. Out: one record per line of text: the
cover, headings, table titles, the lines above a table (部门：…, 预算年度：…, 单位：…)
and the prose. The checks of the wording (:mod:`budgetlib.checks.wording`) read it:
template residue, years and department names that do not fit the document, and an
auditor can look up any line by its ``source_line``.
"""
from __future__ import annotations

from budgetlib.extract.prose_sections import heading_of

#: ``texts.kind``: what a line of text is.
TITLE, HEADER, HEADING, PROSE = "title", "header", "heading", "prose"


def text_records(ctx) -> dict[str, list[dict]]:
    titles = {block.title_line for block in ctx.blocks}
    headers = {line for block in ctx.blocks for line in block.preamble_lines.values()}
    records = []
    for row in ctx.rows:
        if not row.text or (row.is_table and row.line not in headers):
            continue  # table rows are line_items; a header printed in cells (部门 | 预算年度) is text
        if row.line in titles:
            kind = TITLE
        elif row.line in headers:
            kind = HEADER
        elif heading_of(row.text)[0]:
            kind = HEADING
        else:
            kind = PROSE
        records.append({"doc_id": ctx.doc_id, "source_line": row.line, "kind": kind, "text": row.text})
    return {"texts": records}
