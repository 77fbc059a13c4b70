"""Synthetic departments for benchmarks and scale tests, made from the sample documents.

Each synthetic department is a seed document with a new region (and so a new
department name) and every amount multiplied by a whole number drawn for that
department. Multiplying by a whole number is exact in :class:`~decimal.Decimal`
and keeps two decimals, so every identity of the seed still holds to the cent:
parents = Σ children, 合计 = Σ parts, the cross-table equalities, the 三公
sums, and the prose figures against the tables; ratios and percentages are
unchanged. Rounding each leaf after a non-integer scale could not keep the
equalities between tables that split the same total two ways (功能分类 vs
经济分类) without redistributing cents, which this does not attempt.

Two cases need care. A prose figure rounded to whole 万元 ("基本支出206万元"
for 205.70) is scaled from the table amount nearest to it that rounds to it
(205.70 × k, rounded again), so it stays within rounding of the table. A seed whose tables already
print 0.01 rounding gaps keeps the factor 1 (only its names change): any
other factor would turn those gaps into errors.

Amounts are found by their printed form: a number with two decimals (every
table amount), or a number followed by 万元/元/亿元 (prose and targets);
percentages, codes, 序号, 栏次, years and counts are left alone. Seeds keep their
text shape (PDF text, Word text, Markdown), and departments cycle through the
seeds, so every shape is in every batch large enough to reach all seeds.
Seeds whose department is a 总工会 share a name pattern with the performance
text seed, so every other such department also gets a performance document.

    >>> from synth import write_departments      # doctest: +SKIP
    >>> write_departments(Path("/tmp/raw"), 1000)          # doctest: +SKIP
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from budgetlib import config
from budgetlib.vocab.contract import CHECK_TABLES, SCHEMAS
from budgetlib.errors import BudgetlibError
from budgetlib.read.text_shapes import decode

#: Seeds are the sample documents in a text shape (PDF text, Word text, Markdown).
TEXT_SUFFIXES = (".txt", ".md", ".text")
from budgetlib.extract.metadata import region_of

#: Characters of generated place names: none is a region suffix (县区市旗盟州).
_NAME_CHARS = "青松云溪河阳平安永宁长乐清泉东川西岭南山北原临江新丰广德嘉禾兴隆富春白石玉林金华明月桃源"
_SUFFIXES = ("县", "市")
_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d\d)(?![\d%％])(?!\s*[%％])"  # two decimals: table amounts
    r"|(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?=\s*(?:万元|亿元|元))"  # prose: N 万元
)


@dataclass(frozen=True)
class Seed:
    path: Path
    text: str
    encoding: str
    region: str
    name: str
    code: str | None
    is_performance: bool
    #: The seed's tables print 0.01 rounding gaps, which scaling would turn into errors.
    has_rounding_gaps: bool


def region_name(index: int) -> str:
    """A distinct place name for every index: two or more characters and 县/市."""
    chars, n = [], index
    while n or len(chars) < 2:  # the index in base len(_NAME_CHARS), at least two digits
        n, digit = divmod(n, len(_NAME_CHARS))
        chars.append(_NAME_CHARS[digit])
    return "".join(chars) + _SUFFIXES[index % len(_SUFFIXES)]


def scale_amounts(text: str, factor: int) -> str:
    """Every amount in ``text`` multiplied by ``factor`` (exact; separators and decimals as printed).

    A prose amount in whole 万元 is taken as the rounding of the nearest
    two-decimal amount printed elsewhere in the text, when one rounds to it:
    that amount is scaled and rounded again to whole 万元.
    """
    if factor == 1:
        return text
    exact = {Decimal(m.group(1).replace(",", "") + m.group(2)) for m in _AMOUNT.finditer(text) if m.group(1)}
    rounded: dict[Decimal, Decimal] = {}  # whole 万元 -> the nearest two-decimal amount that rounds to it
    for value in sorted(exact, key=lambda v: abs(v - v.quantize(Decimal(1), ROUND_HALF_UP))):
        rounded.setdefault(value.quantize(Decimal(1), ROUND_HALF_UP), value)

    def scaled(m: re.Match) -> str:
        whole, frac = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4) or "")
        places = len(frac) - 1 if frac else 0
        value = Decimal(whole.replace(",", "") + frac)
        if places == 0 and value in rounded:
            value = rounded[value]
        value = (value * factor).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        return f"{value:,.{places}f}" if "," in whole else f"{value:.{places}f}"

    return _AMOUNT.sub(scaled, text)


def load_seeds(raw: Path | None = None) -> list[Seed]:
    """The sample documents with the region and department each names (parsed once)."""
    from budgetlib.checks import run_checks
    from budgetlib.store.load import Dataset
    from budgetlib.batch.parse_batch import discover
    from budgetlib.extract.document import parse_document
    from budgetlib.store.write import to_arrow

    seeds = []
    for path, source_file in discover([raw or config.raw_dir()]):
        if path.suffix.lower() not in TEXT_SUFFIXES:  # the text shapes only: PDFs are not rewritten
            continue
        try:
            parsed = parse_document(path, source_file)
        except BudgetlibError:
            continue
        doc = parsed.records["documents"][0]
        frames = {name: pl.from_arrow(to_arrow(name, parsed.records.get(name, []))) for name in SCHEMAS if name not in CHECK_TABLES}
        has_gaps = any(f.severity == "rounding" for f in run_checks(Dataset(Path(), frames)))
        data = path.read_bytes()
        text = decode(data, source_file)
        try:  # written back in the seed's own encoding
            data.decode("utf-8-sig")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "gb18030"
        name, region = doc["department_name"], doc["region"] or region_of(doc["department_name"])
        if not name or not region:
            continue
        seeds.append(
            Seed(path, text, encoding, region, name, doc["department_code"], doc["doc_kind"] == "performance", has_gaps)
        )
    return seeds


@dataclass(frozen=True)
class SyntheticDocument:
    file_name: str
    department: str
    region: str
    factor: int
    seed: str
    text: str
    encoding: str


def department_documents(seeds: list[Seed], index: int, rng: random.Random) -> list[SyntheticDocument]:
    """The documents of synthetic department ``index``: a budget and, for some, a performance text."""
    budgets = [s for s in seeds if not s.is_performance]
    performance = [s for s in seeds if s.is_performance]
    seed = budgets[index % len(budgets)]
    region = region_name(index)
    factor = rng.randint(1, 9)
    if seed.has_rounding_gaps:
        factor = 1
    docs = [seed]
    suffix = seed.name.removeprefix(seed.region)
    partner = next((p for p in performance if p.name.removeprefix(p.region) == suffix), None)
    if partner and (index // len(budgets)) % 2 == 0:
        docs.append(partner)
    out = []
    for doc in docs:
        text = doc.text.replace(doc.region, region)
        if doc.code and seed.code and doc.code != seed.code:  # one department, one code
            text = re.sub(rf"(?<!\d){doc.code}(?!\d)", seed.code, text)
        text = scale_amounts(text, factor)
        out.append(
            SyntheticDocument(
                f"d{index:05d}_{doc.path.stem[:3]}{doc.path.suffix}", doc.name.replace(doc.region, region),
                region, factor, doc.path.name, text, doc.encoding,
            )
        )
    return out


def write_departments(out_dir: Path, n: int, raw: Path | None = None, seed: int = 7) -> list[SyntheticDocument]:
    """Write ``n`` synthetic departments' documents into ``out_dir``; return what was written (text dropped)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    seeds = load_seeds(raw)
    rng = random.Random(seed)
    written = []
    for index in range(n):
        for doc in department_documents(seeds, index, rng):
            (out_dir / doc.file_name).write_bytes(doc.text.encode(doc.encoding))
            written.append(SyntheticDocument(doc.file_name, doc.department, doc.region, doc.factor, doc.seed, "", doc.encoding))
    return written
