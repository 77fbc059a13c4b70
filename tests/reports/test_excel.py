"""write_workbook output, read back with openpyxl and recalculated by LibreOffice."""
from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from clients import libreoffice_recalculated
import pytest
import xlsxwriter

from budgetlib.errors import ReportError
from budgetlib.reports.excel import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    NOTES_SHEET,
    ReportColumn,
    Sheet,
    display_width,
    sanitize_sheet_name,
    write_workbook,
)

D = Decimal
COLUMNS = [
    ReportColumn("科目编码"),
    ReportColumn("一般公共预算财政拨款支出科目名称"),
    ReportColumn("合计", "money"),
    ReportColumn("基本支出", "money"),
    ReportColumn("人数", "int"),
    ReportColumn("占比", "percent"),
]
# Hand-made rows; the injected texts come first in the text columns.
ROWS = [
    ["201", "一般公共服务支出", D("1718.93"), D("1204.50"), 12, D("0.6125")],
    ["=SUM(A1)", "+1", D("-15.30"), D("0"), 0, D("-0.05")],
    ["@x", "-2+3", D("123456789.12"), None, 3, None],
    ["2080505", "机关事业单位基本养老保险缴费支出", D("0.01"), D("0.01"), None, 0.25],
]
# Worked out by hand from ROWS, not by the program.
TOTAL_MONEY = D("123458492.76")   # 1718.93 - 15.30 + 123456789.12 + 0.01
TOTAL_BASIC = D("1204.51")        # 1204.50 + 0 + 0.01
TOTAL_PEOPLE = 15
NOTES = {"来源文件": "000_69246d7c280277d8.txt", "sha256": "ab" * 32, "budgetlib 版本": "0.1.0", "生成日期": "2025-01-02"}


def _sheet(name: str = "支出表", **kwargs) -> Sheet:
    return Sheet(name, "2024年一般公共预算财政拨款支出表", "万元", COLUMNS, ROWS, **kwargs)


def _cents(value) -> Decimal:
    return D(repr(value)).quantize(D("0.01"))


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_workbook(tmp_path / "部门预算.xlsx", [_sheet(total_row="合计")], NOTES)


def test_layout_headers_numbers_and_formats(workbook):
    ws = openpyxl.load_workbook(workbook)["支出表"]
    assert ws.cell(1, 1).value == "2024年一般公共预算财政拨款支出表"
    assert ws.cell(2, 1).value == "单位：万元"
    assert [c.value for c in ws[HEADER_ROW + 1]] == [c.header for c in COLUMNS]
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW + 1}"

    for r, expected in enumerate(ROWS, start=FIRST_DATA_ROW + 1):
        cells = ws[r]
        for cell, column, value in zip(cells, COLUMNS, expected):
            if value is None:
                assert cell.value is None, cell.coordinate
                continue
            if column.kind == "text":
                assert cell.data_type == "s" and cell.value == value, cell.coordinate
                continue
            assert cell.data_type == "n", cell.coordinate
            assert isinstance(cell.value, (int, float)), cell.coordinate
            assert D(repr(cell.value)) == D(str(value)), cell.coordinate
            assert cell.number_format == {"money": "#,##0.00", "int": "#,##0", "percent": "0.00%"}[column.kind]


def test_text_that_looks_like_a_formula_stays_text(workbook):
    ws = openpyxl.load_workbook(workbook)["支出表"]
    row = FIRST_DATA_ROW + 2
    for coordinate, text in [(f"A{row}", "=SUM(A1)"), (f"B{row}", "+1"), (f"A{row + 1}", "@x"), (f"B{row + 1}", "-2+3")]:
        assert ws[coordinate].data_type == "s", coordinate
        assert ws[coordinate].value == text
    # And in the raw XML: the only <f> elements are the total row's SUMs.
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert xml.count("<f>") == 3
    assert "<f>SUM(A1)</f>" not in xml


def test_total_row_has_sum_formulas_with_cached_values(workbook):
    ws = openpyxl.load_workbook(workbook)["支出表"]
    cached = openpyxl.load_workbook(workbook, data_only=True)["支出表"]
    total = FIRST_DATA_ROW + len(ROWS) + 1
    first, last = FIRST_DATA_ROW + 1, total - 1
    assert ws[f"A{total}"].value == "合计"
    assert ws[f"C{total}"].value == f"=SUM(C{first}:C{last})"
    assert ws[f"D{total}"].value == f"=SUM(D{first}:D{last})"
    assert ws[f"E{total}"].value == f"=SUM(E{first}:E{last})"
    assert ws[f"F{total}"].value is None  # ratios are not summed
    assert _cents(cached[f"C{total}"].value) == TOTAL_MONEY
    assert _cents(cached[f"D{total}"].value) == TOTAL_BASIC
    assert cached[f"E{total}"].value == TOTAL_PEOPLE


