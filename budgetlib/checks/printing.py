"""Printing findings: the readable summary by document and severity, JSON and CSV."""
from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from budgetlib.vocab.contract import SCHEMAS
from budgetlib.vocab.sources import cite
from budgetlib.checks.other_figures import table_name
from budgetlib.checks.findings import SEVERITIES, SEVERITY_LABELS, Finding, fmt

COLUMNS = [f.name for f in SCHEMAS["findings"]]
_MONEY = {"expected", "actual", "difference", "tolerance"}


@dataclass
class CheckRun:
    """The outcome of ``budgetlib check``: the findings, and the documents they are about."""

    findings: list[Finding]
    #: doc_id -> documents row (department_name, source_file …).
    documents: dict[str, dict] = field(default_factory=dict)
    out_dir: Path | None = None

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def has(self, severity: str) -> bool:
        """Any finding of ``severity`` or a more serious one."""
        worse = SEVERITIES[: SEVERITIES.index(severity) + 1]
        return any(f.severity in worse for f in self.findings)


def _count_text(counts: Counter) -> str:
    return "，".join(f"{SEVERITY_LABELS[s]} {counts[s]}" for s in SEVERITIES if counts[s]) or "未发现问题"


def _where(f: Finding) -> str:
    if not f.table:
        return ""
    parts = [table_name(f.table)]
    if f.row_no is not None:
        parts.append(f"第{f.row_no}个项目" if f.table == "projects" else f"第{f.row_no}行")
    if f.col_no is not None:
        parts.append(f"第{f.col_no}栏")
    return " ".join(parts)


def describe(run: CheckRun, severities: tuple[str, ...] = SEVERITIES, limit: int | None = None) -> str:
    """The summary: totals, then per document (most serious first) a count line and its
    findings of ``severities``, errors first, each with its message and source file:line.

    With fewer ``severities`` than all, only documents with such a finding are listed;
    ``limit`` lists at most that many documents and says how many more there are.
    """
    total = run.counts()
    where = f"；结果已写入 {run.out_dir}/findings.parquet 与 budget.duckdb" if run.out_dir else ""
    lines = [f"已检查 {len(run.documents)} 份文档：{_count_text(total)}{where}"]
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in run.findings:
        by_doc[f.doc_id].append(f)

    def doc_key(doc_id: str) -> tuple:
        # Documents with the most serious findings first, then by department name.
        d = run.documents.get(doc_id, {})
        worst = min((SEVERITIES.index(f.severity) for f in by_doc.get(doc_id, [])), default=len(SEVERITIES))
        return (worst, d.get("department_name") or "", d.get("source_file") or doc_id)

    listed = sorted(set(run.documents) | set(by_doc), key=doc_key)
    if set(severities) != set(SEVERITIES):
        listed = [doc_id for doc_id in listed if any(f.severity in severities for f in by_doc.get(doc_id, []))]
    for doc_id in listed[:limit]:
        d = run.documents.get(doc_id, {})
        source = d.get("source_file") or doc_id
        name = d.get("department_name") or "（未识别部门）"
        code = f"{d['department_code']}，" if d.get("department_code") else ""
        found = by_doc.get(doc_id, [])
        lines.append("")
        lines.append(f"{name}（{code}{source}）：{_count_text(Counter(f.severity for f in found))}")
        for severity in (s for s in SEVERITIES if s in severities):
            for f in (f for f in found if f.severity == severity):
                place = _where(f)
                lines.append(f"  [{SEVERITY_LABELS[severity]}] {f.check}{'  ' + place if place else ''}")
                lines.append(f"      {f.message}")
                if f.source_line is not None:
                    lines.append(f"      来源：{cite(source, d.get('source_format'), f.source_line)}")
    if limit is not None and len(listed) > limit:
        kinds = "、".join(SEVERITY_LABELS[s] for s in SEVERITIES if s in severities)
        lines += ["", f"……另有 {len(listed) - limit} 份文档有{kinds}，此处未逐条列出"]
    return "\n".join(lines)


def _plain(f: Finding) -> dict:
    record = f.record()
    return {k: (fmt(record[k]) if k in _MONEY and record[k] is not None else record[k]) for k in COLUMNS}


def to_json(run: CheckRun) -> str:
    return json.dumps([_plain(f) for f in run.findings], ensure_ascii=False, indent=2)


def to_csv(run: CheckRun) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in run.findings:
        writer.writerow(_plain(f))
    return buffer.getvalue()
