"""Completeness and consistency: missing tables, mixed years and units, duplicates, names."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import polars as pl

from collections import Counter

from budgetlib.vocab.facts import MAIN_TOTALS
from budgetlib.vocab.sources import describe_line
from budgetlib.vocab import tables as schema
from budgetlib.vocab.tables import STANDARD_TABLES
from budgetlib.checks.findings import Finding
from budgetlib.checks.registry import DocContext, check

#: Document kinds that must print the nine standard tables.
TABLE_KINDS = ("budget", "final_accounts")

#: Facts about the document's own year (the *_change and *_prior facts are about other years).
_OWN_YEAR_FACTS = MAIN_TOTALS


@check("completeness.missing_table", "document", "缺少标准表")
def missing_table(ctx: DocContext) -> Iterator[Finding]:
    """A budget or final-accounts document without one of the nine standard tables.

    A table printed empty (headers and a note such as 空表列示) is present: only
    a table that does not appear at all is reported, as ``warning``. The tables
    expected are those of the naming scheme the document's tables matched (the
    national nine, or a province's set), the national nine when that is unknown.
    """
    if ctx.meta.get("doc_kind") not in TABLE_KINDS:
        return
    rows = ctx.rows("document_tables")
    printed = {r["table"] for r in rows}
    for spec in expected_tables(rows):
        if spec.key not in printed:
            yield Finding(
                doc_id=ctx.doc_id,
                check="completeness.missing_table",
                severity="warning",
                message=f"文档中没有找到“{spec.name}”；如无数据，也应列示空表并注明，请核对是否漏公开",
                table=spec.key,
            )


@check("completeness.unmapped_table", "document", "标准表无法对应各栏")
def unmapped_table(ctx: DocContext) -> Iterator[Finding]:
    """A standard table found by its title whose columns or rows could not be mapped
    (``document_tables.status = "unmapped"``): its figures are not read, so none of the
    checks of that table ran. Reported as ``warning`` with the table, its place and the
    reason; the rest of the document was read and checked as usual."""
    for r in ctx.rows("document_tables"):
        if r.get("status") != "unmapped":
            continue
        where = describe_line(ctx.meta.get("source_format"), r.get("source_line"))
        yield Finding(
            doc_id=ctx.doc_id,
            check="completeness.unmapped_table",
            severity="warning",
            message=f"{where}的“{r['title']}”已找到，但未能读出其数字：{r.get('reason') or '表格无法对应各栏'}；本表未参与核对，请人工核对原表",
            table=r["table"],
            source_line=r.get("source_line"),
        )


def expected_tables(document_tables: list[dict]) -> list:
    """The standard tables of the document's naming scheme (most of its tables decide)."""
    # A table read by the column vocabulary (layout "vocabulary") says nothing of the scheme.
    schemes = Counter(r.get("layout") for r in document_tables if r.get("layout") and r.get("layout") != "vocabulary")
    if schemes and hasattr(schema, "scheme_tables"):
        scheme = min(schemes, key=lambda k: (-schemes[k], k))
        tables = schema.scheme_tables(scheme)
        if tables:
            return tables
    return list(STANDARD_TABLES)


#: Tables a naming scheme prints in another unit by design (Shanghai: 三公 in 万元, the rest in 元).
UNIT_EXCEPTIONS = {"shanghai_budget": {"three_public"}}


@check("consistency.units", "document", "同一文档使用多种金额单位")
def mixed_units(ctx: DocContext) -> Iterator[Finding]:
    """The standard tables of one document printed in different units (万元 and 元).

    Figures are converted to 万元 on parsing, so sums still hold; the finding
    (``warning``) asks the auditor to confirm each table's unit line.
    """
    units = defaultdict(list)
    for r in ctx.rows("document_tables"):
        if r.get("unit") and r["table"] not in UNIT_EXCEPTIONS.get(r.get("layout"), ()):
            units[r["unit"]].append(r)
    if len(units) < 2:
        return
    minority = min(units, key=lambda u: (len(units[u]), u))
    first = min(units[minority], key=lambda r: r["source_line"] or 0)
    listing = "、".join(f"{u}（{len(rs)}张表）" for u, rs in sorted(units.items()))
    yield Finding(
        doc_id=ctx.doc_id,
        check="consistency.units",
        severity="warning",
        message=f"同一文档的标准表使用了不同金额单位：{listing}，请核对“{first['title']}”的单位行",
        table=first["table"],
        source_line=first["source_line"],
    )


