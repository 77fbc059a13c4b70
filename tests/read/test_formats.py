"""Readers of the original formats (PDF, Word, Excel) and how a file's type is told from its bytes.

Word and Excel fixtures are built here from the sample tables (python-docx,
openpyxl), so each reader is held to the same hand-read numbers as the text
samples (tests/expected/line_items/). PDF readers are tested on the published
PDFs in data/raw/ and on a scan built from an image.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budgetlib.errors import ParseError
from budgetlib.read import read_document, sniff
from budgetlib.vocab.sources import describe_line
from budgetlib.read.xlsx import number_text
from budgetlib.vocab.money import parse_amount
from budgetlib.extract.document import parse_bytes, parse_document
from budgetlib.read.text_shapes import decode, read_rows
from conftest import EXPECTED, ROOT, SEEDS, real_document, seed_path

SH_BUDGET = "sh_pt_swj_2025_dept_budget.pdf"
JS_BUDGET = "js_jcy_2019_dept_budget.pdf"


def expected_cells(seed: str) -> set[tuple[str, int, int, Decimal]]:
    with open(EXPECTED / "line_items" / f"{seed}.tsv", encoding="utf-8") as fh:
        return {(r["table"], int(r["row_no"]), int(r["col_no"]), Decimal(r["value"])) for r in csv.DictReader(fh, delimiter="\t")}


def cells_of(parsed) -> set[tuple[str, int, int, Decimal]]:
    return {(r["table"], r["row_no"], r["col_no"], r["value"]) for r in parsed.records["line_items"]}


def seed_rows(seed: str):
    return read_rows(decode(seed_path(seed).read_bytes(), SEEDS[seed]))[1]


# --- sniffing ---------------------------------------------------------------------------------


def _zip(names: list[str]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n...", "pdf"),
        (_zip(["[Content_Types].xml", "word/document.xml"]), "docx"),
        (_zip(["[Content_Types].xml", "xl/workbook.xml"]), "xlsx"),
        (_zip(["readme.txt"]), "zip"),
        (b"PK\x03\x04 not really a zip", "badzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "ole"),
        ("部门预算收支总表\n".encode(), "text"),
    ],
)
def test_file_type_is_sniffed_from_the_bytes(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.4\n%%EOF", "无法读取PDF"),
        (b"PK\x03\x04 not really a zip", "无法解压"),
        (_zip(["readme.txt"]), "不是Word"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "另存为.docx"),
    ],
)
def test_damaged_or_unsupported_files_say_why(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(data, "x.bin")


def test_text_is_left_to_the_text_readers():
    assert read_document("部门预算收支总表\n".encode(), "a.txt") is None


@pytest.mark.parametrize(
    "fmt, line, words",
    [("pdf", 14023, "第14页第23行"), ("xlsx", 2000017, "第2张工作表第17行"), ("docx", 57, "第57段（段落与表格行合计）"), ("word_text", 1479, "第1479行")],
)
def test_source_lines_in_words(fmt, line, words):
    assert describe_line(fmt, line) == words


# --- PDF --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sh_rows():
    return read_document(real_document(SH_BUDGET).read_bytes(), SH_BUDGET)[1]


def _on(rows, line):
    return [r for r in rows if r.line == line]


def test_pdf_text_line_with_a_wide_gap_becomes_two_text_rows(sh_rows):
    # Page 9: "编制部门：上海市普陀区商务委员会 …… 单位：元" on one printed line.
    assert [(r.is_table, r.text) for r in _on(sh_rows, 9002)] == [
        (False, "编制部门：上海市普陀区商务委员会"),
        (False, "单位：元"),
    ]
    assert [r.text for r in _on(sh_rows, 9001)] == ["2025年部门财务收支预算总表"]


def test_pdf_table_rows_keep_merged_cells_and_empty_cells(sh_rows):
    header = _on(sh_rows, 9003)[0]
    assert [(c.text, c.merged_from) for c in header.cells] == [("本年收入", ""), ("", "left"), ("本年支出", ""), ("", "left")]
    row = _on(sh_rows, 9007)[0]
    assert row.is_table and row.texts == ["2. 政府性基金", "", "三、社会保障和就业支出", "3,808,085.00"]


def test_pdf_codes_printed_over_three_columns_stay_three_cells(sh_rows):
    row = _on(sh_rows, 10008)[0]
    assert row.texts[:4] == ["201", "13", "01", "行政运行"]


def test_pdf_paragraph_wrapped_at_the_margin_is_one_row(sh_rows):
    # Page 7: the sentence breaks after "增加" and goes on with "24,558.18万元" on the next line.
    (row,) = _on(sh_rows, 7002)
    assert "比2024年预算执行数增加24,558.18万元；事业收入0万元" in row.text
    assert not _on(sh_rows, 7003)


def test_pdf_spurious_grid_columns_are_merged():
    """公开05表 draws its code header over two grid columns and its names over two others."""
    rows = read_document(real_document(JS_BUDGET).read_bytes(), JS_BUDGET)[1]
    assert [r.texts for r in rows if r.line in (16013, 16015)] == [
        ["功能科目代码", "功能科目名称", "金额"],
        ["204", "公共安全支出", "16,593.12"],
    ]


def test_scanned_pdf_without_text_layer_is_refused(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).rectangle([50, 50, 550, 350], outline="black", width=3)
    path = tmp_path / "scan.pdf"
    image.save(path, "PDF", resolution=72)
    with pytest.raises(ParseError, match="没有文字层.*扫描件") as err:
        parse_document(path)
    assert "OCR" in str(err.value) and err.value.file == "scan.pdf"


# --- Word -------------------------------------------------------------------------------------


def _docx_from_rows(rows, path: Path) -> Path:
    """A Word file with the sample's text as paragraphs and each run of table rows as a table."""
    import docx

    document = docx.Document()
    i = 0
    while i < len(rows):
        if not rows[i].is_table:
            document.add_paragraph(rows[i].text)
            i += 1
            continue
        j = i
        while j < len(rows) and rows[j].is_table:
            j += 1
        table = document.add_table(rows=0, cols=max(len(r.cells) for r in rows[i:j]))
        for row in rows[i:j]:
            cells = table.add_row().cells
            for k, cell in enumerate(row.cells):
                cells[k].text = cell.text
        i = j
    document.save(path)
    return path