def test_column_widths_count_wide_characters_twice(workbook):
    ws = openpyxl.load_workbook(workbook)["支出表"]
    longest = "机关事业单位基本养老保险缴费支出"
    assert display_width(longest) == 2 * len(longest)
    assert ws.column_dimensions["B"].width >= display_width(longest)
    # Money column fits "123,456,789.12".
    assert ws.column_dimensions["C"].width >= len("123,456,789.12")


def test_notes_sheet(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["支出表", NOTES_SHEET]
    notes = book[NOTES_SHEET]
    pairs = [(r[0].value, r[1].value) for r in notes.iter_rows(min_row=FIRST_DATA_ROW + 1)]
    assert pairs == list(NOTES.items())
    assert all(r[1].data_type == "s" for r in notes.iter_rows(min_row=FIRST_DATA_ROW + 1))


def test_sheet_names_are_sanitised_and_unique(tmp_path):
    long_name = "某某市某某区某某街道办事处某某社区居民委员会2024年部门预算一般公共预算支出表"
    sheets = [
        _sheet("支出/总表[2024]:*?\\"),
        _sheet(long_name),
        _sheet(long_name),
        _sheet("说明"),
        _sheet("Sheet"),
        _sheet("sheet"),
    ]
    path = write_workbook(tmp_path / "names.xlsx", sheets, NOTES)
    names = openpyxl.load_workbook(path).sheetnames
    assert names[0] == "支出_总表_2024_____"
    assert names[1] == long_name[:31]
    assert names[2] == long_name[:28] + "(2)"
    assert names[3] == "说明(2)"
    assert names[4:6] == ["Sheet", "sheet(2)"]
    assert names[-1] == NOTES_SHEET
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_sanitize_sheet_name_empty_and_quotes():
    used: set[str] = set()
    assert sanitize_sheet_name("'收入表'", used) == "收入表"
    assert sanitize_sheet_name("", used) == "Sheet"


def test_money_rejects_binary_floats(tmp_path):
    bad = Sheet("表", "标题", "万元", [ReportColumn("金额", "money")], [[1718.93]])
    with pytest.raises(ReportError, match="Decimal"):
        write_workbook(tmp_path / "bad.xlsx", [bad], {})


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, workbook):
    before = workbook.read_bytes()
    broken = Sheet("表", "标题", "万元", COLUMNS, [["只有一列"]])
    with pytest.raises(ReportError, match="1 values for 6 columns"):
        write_workbook(workbook, [broken], NOTES)
    assert workbook.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [workbook.name]


def test_libreoffice_reads_numbers_and_recalculates_the_total(tmp_path):
    ours = write_workbook(tmp_path / "ours.xlsx", [_sheet(total_row="合计")], NOTES)
    # Control: a SUM whose cached value is wrong. If LibreOffice shows 999 here,
    # it did not recalculate and the total check below would prove nothing.
    control = tmp_path / "control.xlsx"
    book = xlsxwriter.Workbook(str(control))
    sheet = book.add_worksheet("control")
    sheet.write_number(0, 0, 1.5)
    sheet.write_number(1, 0, 2.25)
    sheet.write_formula(2, 0, "=SUM(A1:A2)", None, 999)
    book.close()

    converted_ours, converted_control = libreoffice_recalculated([ours, control], tmp_path)
    assert openpyxl.load_workbook(converted_control, data_only=True)["control"]["A3"].value == 3.75

    ws = openpyxl.load_workbook(converted_ours, data_only=True)["支出表"]
    assert ws.cell(1, 1).value == "2024年一般公共预算财政拨款支出表"
    assert [c.value for c in ws[HEADER_ROW + 1]] == [c.header for c in COLUMNS]
    for r, expected in enumerate(ROWS, start=FIRST_DATA_ROW + 1):
        for cell, column, value in zip(ws[r], COLUMNS, expected):
            if value is None:
                assert cell.value is None, cell.coordinate
            elif column.kind == "text":
                assert cell.data_type == "s" and cell.value == value, cell.coordinate
            else:
                assert D(repr(cell.value)) == D(str(value)), cell.coordinate
    total = FIRST_DATA_ROW + len(ROWS) + 1
    assert ws[f"A{total}"].value == "合计"
    assert _cents(ws[f"C{total}"].value) == TOTAL_MONEY
    assert _cents(ws[f"D{total}"].value) == TOTAL_BASIC
    assert ws[f"E{total}"].value == TOTAL_PEOPLE
    formulas = openpyxl.load_workbook(converted_ours)["支出表"]
    assert formulas[f"C{total}"].value == f"=SUM(C{FIRST_DATA_ROW + 1}:C{total - 1})"
    assert openpyxl.load_workbook(converted_ours)[NOTES_SHEET]["B5"].value == "ab" * 32
