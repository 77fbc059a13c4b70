"""Stable ids of audit findings (``findings.finding_id``), so an auditor's review survives a re-run.

A finding is named by what it is about, not by where the current parse happened to put
it: the document's content (its SHA-256, not its ``doc_id`` or file name), the check,
the cell (table, 序号, 栏次) and the message with its line and page references and file
names taken out (:func:`message_key`). Parsing and checking the same document again
gives the same ids; a finding that changes in substance (another figure, another cell)
gets a new one, and a review of the old one is listed as stale.

>>> finding_id("ab" * 32, "identity.row", "expenditure", 3, 4, "第12行：合计 10.00 与各栏之和 9.00 不符")
'F-e93176a7eb7c'
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

#: Page, line and column references that move when a parser changes, and file names.
_PLACES = re.compile(r"第\s*\d+\s*[页行]|\S+\.(?:pdf|xlsx|xls|docx|doc|txt|html?)\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
PREFIX = "F-"


def message_key(message: str | None) -> str:
    """The message without page/line references, file names and spacing."""
    return _SPACE.sub("", _PLACES.sub("", message or ""))


def finding_id(sha256: str, check: str, table: str | None, row_no: int | None, col_no: int | None, message: str | None) -> str:
    """The stable id of one finding: ``F-`` and 12 hex digits of a SHA-256 over what it is about."""
    parts = [sha256 or "", check or "", table or "", "" if row_no is None else str(row_no), "" if col_no is None else str(col_no), message_key(message)]
    return PREFIX + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def with_ids(records: Iterable[dict], sha256_of: Mapping[str, str]) -> list[dict]:
    """``records`` (rows of ``findings``) with their ``finding_id``; ``sha256_of`` maps doc_id to the
    document's SHA-256 (the doc_id stands in for a document it does not know). Two findings
    alike in every part are numbered (``-2``, ``-3`` …) in the order given."""
    seen: dict[str, int] = {}
    out = []
    for r in records:
        base = finding_id(sha256_of.get(r["doc_id"], r["doc_id"]), r["check"], r.get("table"), r.get("row_no"), r.get("col_no"), r.get("message"))
        seen[base] = seen.get(base, 0) + 1
        out.append({**r, "finding_id": base if seen[base] == 1 else f"{base}-{seen[base]}"})
    return out