@pytest.mark.parametrize("seed, code", [("000", "715"), ("001", "201")])
def test_docx_of_a_sample_gives_its_hand_read_numbers(tmp_path, seed, code):
    path = _docx_from_rows(seed_rows(seed), tmp_path / f"{seed}.docx")
    parsed = parse_document(path)
    assert cells_of(parsed) == expected_cells(seed)
    doc = parsed.records["documents"][0]
    assert (doc["source_format"], doc["department_code"], doc["fiscal_year"], doc["doc_kind"]) == ("docx", code, 2023, "budget")


def test_docx_table_with_merged_header_and_codes_over_lei_kuan_xiang(tmp_path):
    """A Shanghai-style 支出预算总表 in Word: merged header cells, no 栏次, amounts in 元."""
    import docx

    document = docx.Document()
    for text in ["2025年部门支出预算总表", "编制部门：测试区商务委员会", "单位：元"]:
        document.add_paragraph(text)
    data = [
        ["201", "", "", "一般公共服务支出", "1,234,567.89", "1,000,000.00", "234,567.89"],
        ["201", "13", "", "商贸事务", "1,234,567.89", "1,000,000.00", "234,567.89"],
        ["201", "13", "01", "行政运行", "1,000,000.00", "1,000,000.00", ""],
        ["201", "13", "02", "一般行政管理事务", "234,567.89", "", "234,567.89"],
    ]
    table = document.add_table(rows=4 + len(data), cols=7)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "项目"
    table.cell(0, 4).merge(table.cell(0, 6)).text = "支出预算"
    table.cell(1, 0).merge(table.cell(1, 2)).text = "功能分类科目编码"
    for col, text in [(3, "功能分类科目名称"), (4, "合计"), (5, "基本支出"), (6, "项目支出")]:
        table.cell(1, col).merge(table.cell(2, col)).text = text
    for col, text in enumerate(["类", "款", "项"]):
        table.cell(2, col).text = text
    for r, values in enumerate(data, start=3):
        for c, text in enumerate(values):
            table.cell(r, c).text = text
    last = 3 + len(data)
    table.cell(last, 0).merge(table.cell(last, 3)).text = "合计"
    for c, text in [(4, "1,234,567.89"), (5, "1,000,000.00"), (6, "234,567.89")]:
        table.cell(last, c).text = text
    path = tmp_path / "sh.docx"
    document.save(path)

    parsed = parse_document(path)
    items = {(r["row_no"], r["col_no"]): (r["code"], r["item"], r["column"], r["value"]) for r in parsed.records["line_items"]}
    assert items == {
        (1, 3): ("201", "一般公共服务支出", "total", Decimal("123.456789")),
        (1, 4): ("201", "一般公共服务支出", "basic", Decimal("100")),
        (1, 5): ("201", "一般公共服务支出", "project", Decimal("23.456789")),
        (2, 3): ("20113", "商贸事务", "total", Decimal("123.456789")),
        (2, 4): ("20113", "商贸事务", "basic", Decimal("100")),
        (2, 5): ("20113", "商贸事务", "project", Decimal("23.456789")),
        (3, 3): ("2011301", "行政运行", "total", Decimal("100")),
        (3, 4): ("2011301", "行政运行", "basic", Decimal("100")),
        (4, 3): ("2011302", "一般行政管理事务", "total", Decimal("23.456789")),
        (4, 5): ("2011302", "一般行政管理事务", "project", Decimal("23.456789")),
        (5, 3): (None, "合计", "total", Decimal("123.456789")),
        (5, 4): (None, "合计", "basic", Decimal("100")),
        (5, 5): (None, "合计", "project", Decimal("23.456789")),
    }
    (table_row,) = parsed.records["document_tables"]
    assert (table_row["table"], table_row["layout"], table_row["unit"]) == ("expenditure", "shanghai_budget", "元")
    doc = parsed.records["documents"][0]
    assert (doc["department_name"], doc["region"], doc["fiscal_year"], doc["source_unit"]) == ("测试区商务委员会", "测试区", 2025, "元")


