"""``budgetlib review list``: every mark kept, current or stale, as text."""
from __future__ import annotations

from pathlib import Path

import polars as pl

from budgetlib.store.reviews import load_reviews


def review_rows(data_dir: str | Path) -> list[dict]:
    """The marks kept for ``data_dir``, each with whether its finding still occurs (``current``)."""
    path = Path(data_dir) / "findings.parquet"
    current = set(pl.read_parquet(path, columns=["finding_id"])["finding_id"].to_list()) if path.is_file() else set()
    return [{**r, "current": r["finding_id"] in current} for r in load_reviews(data_dir).iter_rows(named=True)]


def describe_reviews(data_dir: str | Path, stale_only: bool = False) -> str:
    rows = review_rows(data_dir)
    stale = [r for r in rows if not r["current"]]
    shown = stale if stale_only else rows
    lines = [f"审核标记 {len(rows)} 条，其中已失效（发现已不再出现）{len(stale)} 条"]
    for r in shown:
        state = "" if r["current"] else "［已失效］"
        who = f"（{r['reviewer']}）" if r["reviewer"] else ""
        note = f"：{r['note']}" if r["note"] else ""
        lines.append(f"  {r['finding_id']} {r['status']}{state}{who}{note}")
        if r["message"]:
            lines.append(f"      {r['message']}")
    return "\n".join(lines)
