"""Departments: who the documents belong to, and finding one by name or id.

A department is identified by region + name (department codes are local to
one jurisdiction and repeat across counties). Its documents may span several
years and kinds (budget, final accounts, performance text).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl

from budgetlib.errors import ReportError
from budgetlib.store.load import Dataset


@dataclass(frozen=True)
class Department:
    key: str
    name: str
    region: str | None
    code: str | None
    doc_ids: tuple[str, ...]
    years: tuple[int, ...]

    @property
    def label(self) -> str:
        return self.name if not self.region or self.name.startswith(self.region) else f"{self.region} {self.name}"


def department_key(region: str | None, name: str) -> str:
    return hashlib.blake2b(f"{region or ''}|{name}".encode(), digest_size=5).hexdigest()


def departments(data: Dataset) -> list[Department]:
    """Every department in the data, ordered by name (worked out once per Dataset:
    :func:`~budgetlib.store.load.load` hands a warm report kernel the same one for every department)."""
    memo = data.memo("departments")
    if "all" not in memo:
        memo["all"] = tuple(_group(data))
    return list(memo["all"])


def _group(data: Dataset) -> list[Department]:
    docs = data.documents.with_columns(pl.col("department_name").fill_null("（未识别部门）"))
    result = []
    for (region, name), group in docs.group_by(["region", "department_name"], maintain_order=True):
        group = group.sort("fiscal_year", "doc_id")
        codes = [c for c in group["department_code"].unique().to_list() if c]
        result.append(
            Department(
                key=department_key(region, name),
                name=name,
                region=region,
                code=codes[0] if len(codes) == 1 else None,
                doc_ids=tuple(group["doc_id"].to_list()),
                years=tuple(sorted({y for y in group["fiscal_year"].to_list() if y is not None})),
            )
        )
    return sorted(result, key=lambda d: (d.region or "", d.name))


def find_department(data: Dataset, query: str) -> Department:
    """The department named ``query`` (name, key, doc_id or source file); a clear error otherwise."""
    query = str(query).strip()
    memo = data.memo("departments")
    if "index" not in memo:  # name, key, label or doc_id -> the first department it names
        index: dict[str, Department] = {}
        for dept in departments(data):
            for name in (dept.name, dept.key, dept.label, *dept.doc_ids):
                index.setdefault(name, dept)
        memo["index"] = index
    if query in memo["index"]:
        return memo["index"][query]
    all_departments = departments(data)
    sources = data.documents.filter(pl.col("source_file") == query)["doc_id"].to_list()
    for dept in all_departments:
        if set(sources) & set(dept.doc_ids):
            return dept
    valid = "\n".join(f"  - {d.name}（{d.region or '地区未知'}，编号 {d.key}）" for d in all_departments)
    raise ReportError(f"找不到部门“{query}”。可选的部门有：\n{valid}")