# --- Excel ------------------------------------------------------------------------------------


def _xlsx_from_rows(rows, path: Path) -> Path:
    """One sheet: text rows in column A, table rows across; amounts as numbers shown with 2 decimals."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row.cells, start=1):
            value = parse_amount(cell.text) if cell.text else None
            target = sheet.cell(r, c)
            if value is not None and "." in cell.text:
                target.value = float(value)
                target.number_format = "#,##0.00"
            else:
                target.value = cell.text or None
    book.save(path)
    return path


@pytest.mark.parametrize("seed", ["002", "003"])
def test_xlsx_of_a_sample_gives_its_hand_read_numbers(tmp_path, seed):
    parsed = parse_document(_xlsx_from_rows(seed_rows(seed), tmp_path / f"{seed}.xlsx"))
    assert cells_of(parsed) == expected_cells(seed)
    assert parsed.records["documents"][0]["source_format"] == "xlsx"
    # Rows are numbered as Excel shows them, on sheet 1.
    assert all(1_000_000 < r["source_line"] < 2_000_000 for r in parsed.records["line_items"])


@pytest.mark.parametrize(
    "value, fmt, text",
    [
        (0.1 + 0.2, "General", "0.3"),
        (24169.74, "General", "24169.74"),
        (1234.5, "#,##0.00", "1234.50"),
        (2.675, "0.00", "2.68"),  # shown as 2.68 although the double is 2.67499…
        (371514655.0, "#,##0.00", "371514655.00"),
        (12, "General", "12"),
        (3.0, "0", "3"),
    ],
)
def test_excel_numbers_are_read_as_shown(value, fmt, text):
    assert number_text(value, fmt) == text


def test_xlsx_merged_header_transposed_three_public(tmp_path):
    """A Jiangsu-style 公开09表 in Excel: merged title, merged three-level header, one row of figures."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "“三公”经费、会议费、培训费支出预算表"
    sheet.merge_cells("A1:I1")
    sheet["A2"], sheet["I2"] = "部门名称：测试检察院", "单位：万元"
    for ref, text, span in [
        ("A3", "合计", "A3:A5"),
        ("B3", "“三公”经费", "B3:G3"),
        ("H3", "会议费", "H3:H5"),
        ("I3", "培训费", "I3:I5"),
        ("B4", "小计", "B4:B5"),
        ("C4", "因公出国（境）费", "C4:C5"),
        ("D4", "公务用车购置及运行维护费", "D4:F4"),
        ("G4", "公务接待费", "G4:G5"),
    ]:
        sheet[ref] = text
        sheet.merge_cells(span)
    sheet["D5"], sheet["E5"], sheet["F5"] = "小计", "公务用车购置费", "公务用车运行维护费"
    for col, value in enumerate([30.5, 10.5, 5, 3, 1, 2, 2.5, 8, 12], start=1):
        cell = sheet.cell(6, col, value)
        cell.number_format = "0.00"
    path = tmp_path / "js.xlsx"
    book.save(path)

    parsed = parse_document(path)
    items = sorted((r["row_no"], r["col_no"], r["item"], r["column"], r["value"]) for r in parsed.records["line_items"])
    assert items == [
        (1, 3, "合计", "gpb", Decimal("30.50")),
        (2, 3, "“三公”经费小计", "gpb", Decimal("10.50")),
        (3, 3, "因公出国（境）费", "gpb", Decimal("5.00")),
        (6, 3, "公务用车购置及运维费", "gpb", Decimal("3.00")),
        (7, 3, "公务用车购置费", "gpb", Decimal("1.00")),
        (8, 3, "公务用车运行维护费", "gpb", Decimal("2.00")),
        (9, 3, "公务接待费", "gpb", Decimal("2.50")),
        (10, 3, "会议费", "gpb", Decimal("8.00")),
        (11, 3, "培训费", "gpb", Decimal("12.00")),
    ]
    assert all(r["source_line"] == 1_000_006 for r in parsed.records["line_items"])
    assert parsed.records["document_tables"][0]["layout"] == "jiangsu_budget"
    assert parsed.records["documents"][0]["department_name"] == "测试检察院"