@check("consistency.fiscal_year", "document", "预算年度不一致")
def fiscal_year(ctx: DocContext) -> Iterator[Finding]:
    """More than one fiscal year inside one document: the prose states a current-year figure
    for a year other than the document's 预算年度 (``warning``); or no year could be read."""
    year = ctx.meta.get("fiscal_year")
    if year is None:
        yield Finding(
            doc_id=ctx.doc_id,
            check="consistency.fiscal_year",
            severity="warning",
            message="未能从文档中读出预算年度（预算年度：XXXX 或标题中的年份），请核对文档首页与各表表头",
        )
        return
    for fact in ctx.rows("narrative_facts"):
        if fact.get("fact") in _OWN_YEAR_FACTS and fact.get("year") not in (None, year):
            yield Finding(
                doc_id=ctx.doc_id,
                check="consistency.fiscal_year",
                severity="warning",
                message=f"情况说明称“{_clip(fact.get('text'))}”，年度为{fact['year']}年，与文档预算年度{year}年不一致，请核对",
                source_line=fact.get("source_line"),
            )


def _clip(text: str | None, width: int = 40) -> str:
    text = (text or "").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


@check("consistency.duplicate_document", "dataset", "同一文档重复载入")
def duplicate_document(data) -> Iterator[Finding]:
    """The same document loaded twice: identical bytes (sha256) under two file names, or two
    documents of one disclosure (same department, year and kind) that are the same part of
    it: both print the tables, or both are text only. A disclosure published as its text
    and its tables in two files is one document, not two. The second and later copies are
    reported (``warning``), naming the first."""
    docs = data.documents.sort("source_file").to_dicts()
    by_hash = defaultdict(list)
    by_dept = defaultdict(list)
    for d in docs:
        by_hash[d["sha256"]].append(d)
        if d["department_name"] and d["fiscal_year"]:
            prints_tables = d["source_unit"] is not None  # the unit of its tables; None: no table
            by_dept[(d["region"], d["department_name"], d["fiscal_year"], d["doc_kind"], prints_tables)].append(d)
    same_bytes = set()
    for group in by_hash.values():
        for d in group[1:]:
            same_bytes.add(d["doc_id"])
            yield Finding(
                doc_id=d["doc_id"],
                check="consistency.duplicate_document",
                severity="warning",
                message=f"{d['source_file']}与{group[0]['source_file']}内容完全相同（sha256一致），同一文档被载入两次，请删去其一",
            )
    for (_region, name, year, _kind, _part), group in by_dept.items():
        for d in group[1:]:
            if d["doc_id"] in same_bytes:
                continue
            yield Finding(
                doc_id=d["doc_id"],
                check="consistency.duplicate_document",
                severity="warning",
                message=f"{d['source_file']}与{group[0]['source_file']}都是{name}{year}年的同类公开文件，请确认是否重复载入或其中一份为更正版",
            )


@check("consistency.department_names", "dataset", "同一部门两个名称或编码")
def department_names(data) -> Iterator[Finding]:
    """A department that appears under two names: the same region and department code with
    different names, or the same name with different codes (``warning``). Codes are local to
    a jurisdiction, so documents without a region are not compared by code."""
    docs = data.documents.filter(pl.col("department_name").is_not_null()).sort("source_file").to_dicts()
    by_code = defaultdict(list)
    by_name = defaultdict(list)
    for d in docs:
        if d["region"] and d["department_code"]:
            by_code[(d["region"], d["department_code"])].append(d)
        by_name[d["department_name"]].append(d)
    for (region, code), group in sorted(by_code.items()):
        names = sorted({d["department_name"] for d in group})
        if len(names) > 1:
            for d in group:
                others = "、".join(n for n in names if n != d["department_name"])
                yield Finding(
                    doc_id=d["doc_id"],
                    check="consistency.department_names",
                    severity="warning",
                    message=f"{region}部门编码{code}在{d['source_file']}中名为“{d['department_name']}”，在其他文档中名为“{others}”，请核对是否同一部门",
                )
    for name, group in sorted(by_name.items()):
        codes = sorted({d["department_code"] for d in group if d["department_code"]})
        if len(codes) > 1:
            for d in group:
                yield Finding(
                    doc_id=d["doc_id"],
                    check="consistency.department_names",
                    severity="warning",
                    message=f"“{name}”在不同文档中使用了不同部门编码（{'、'.join(codes)}），本文档{d['source_file']}为{d['department_code']}，请核对",
                )
