"""The review trail: an auditor marks findings in the workbook, imports them, re-runs
everything, and the marks are still there and shown; marks on findings that are gone are
kept and listed as stale."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from budgetlib.cli import main
from budgetlib.errors import DataError
from budgetlib.store.reviews import import_reviews, load_reviews, reviews_path
from conftest import seed_paths

DEPARTMENT = "平乡县总工会"


def _run(raw: Path, data: Path, out: Path) -> None:
    assert main(["run", "--raw", str(raw), "--data", str(data), "--out", str(out), "--quiet"]) == 0


def _findings_sheet(path: Path):
    book = openpyxl.load_workbook(path)
    ws = book["审核发现"]
    header = [c.value for c in ws[3]]
    return book, ws, header


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    root = tmp_path_factory.mktemp("trail")
    raw, data, out = root / "raw", root / "data", root / "reports"
    raw.mkdir()
    for path in seed_paths():
        shutil.copy2(path, raw / path.name)
    _run(raw, data, out)
    return raw, data, out


def _workbook(out: Path) -> Path:
    (path,) = (out / "departments").glob(f"{DEPARTMENT}-*.xlsx")
    return path


def test_marks_survive_a_rerun_and_are_shown(trail, tmp_path, capsys):
    raw, data, out = trail
    ids_before = set(pl.read_parquet(data / "findings.parquet")["finding_id"])
    book, ws, header = _findings_sheet(_workbook(out))
    col = {h: header.index(h) + 1 for h in ("发现编号", "审核状态", "审核说明", "审核人", "严重程度")}
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(r, col["发现编号"]).value]
    assert len(rows) >= 2
    # The status column offers the marks as a list.
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"未审核,已核实,误报,待查"'
    assert str(validation.sqref) == f"{ws.cell(4, col['审核状态']).column_letter}4:{ws.cell(4, col['审核状态']).column_letter}{rows[-1]}"
    marked = {}
    for r, (status, note) in zip(rows[:2], [("已核实", "与原表核对属实"), ("误报", "原表另有说明")]):
        ws.cell(r, col["审核状态"]).value = status
        ws.cell(r, col["审核说明"]).value = note
        ws.cell(r, col["审核人"]).value = "张三"
        marked[ws.cell(r, col["发现编号"]).value] = status
    reviewed = tmp_path / "审核后.xlsx"
    book.save(reviewed)

    assert main(["review", "import", str(reviewed), "--data", str(data)]) == 0
    assert "已导入 2 条审核标记" in capsys.readouterr().out

    _run(raw, data, out)  # parse and check again: the same documents, so the same ids
    assert "审核标记 2 条均已保留，其中已失效 0 条" in capsys.readouterr().out
    assert set(pl.read_parquet(data / "findings.parquet")["finding_id"]) == ids_before
    kept = {r["finding_id"]: r for r in load_reviews(data).iter_rows(named=True)}
    assert {k: v["status"] for k, v in kept.items()} == marked
    assert all(v["reviewer"] == "张三" for v in kept.values())

    # The regenerated workbook shows each finding's mark (未审核 where none).
    _, ws, header = _findings_sheet(_workbook(out))
    shown = {ws.cell(r, col["发现编号"]).value: (ws.cell(r, col["审核状态"]).value, ws.cell(r, col["审核人"]).value)
             for r in range(4, ws.max_row + 1) if ws.cell(r, col["发现编号"]).value}
    assert {k: shown[k] for k in marked} == {k: (v, "张三") for k, v in marked.items()}
    assert {v[0] for k, v in shown.items() if k not in marked} == {"未审核"}
    (html,) = (out / "departments").glob(f"{DEPARTMENT}-*.html")
    page = html.read_text(encoding="utf-8")
    assert all(k in page for k in marked) and "与原表核对属实" in page

    # The comparison counts the department's open findings: all of them but the two marked.
    book = openpyxl.load_workbook(out / "comparison.xlsx")
    summary = book["审核发现汇总"]
    header = [c.value for c in summary[3]]
    row = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == DEPARTMENT)
    counts = dict(zip(header, row))
    total = sum(counts[h] for h in ("错误", "警告", "四舍五入", "提示"))
    assert (counts["未结发现"], counts["已核实"], counts["误报"]) == (total - 2, 1, 1)


def test_marks_on_findings_that_are_gone_are_kept_and_listed_as_stale(trail, tmp_path, capsys):
    _, data, _ = trail
    sheet = tmp_path / "marks.csv"
    with open(sheet, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["发现编号", "审核状态", "审核说明", "审核人", "说明"])
        writer.writerow(["F-000000000000", "待查", "旧版本的发现", "李四", "某表合计不符"])
        writer.writerow(["F-111111111111", "", "", "", "没有标记的行不导入"])
    before = load_reviews(data).height
    assert import_reviews(sheet, data) == 1
    assert load_reviews(data).height == before + 1
    assert main(["review", "list", "--stale", "--data", str(data)]) == 0
    text = capsys.readouterr().out
    assert "F-000000000000 待查［已失效］（李四）：旧版本的发现" in text and "某表合计不符" in text
    assert reviews_path(data).parent.name == "reviews"


def test_the_csv_of_budgetlib_check_can_be_marked_and_imported(trail, tmp_path, capsys):
    _, data, _ = trail
    assert main(["check", "--data", str(data), "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    first = rows[0]["finding_id"]
    assert first.startswith("F-")
    sheet = tmp_path / "check.csv"
    with open(sheet, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "status", "reviewer"])
        writer.writeheader()
        writer.writerow({**rows[0], "status": "待查", "reviewer": "王五"})
    assert import_reviews(sheet, data) == 1
    mark = load_reviews(data).filter(pl.col("finding_id") == first).row(0, named=True)
    assert (mark["status"], mark["reviewer"], mark["message"]) == ("待查", "王五", rows[0]["message"])


def test_an_unknown_status_is_refused_with_its_line(trail, tmp_path):
    _, data, _ = trail
    sheet = tmp_path / "bad.csv"
    sheet.write_text("发现编号,审核状态\nF-000000000001,done\n", encoding="utf-8")
    with pytest.raises(DataError, match="bad.csv:2: 审核状态“done”无效"):
        import_reviews(sheet, data)
