"""Mutated original files (PDF, .docx, .xlsx) give a ParseError or parse; nothing else comes out.

The PDF cases are fewer than the text shapes' because each corrupted PDF costs
pdfminer a fraction of a second; zip-based formats fail fast and get more.
"""
from __future__ import annotations

import functools
import io
import random

import docx
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetlib.errors import BudgetlibError
from budgetlib.extract.document import parse_bytes
from conftest import real_document


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("部门预算收支总表")
    table = document.add_table(rows=3, cols=5)
    for r, row in enumerate([["序号", "收入项目", "预算数", "支出项目", "预算数"], ["栏次", "1", "2", "3", "4"], ["1", "一、一般公共预算拨款收入", "299.54", "一、一般公共服务支出", "220.86"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["部门预算收支总表"], ["单位：万元"], ["序号", "收入项目", "预算数", "支出项目", "预算数"], ["栏次", 1, 2, 3, 4], [1, "一、一般公共预算拨款收入", 299.54, "一、一般公共服务支出", 220.86]]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SAMPLES = {"docx": _docx(), "xlsx": _xlsx()}


def mutate(sample: bytes, kind: str, seed: int) -> bytes:
    rng = random.Random(seed)
    if kind == "truncate":
        return sample[: rng.randrange(len(sample))]
    data = bytearray(sample)
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def must_not_crash(name: str, data: bytes) -> None:
    try:
        parse_bytes(data, name)
    except BudgetlibError as exc:
        assert exc.file == name


@functools.cache
def _real_pdf() -> bytes:
    return real_document("sh_pt_swj_2025_dept_budget.pdf").read_bytes()


KINDS = st.sampled_from(["truncate", "corrupt"])
SEEDS = st.integers(0, 2**32)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(kind=KINDS, seed=SEEDS)
def test_pdf_reader_survives_mutations(kind, seed):
    must_not_crash("fuzz.pdf", mutate(_real_pdf(), kind, seed))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(kind=KINDS, seed=SEEDS)
def test_docx_reader_survives_mutations(kind, seed):
    must_not_crash("fuzz.docx", mutate(SAMPLES["docx"], kind, seed))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(kind=KINDS, seed=SEEDS)
def test_xlsx_reader_survives_mutations(kind, seed):
    must_not_crash("fuzz.xlsx", mutate(SAMPLES["xlsx"], kind, seed))
