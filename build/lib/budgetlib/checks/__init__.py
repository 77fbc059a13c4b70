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

import polars as pl
import pyarrow as pa

from budgetlib.store.write import to_arrow
# Registration order is precedence order (see identity.identity_findings): tables first, then prose.
from budgetlib.checks import footing, rows, summary, cross, three_public, procurement, prose, targets, completeness  # noqa: F401, I001
from budgetlib.checks.findings import SEVERITIES, SEVERITY_LABELS, Finding
from budgetlib.checks.views import doc_views
from budgetlib.checks.identity import identity_findings
from budgetlib.checks.registry import REGISTRY, DocContext, order

__all__ = [
    "REGISTRY", "SEVERITIES", "SEVERITY_LABELS", "Finding",
    "dataset_findings", "document_findings", "findings_frame", "findings_table", "run_checks",
]

#: Tables a per-document check may read besides line_items, handed over per document.
_PER_DOC_TABLES = ("document_tables", "narrative_facts", "projects", "indicators", "procurement", "assets", "units")


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
    """The findings of the per-document checks: each document on its own, so a batch of
    documents (:func:`budgetlib.store.load.batches`) gives the same findings as the whole."""
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
    for view in doc_views(data.line_items, data.documents, units, layouts):
        ctx = DocContext(view, metas.get(view.doc_id, {}), extra.get(view.doc_id, {}))
        if view.cells:
            identities = [ident for c in identity_checks for ident in c.run(ctx)]
            findings += identity_findings(view, identities, precedence)
        for c in document_checks:
            findings.extend(c.run(ctx))
    return findings


def dataset_findings(data) -> list[Finding]:
    """The findings of the checks across documents (duplicates, names): they read ``documents`` only."""
    return [f for c in REGISTRY.values() if c.kind == "dataset" and _available(data, c) for f in c.run(data)]


def findings_table(findings: list[Finding]) -> pa.Table:
    """Findings as an Arrow table of the contract's ``findings`` schema."""
    return to_arrow("findings", [f.record() for f in findings])


def findings_frame(findings: list[Finding]) -> pl.DataFrame:
    return pl.from_arrow(findings_table(findings))
