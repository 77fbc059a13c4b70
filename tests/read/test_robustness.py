"""Input variety that must give the same numbers, and bad input that must fail clearly.

Every variant is built from a sample in the test itself, so the expected
numbers are the sample's own (checked against the hand-read values elsewhere).
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetlib.errors import ParseError
from budgetlib.extract.document import parse_document
from budgetlib.batch.pipeline import parse_to
from conftest import seed_path


def numbers(parsed) -> set:
    return {(r["table"], r["row_no"], r["col_no"], r["value"]) for r in parsed.records["line_items"]}


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture(scope="module")
def originals():
    return {seed: parse_document(seed_path(seed)) for seed in ["000", "001", "002", "003"]}


@pytest.mark.parametrize("seed", ["000", "002"])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_encodings(tmp_path, originals, seed, encoding):
    text = seed_path(seed).read_text(encoding="utf-8")
    parsed = parse_document(write(tmp_path, "e.txt", text.encode(encoding)))
    assert numbers(parsed) == numbers(originals[seed])


@pytest.mark.parametrize("seed", ["000", "002"])
def test_crlf_line_ends(tmp_path, originals, seed):
    text = seed_path(seed).read_text(encoding="utf-8").replace("\n", "\r\n")
    parsed = parse_document(write(tmp_path, "crlf.txt", text))
    assert numbers(parsed) == numbers(originals[seed])
    assert {r["source_line"] for r in parsed.records["line_items"]} == {r["source_line"] for r in originals[seed].records["line_items"]}


def test_thousands_separators(tmp_path, originals):
    text = seed_path("001").read_text(encoding="utf-8").replace("1718.93", "1,718.93").replace("1458.31", "1,458.31")
    assert "1,718.93" in text
    assert numbers(parse_document(write(tmp_path, "k.txt", text))) == numbers(originals["001"])


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in text)


def test_full_width_digits_and_punctuation(tmp_path, originals):
    lines = seed_path("000").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if re.match(r"^\d+\t", line):  # data rows: every figure and 序号 in full-width forms
            line = _full_width(line)
        out.append(line.replace("单位：万元", "单位：万元").replace("预算年度：", "预算年度："))
    text = "\n".join(out)
    assert "２９９．５４" in text
    assert numbers(parse_document(write(tmp_path, "fw.txt", text))) == numbers(originals["000"])


def test_amounts_published_in_yuan(tmp_path, originals):
    """A document printed in 元 gives the same 万元 figures, and records its unit."""

    def to_yuan(match: re.Match) -> str:
        return f"{Decimal(match.group(0)) * 10000:.2f}"

    out = []
    for line in seed_path("000").read_text(encoding="utf-8").splitlines():
        if re.match(r"^\d+\t", line):
            cells = line.split("\t")
            cells = [cells[0]] + [re.sub(r"^\d+\.\d{2}$", to_yuan, c) for c in cells[1:]]
            line = "\t".join(cells)
        out.append(line.replace("单位：万元", "单位：元"))
    parsed = parse_document(write(tmp_path, "yuan.txt", "\n".join(out)))
    assert "2995400.00" in "\n".join(out)
    assert numbers(parsed) == numbers(originals["000"])
    assert parsed.records["documents"][0]["source_unit"] == "元"


def pdf_to_word_shape(text: str) -> str:
    """Re-lay a PDF-text extraction the way Word extractions are laid out."""
    out = []
    for line in text.splitlines():
        if "\t" in line:
            out.extend("\t" + cell for cell in line.split("\t"))
            out.append("")
        else:
            out.extend([line, ""] if line.strip() else [""])
    return "\n".join(out)


def word_to_pdf_shape(text: str) -> str:
    out, row = [], []
    for line in text.splitlines():
        if line.startswith("\t"):
            row.append(line[1:])
        elif not line.strip():
            if row:
                out.append("\t".join(row))
                row = []
        elif row:
            row[-1] += line.strip()
        else:
            out.append(line)
    if row:
        out.append("\t".join(row))
    return "\n".join(out)


def test_document_wholly_in_the_other_shape(tmp_path, originals):
    as_word = parse_document(write(tmp_path, "w.txt", pdf_to_word_shape(seed_path("001").read_text(encoding="utf-8"))))
    assert as_word.records["documents"][0]["source_format"] == "word_text"
    assert numbers(as_word) == numbers(originals["001"])
    as_pdf = parse_document(write(tmp_path, "p.txt", word_to_pdf_shape(seed_path("003").read_text(encoding="utf-8"))))
    assert as_pdf.records["documents"][0]["source_format"] == "pdf_text"
    assert numbers(as_pdf) == numbers(originals["003"])


def test_title_and_unit_lines_moved(tmp_path, originals):
    """Unit before the department line, and the year in the title line."""
    text = seed_path("000").read_text(encoding="utf-8")
    text = text.replace(
        "部门预算收入总表\n\n715 秦皇岛经济技术开发区总工会\n\n预算年度：2023\n\n单位：万元\n",
        "2023年部门预算收入总表\n\n单位：万元\n\n715 秦皇岛经济技术开发区总工会\n\n预算年度：2023\n",
    )
    assert "2023年部门预算收入总表" in text
    assert numbers(parse_document(write(tmp_path, "moved.txt", text))) == numbers(originals["000"])


def test_final_accounts_title_variants(tmp_path):
    text = seed_path("000").read_text(encoding="utf-8").replace("部门预算收支总表\n", "部门决算收支总表\n")
    parsed = parse_document(write(tmp_path, "final.txt", text))
    assert parsed.records["documents"][0]["doc_kind"] == "final_accounts"


# --- bad input ----------------------------------------------------------------


def test_file_cut_off_mid_table(tmp_path):
    lines = seed_path("002").read_text(encoding="utf-8").splitlines()
    cut = "\n".join(lines[:560])  # inside 支出总表, in the middle of row 5
    with pytest.raises(ParseError, match="中途结束") as err:
        parse_document(write(tmp_path, "cut.txt", cut))
    assert err.value.file == "cut.txt" and err.value.line is not None


def test_duplicate_file_is_parsed_once_each_and_flagged_by_hash(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ["a.txt", "b.txt"]:
        (raw / name).write_bytes(seed_path("000").read_bytes())
    parse_to([raw], tmp_path / "out")
    docs = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert docs.height == 2 and docs["sha256"].n_unique() == 1 and docs["doc_id"].n_unique() == 2