def test_xls_of_a_sample_gives_its_hand_read_numbers(tmp_path):
    # LibreOffice (installed by `make test`) converts the fixture to the old .xls format.
    assert shutil.which("soffice"), "LibreOffice is missing: run scripts/install-system-deps.sh"
    source = _xlsx_from_rows(seed_rows("002"), tmp_path / "002.xlsx")
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xls", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    parsed = parse_document(tmp_path / "002.xls")
    assert parsed.records["documents"][0]["source_format"] == "xls"
    assert cells_of(parsed) == expected_cells("002")


# --- a folder of every format -----------------------------------------------------------------


def test_parse_command_reads_every_format_in_a_folder(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy2(seed_path("000"), folder / SEEDS["000"])
    _docx_from_rows(seed_rows("001"), folder / "001.docx")
    _xlsx_from_rows(seed_rows("002"), folder / "002.xlsx")
    shutil.copy2(real_document(SH_BUDGET), folder / SH_BUDGET)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "budgetlib", "parse", str(folder), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    import polars as pl

    formats = dict(pl.read_parquet(out / "documents.parquet").select("source_file", "source_format").iter_rows())
    assert formats == {SEEDS["000"]: "pdf_text", "001.docx": "docx", "002.xlsx": "xlsx", SH_BUDGET: "pdf"}


def test_office_lock_files_are_left_out_and_old_word_files_are_named(tmp_path):
    from budgetlib.batch.parse_batch import Failure, discover, parse_paths

    (tmp_path / "~$预算.docx").write_bytes(b"\x0bowner")
    (tmp_path / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"))
    assert [name for _, name in discover([tmp_path])] == ["旧版.doc"]
    (failure,) = parse_paths([tmp_path])
    assert isinstance(failure, Failure) and "另存为.docx" in failure.message
