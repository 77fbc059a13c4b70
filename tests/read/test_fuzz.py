"""Property-based tests: mutated samples never crash a reader with anything but BudgetlibError.

Hypothesis feeds each text shape truncated files, shuffled and doubled lines,
random bytes and dropped cells. The number of cases is bounded so the suite
stays quick; each reader gets several hundred.
"""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetlib.errors import BudgetlibError
from budgetlib.extract.document import parse_bytes
from conftest import seed_path

SHAPES = {"pdf_text": "000", "word_text": "002", "markdown": "004"}
SAMPLES = {shape: seed_path(seed).read_bytes() for shape, seed in SHAPES.items()}
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


def must_not_crash(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.txt")
    except BudgetlibError as exc:
        assert exc.file == "fuzz.txt", "errors must name the file"


def mutate(sample: bytes, kind: str, seed: int) -> bytes:
    rng = random.Random(seed)
    if kind == "truncate":
        return sample[: rng.randrange(len(sample))]
    lines = sample.split(b"\n")
    if kind == "shuffle":
        start = rng.randrange(len(lines))
        window = lines[start : start + rng.randint(2, 40)]
        rng.shuffle(window)
        lines[start : start + len(window)] = window
    elif kind == "double":
        for _ in range(rng.randint(1, 10)):
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
    elif kind == "drop_cells":
        for _ in range(rng.randint(1, 20)):
            i = rng.randrange(len(lines))
            cells = lines[i].split(b"\t")
            if len(cells) > 1:
                del cells[rng.randrange(len(cells))]
                lines[i] = b"\t".join(cells)
            else:
                del lines[i]
    elif kind == "random_bytes":
        data = bytearray(sample)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    return b"\n".join(lines)


KINDS = ["truncate", "shuffle", "double", "drop_cells", "random_bytes"]


@FUZZ
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32))
def test_pdf_text_reader_survives_mutations(kind, seed):
    must_not_crash(mutate(SAMPLES["pdf_text"], kind, seed))


@FUZZ
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32))
def test_word_text_reader_survives_mutations(kind, seed):
    must_not_crash(mutate(SAMPLES["word_text"], kind, seed))


@FUZZ
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32))
def test_markdown_reader_survives_mutations(kind, seed):
    must_not_crash(mutate(SAMPLES["markdown"], kind, seed))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data):
    must_not_crash(data)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("\t\n 0123456789.,-合计栏次序号部门预算收支总表单位：万元注")), max_size=600))
def test_table_like_text(text):
    must_not_crash(text.encode("utf-8"))
