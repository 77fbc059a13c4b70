"""Audit checks: every identity of a correct disclosure, exact, with rounding told apart.

>>> import budgetlib
>>> from budgetlib.checks import run_checks, findings_frame
>>> findings = run_checks(budgetlib.load("data/processed"))   # doctest: +SKIP

One module per family of rules, each registering its checks under stable ids
(:mod:`budgetlib.checks.registry`; ``REGISTRY`` lists them with their docs):

- ``footing.*``: parent code = Σ children, 合计 = Σ 类 (function and economic tables);
- ``rows.*``: 合计 column = Σ part columns in every row;
- ``summary.*``: the two 收支总表: lines, totals, balance, per-fund balance;
- ``cross.*``: the same money in two tables (收入/支出/收支总表, classes by name, funds);
- ``three_public.*``: the 三公 sums, and 三公 against economic lines 30217 / 30231;
- ``prose.*``: every figure of the 情况说明 against the tables, at its own precision;
- ``procurement.*``, ``assets.*``: the 政府采购 and 固定资产 tables;
- ``targets.*``: quality of the performance targets (warning / info);
- ``completeness.*``, ``consistency.*``: missing tables, years, units, duplicates, names.

The arithmetic rules are identities evaluated together (:mod:`.identity`): one
rounding rule for all, and a wrong figure that breaks several identities is
reported once, at that figure. Findings are data: collected into a list, never
raised, and returned sorted so the same input gives the same output.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import polars as pl
import pyarrow as pa

from budgetlib.store.write import to_arrow
# Registration order is precedence order (see identity.identity_findings): tables first, then prose.
from budgetlib.checks import footing, rows, summary, cross, three_public, procurement, prose, targets, completeness, wording, notes, budget_vs_final, statements, subjects  # noqa: F401, I001
from budgetlib.checks.findings import SEVERITIES, SEVERITY_LABELS, Finding
from budgetlib.checks.views import Ref, doc_views
from budgetlib.checks.identity import identity_findings
from budgetlib.checks.registry import REGISTRY, DocContext, order
from budgetlib.checks.other_figures import PROSE

__all__ = [
    "REGISTRY", "SEVERITIES", "SEVERITY_LABELS", "Finding",
    "dataset_findings", "document_findings", "findings_frame", "findings_table", "run_checks",
]

#: Tables a per-document check may read besides line_items, handed over per document.
_PER_DOC_TABLES = ("document_tables", "narrative_facts", "projects", "indicators", "procurement", "assets", "units", "texts")


def _available(data, check) -> bool:
    return all(name in data.names for name in check.needs)


def _per_document(data) -> dict[str, dict[str, list[dict]]]:
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(dict)
    for name in _PER_DOC_TABLES:
        if name not in data.names:
            continue
        frame = data[name]
        if frame.is_empty() or "doc_id" not in frame.columns:
            continue
        for row in frame.to_dicts():
            grouped[row["doc_id"]].setdefault(name, []).append(row)
    return grouped


def run_checks(data) -> list[Finding]:
    """Every registered check over a :class:`budgetlib.Dataset`, findings sorted."""
    return sorted([*document_findings(data), *dataset_findings(data)], key=Finding.sort_key)


def document_findings(data) -> list[Finding]:
    """The findings of the per-document checks: each disclosure on its own, so a batch of
    documents (:func:`budgetlib.store.load.batches`, which keeps a disclosure's files together)
    gives the same findings as the whole.

    A disclosure published as two files (the text in one, the tables in the other) is
    checked as one: the prose of one file against the tables of the other. Each finding
    then names the file its place is in (:func:`_owner`).
    """
    checks = [c for c in REGISTRY.values() if _available(data, c)]
    identity_checks = [c for c in checks if c.kind == "identities"]
    document_checks = [c for c in checks if c.kind == "document"]
    precedence = order()
    metas = {d["doc_id"]: d for d in data.documents.to_dicts()}
    extra = _per_document(data)
    findings: list[Finding] = []
    tables = data.document_tables
    units = {(r[0], r[1]): r[2] for r in tables.select("doc_id", "table", "unit").iter_rows() if r[2]}
    layouts = {}
    if "layout" in tables.columns:
        layouts = {(r[0], r[1]): r[2] for r in tables.select("doc_id", "table", "layout").iter_rows() if r[2]}
    views = list(doc_views(data.line_items, data.documents, units, layouts))
    for view, others in _disclosures(views, metas):
        ctx = DocContext(view, metas.get(view.doc_id, {}), _merged(extra, [view.doc_id, *others]))
        found: list[Finding] = []
        if view.cells:
            identities = [ident for c in identity_checks for ident in c.run(ctx)]
            found += identity_findings(view, identities, precedence)
        for c in document_checks:
            found.extend(c.run(ctx))
        if others:
            for f in found:
                f.doc_id = _owner(f, ctx)
        findings += found
    return findings


def _disclosures(views: list, metas: dict[str, dict]) -> Iterator[tuple]:
    """Each document's view with the other files of its disclosure that are checked with it.

    The files of a disclosure are checked together when one of them prints the tables and
    the others print none (the text); files that each print tables are checked apart
    (``consistency.duplicate_document`` warns about them)."""
    groups: dict[str, list] = defaultdict(list)
    for view in views:
        groups[metas.get(view.doc_id, {}).get("disclosure_id") or view.doc_id].append(view)
    for group in groups.values():
        with_tables = [v for v in group if v.cells]
        if len(group) > 1 and len(with_tables) == 1:
            yield with_tables[0], [v.doc_id for v in group if v is not with_tables[0]]
        else:
            yield from ((v, []) for v in group)


def _merged(extra: dict[str, dict[str, list[dict]]], doc_ids: list[str]) -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = defaultdict(list)
    for doc_id in doc_ids:
        for name, part in extra.get(doc_id, {}).items():
            merged[name].extend(part)
    return dict(merged)


def _owner(finding: Finding, ctx: DocContext) -> str:
    """The file a finding of a two-file disclosure belongs to: the one its source line is in.

    A finding points at a printed cell (its table, 序号, 栏次) or at a prose figure; its
    ``source_line`` is the line of the one it blames. The tables are in ``ctx.doc_id``'s
    file; prose, procurement and asset rows carry their own doc_id."""
    if finding.doc_id != ctx.doc_id:
        return finding.doc_id  # the check named the file itself (a line of texts)
    if finding.table == PROSE and finding.row_no is not None:
        facts = ctx.view.cache.get("prose", [])
        if 0 < finding.row_no <= len(facts):
            return facts[finding.row_no - 1]["doc_id"]
    if finding.source_line is None:
        return ctx.doc_id
    cell = ctx.view.cells.get(Ref(finding.table, finding.row_no, finding.col_no))
    if cell is not None and cell.source_line == finding.source_line:
        return ctx.doc_id
    # A prose figure's line first: most findings that are not about a printed cell blame one.
    for name in sorted(ctx.extra, key=lambda n: n != PROSE):
        hit = next((r["doc_id"] for r in ctx.extra[name] if r.get("source_line") == finding.source_line), None)
        if hit:
            return hit
    return ctx.doc_id


def dataset_findings(data) -> list[Finding]:
    """The findings of the checks across documents (duplicates, names): they read ``documents`` only."""
    return [f for c in REGISTRY.values() if c.kind == "dataset" and _available(data, c) for f in c.run(data)]


def findings_table(findings: list[Finding], sha256_of: dict[str, str] | None = None) -> pa.Table:
    """Findings as an Arrow table of the contract's ``findings`` schema (``sha256_of``: doc_id ->
    the document's SHA-256, which the stable ``finding_id`` is built on; the doc_id stands in without it)."""
    from budgetlib.checks.finding_ids import with_ids

    return to_arrow("findings", with_ids([f.record() for f in findings], sha256_of or {}))


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    return pl.from_arrow(findings_table(findings))
