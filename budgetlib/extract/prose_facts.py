"""Figures stated in the prose of the 情况说明: the ``narrative_facts`` table.

The prose restates this year's totals and is the only source of last year's
figures. :mod:`budgetlib.extract.prose_sections` cuts it into sections, paragraphs,
sentences and clauses; this module reads the figures of each clause, driven by the
declarations below and by the fact vocabulary of :mod:`budgetlib.vocab.facts`:

1. A bracket's content becomes sub-clauses that are ``part_of`` the figure before
   it. Figures after 主要原因 / 原因是 … in a sentence explain a change and are not read.
2. Every amount (``57.33万元``, ``0元``) takes its label from the text before it.
   The label names the fact through :data:`RULES` (per section, the first match
   wins, so parts come before totals). A change verb before the amount
   (增加 / 减少 …) makes it a signed change; 持平 / 无增减变化 / 一致 make a zero
   change. A clause without a label of its own is about the figure before it; a
   figure whose label names nothing known makes the following unlabeled changes
   unknown too (they are dropped rather than given to the figure before).
3. :func:`derive_facts` completes each (current, change, prior) triple: prior =
   current − change, or change = current − prior, marked ``is_derived``.

Years: a level is about the budget year unless its sentence starts with another
year ("2022 年部门“三公”经费 9.0 万元" → ``three_public_prior_total``, 2022) or
its fact names the year (上年末固定资产 → 2022, facts.YEARS_BACK). A change ("较2022年增加…") is
"budget year vs the year before" and carries the budget year (2023).

Final accounts (``documents.doc_kind == 'final_accounts'``): a level is the 决算
(actual) figure. "年初预算为0.95万元，支出决算为0.00万元" gives ``<fact>_budget``
0.95 (same year) and ``<fact>`` 0.00; a label that is only 年初预算 / 支出决算 is
about the figure the sentence is about. "比2023年度增加2.55万元" compares actuals
and is a change as in a budget; a difference against the budget (决算数与预算数
基本持平) is not a change.

Fact keys: the facts of :data:`RULES` for this year's levels; ``<fact>_change``
and ``<fact>_prior`` for changes and last year's levels, except where the
contract names them (:mod:`budgetlib.vocab.facts`: ``total_change``,
``basic_change``, ``project_change``, ``three_public_change``,
``three_public_prior_total`` …); the parts named after a total
(``project_amount``, ``basic_item``, ``operating_cost_item``, with ``subject``
the printed name, and their ``_change``); ``function_subject`` for a function
class / 款 / 项 with its printed name as ``subject`` (公共安全（类）支出); and
``<fact>_budget`` for the 年初预算 of a final account.

Columns besides the contract's: ``unit`` as printed (万元, 元, or null when the
prose prints a bare number); ``precision``, the rounding step of the printed
figure in 万元 (null for a change stated in words, such as 持平); ``subject``;
``part_of``, the label a bracketed breakdown belongs to; ``is_derived``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from budgetlib.read.rows import box_columns
from budgetlib.extract.prose_sections import MASK, SENTENCE_END, Clause, Paragraph, clauses, prose_sections, sentences
from budgetlib.vocab.facts import ITEMS_OF, PARENT, YEARS_BACK, budget_key, change_key, prior_key
from budgetlib.vocab.labels import SUM_WORDS
from budgetlib.vocab.money import UNIT_TO_WAN
from budgetlib.vocab.text import canon

# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class FactRule:
    """A fact the prose of one section states, recognised by its label."""

    fact: str
    section: str
    pattern: re.Pattern
    #: The label is also the figure's ``subject`` (a function subject: 检察（款）行政运行（项）).
    named: bool = False
    #: Matched against the whole label once its lead and trail are removed (besides ``pattern``).
    whole: re.Pattern | None = None


def _rule(fact: str, section: str, pattern: str, whole: str | None = None, **kw) -> FactRule:
    return FactRule(fact, section, re.compile(pattern), whole=re.compile(whole) if whole else None, **kw)


#: Function classes (类) of the 支出功能分类, as printed without their （类） mark ("2．社会保障和就业支出").
FUNCTION_CLASSES = (
    "一般公共服务|外交|国防|公共安全|教育|科学技术|文化旅游体育与传媒|文化体育与传媒|社会保障和就业|"
    "社会保险基金|卫生健康|医疗卫生与计划生育|节能环保|城乡社区|农林水|交通运输|资源勘探工业信息等|"
    "资源勘探信息等|商业服务业等|金融|援助其他地区|自然资源海洋气象等|国土海洋气象等|住房保障|"
    "粮油物资储备|灾害防治及应急管理|债务还本|债务付息|债务发行费用|其他"
)

#: Labels → facts, per section. Parts come before the totals that contain their words.
RULES: tuple[FactRule, ...] = (
    # Overview (and the 决算 / Jiangsu sections about income, expenditure and appropriations).
    _rule("function_subject", "overview", r"\((类|款|项)\)", whole=rf"(?:{FUNCTION_CLASSES})支出", named=True),
    _rule("personnel", "overview", r"人员经费|人员支出"),
    _rule("public_use", "overview", r"公用经费|公用支出"),
    _rule("gpb_basic_expenditure", "overview", r"一般公共预算(财政)?(拨款)?(预算)?基本支出"),
    _rule("fiscal_basic_expenditure", "overview", r"财政拨款(预算)?基本支出"),
    _rule("basic_expenditure", "overview", r"基本支出"),
    _rule("project_expenditure", "overview", r"项目支出"),
    _rule("reserve_expenditure", "overview", r"预留机动经费|机动经费|预备费"),
    _rule("fiscal_total", "overview", r"财政拨款收入?、?支出?(预算|决算)?总(计|预算)"),
    _rule("grand_total", "overview", r"收入?[、和]?支出?(预算|决算)?总计"),
    _rule("gpb_income", "overview", r"一般公共预算(财政)?(拨款)?收入"),
    _rule("gpb_expenditure", "overview", r"一般公共预算(财政)?(拨款)?(预算)?支出"),
    _rule("gov_fund_income", "overview", r"(政府性)?基金预算(财政)?(拨款)?收入|政府性基金收入"),
    _rule("gov_fund_expenditure", "overview", r"政府性基金(预算)?(财政)?(拨款)?(预算)?支出|基金预算(财政)?(拨款)?支出"),
    _rule("soe_capital_income", "overview", r"国有资本经营预算(财政)?(拨款)?收入"),
    _rule("soe_capital_expenditure", "overview", r"国有资本经营预算(财政)?(拨款)?(预算)?支出"),
    _rule("fiscal_income", "overview", r"财政拨款(预算)?收入"),
    _rule("fiscal_expenditure", "overview", r"财政拨款(预算)?支出"),
    _rule("fiscal_special_income", "overview", r"财政专户(核拨|管理资金)?收入"),
    _rule("operating_income", "overview", r"经营收入"),
    _rule("business_income", "overview", r"事业收入"),
    _rule("other_income", "overview", r"其他(来源|资金)?收入"),
    _rule("carryover_income", "overview", r"上年结转|年初结转"),
    _rule("total_expenditure", "overview", r"支出预算|预算支出|部门预算|收支(预算)?安排|支出(预算)?(合计|总计)|本年支出"),
    # 收入 after a source's name (政府性基金收入, 其他资金收入, 财政专户收入 …) is that source's
    # figure: only a 收入 that names no source is the total.
    _rule("total_income", "overview", r"(?<![金资款业营他源户])收入"),
    _rule("operating_cost", "operating", r"机关运行经费"),
    _rule("three_public_abroad", "three_public", r"因公出国|公务出国"),
    _rule("three_public_vehicle", "three_public", r"公务用车购置及运(行|维)"),
    _rule("three_public_vehicle_purchase", "three_public", r"(公务用车|公车)购置(经)?费"),
    _rule("three_public_vehicle_operation", "three_public", r"公务用车运行(维护)?费"),
    _rule("three_public_reception", "three_public", r"公务接待"),
    _rule("three_public_total", "three_public", r"三公"),
    _rule("meeting_expense", "three_public", r"会议费"),
    _rule("training_expense", "three_public", r"培训费"),
    _rule("procurement_sme_reserved", "procurement", r"面向中小企业"),
    _rule("procurement_small_micro_reserved", "procurement", r"面向小微企业"),
    _rule("procurement_goods", "procurement", r"货物"),
    _rule("procurement_works", "procurement", r"工程"),
    _rule("procurement_services", "procurement", r"服务"),
    _rule("procurement_total", "procurement", r"政府采购"),
    _rule("assets_prior_year_total", "assets", r"上年末.*固定资产|固定资产.*上年末"),
    _rule("assets_purchase_total", "assets", r"购置.*固定资产|固定资产.*购置"),
)

#: The rules of each section, in the order of :data:`RULES`.
RULES_BY_SECTION: dict[str, tuple[FactRule, ...]] = {
    section: tuple(r for r in RULES if r.section == section) for section in dict.fromkeys(r.section for r in RULES)
}
#: An amount: thousands separators (ASCII or full-width comma) only in groups of three.
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|千元|元)?")
_UP = "增加|增多|增长|上升|提高"
_DOWN = "减少|下降|降低|缩减"
_DOWN_VERB = re.compile(_DOWN)
_CHANGE_VERB = re.compile(rf"({_UP}|{_DOWN})了?(?:支出)?\s*$")
_ZERO_CHANGE = re.compile(r"持平|无增减|没有变化|无变化|一致|不变|相同")
#: Words that say "no change" only when the sentence compares with an earlier year: 一致 also
#: says that two tables agree (与《收支预算总表》收入数一致).
_SAME = re.compile(r"一致|不变|相同")
_CLAUSE_YEAR = re.compile(r"^\s*(?:我部门|本部门|部门)?\s*(20\d{2})\s*年(?![末底])")
_COMPARISON = re.compile(
    r"(与|较|比|同)\s*(上年|上一年|20\d{2}\s*年)度?(预算执行数|预算数|预算|决算数|决算|执行数)?(相比|同期)?"
)
#: The explanation of a change: figures after it are reasons ("分流315万元"), not facts. It runs
#: to the end of the sentence, or to a ； that does not go on with the reasons (二是…).
_REASON = re.compile(r"主要原因|原因[是为在]|主要是因为|主要是由于|主要由于")
_MORE_REASONS = re.compile(r"^\s*(?:[一二三四五六七八九十]是|其次|再次|另外|同时|此外|以及)")
#: In a final account, the words that make a figure the budget's, not the actual one.
_BUDGET_FIGURE = re.compile(r"年初预算|调整预算|全年预算|预算数")
#: A label that only says which stage a figure is (年初预算为, 支出决算为).
_STAGE_WORDS = re.compile(r"年初预算|调整预算|全年预算|预算数|预算|决算数|决算|支出|数|为|是|\s")
_LEAD = re.compile(
    r"^(?:其中|包括|主要为|主要是|主要用于|用于|分别为|以及|和|及|此外|、|\d{1,2}\s*[、.．](?!\d)|[一二三四五六七八九十]{1,3}、|\s)+"
)
_TRAIL = re.compile(r"(?:共计安排|共计|安排|为|是|\s)+$")
_GENERIC = re.compile(r"^(20\d{2}\s*年)?(我部门|本部门|部门)?(预算|总体|整体)?(数)?$")
#: (fact, subject) of a figure whose label names nothing known.
_UNKNOWN: tuple[str, str | None] = ("", None)


def clean_label(text: str) -> str:
    text = text.replace(MASK, "")
    text = _LEAD.sub("", text.strip())
    return _TRAIL.sub("", text).strip()


def _subject(label: str) -> str:
    """The printed name a label gives its figure (quotes and numbering removed)."""
    return clean_label(label).rstrip(SENTENCE_END).strip("“”\"'‘’ ")


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def precision_of(number: str, unit: str | None) -> Decimal:
    """Rounding step of a printed figure, in 万元: 57.33万元 → 0.01, 500元 → 0.0001."""
    decimals = len(number.split(".")[1]) if "." in number else 0
    return Decimal(1).scaleb(-decimals) * UNIT_TO_WAN[unit or "万元"]


def _owner_label(before: str) -> str | None:
    """The label of the figure a bracket belongs to, from the clause text before the bracket."""
    before = before.replace(MASK, "")
    amounts = [m for m in _AMOUNT.finditer(before) if m.group(2)]
    if not amounts or before[amounts[-1].end() :].strip():
        tail = before[amounts[-1].end() :] if amounts else before
        return clean_label(tail) or None
    start = amounts[-2].end() if len(amounts) > 1 else 0
    return clean_label(before[start : amounts[-1].start()]) or None


@lru_cache(maxsize=8192)  # labels (基本支出, 一般公共预算支出 …) recur from document to document
def classify(section: str, label: str) -> FactRule | None:
    """The first rule of ``section`` whose ``pattern`` is in the label or whose ``whole`` is all of it."""
    text = canon(label.replace(MASK, ""))
    bare: str | None = None  # the label without lead and trail: made for the first ``whole`` rule
    for rule in RULES_BY_SECTION.get(section, ()):
        if rule.pattern.search(text):
            return rule
        if rule.whole:
            bare = canon(_subject(label)) if bare is None else bare
            if rule.whole.fullmatch(bare):
                return rule
    return None


class ProseNumber(NamedTuple):
    """One printed amount: value in 万元, unit as printed, rounding step in 万元, line."""

    value: Decimal
    unit: str | None
    precision: Decimal | None
    line: int
    #: ``(page, x0, y0, x1, y1)`` where the figure is printed (PDF only).
    box: tuple | None = None


@dataclass
class _Reader:
    """Reads the sentences of one section, remembering what the figures before were about."""

    doc_id: str
    year: int
    section: str
    #: A final account (决算): levels are actual figures, 年初预算 figures are ``<fact>_budget``.
    final: bool = False
    facts: list[dict] = field(default_factory=list)
    #: Last fact named by a rule in this paragraph: its items (facts.ITEMS_OF) name unnamed parts listed after it.
    topic: str | None = None
    #: (fact, subject) of the last figure: what a change without a label is about
    #: (:data:`_UNKNOWN` after a figure whose label names nothing known).
    last: tuple[str, str | None] | None = None
    #: (fact, subject) of the first figure of the last sentence that had one.
    head: tuple[str, str | None] | None = None
    sentence_year: int = 0
    sentence_head: tuple[str, str | None] | None = None
    #: The sentence has reached the explanation of a change (主要原因…): its figures are not read.
    reason: bool = False
    seen: set[tuple] = field(default_factory=set)

    def classify(self, label: str) -> FactRule | None:
        return classify(self.section, label)

    def known_last(self) -> tuple[str, str | None] | None:
        return self.last if self.last and self.last[0] else None

    def read(self, para: Paragraph) -> None:
        self.topic = None
        for sentence, start in sentences(para.text):
            # A sentence without a label of its own ("与2022年相比无增减变化。")
            # is about the first figure of the sentence before.
            self.sentence_year, self.sentence_head, self.seen, self.reason = self.year, None, set(), False
            self.last = self.head or self.last
            text = sentence.strip()
            for clause in clauses(sentence, start):
                self.clause(clause, para, text, part_of=None)
            self.head = self.sentence_head or self.head

    def clause(self, clause: Clause, para: Paragraph, sentence: str, part_of: str | None) -> None:
        if self.reason and part_of is None and clause.offset and para.text[clause.offset - 1] in "；;":
            self.reason = bool(_MORE_REASONS.match(clause.text))
        if self.reason:
            return
        text = clause.text
        stop = len(text)
        if why := _REASON.search(text):
            stop, self.reason = why.start(), True
        if "年" in text and (m := _CLAUSE_YEAR.match(text.replace(MASK, ""))):
            self.sentence_year = int(m.group(1))
        pos, found = 0, False
        for m in _AMOUNT.finditer(text, 0, stop):
            number, unit = m.group(1), m.group(2)
            label = text[pos : m.start()]
            if unit is None and (text[m.end() : stop].strip(MASK + " ") or not self.classify(label)):
                continue  # a count, a year, a code or a percentage, not an amount
            pos, found = m.end(), True
            value = _number(number) * UNIT_TO_WAN[unit or "万元"]
            at = clause.offset + m.start(1)
            box = para.box_at(at, clause.offset + m.end(2 if m.group(2) else 1))
            figure = ProseNumber(value, unit, precision_of(number, unit), para.line_at(at), box)
            if verb := _CHANGE_VERB.search(label):
                sign = -1 if _DOWN_VERB.fullmatch(verb.group(1)) else 1
                self.change(label[: verb.start()], figure._replace(value=sign * value), sentence, part_of)
            else:
                self.level(label, figure, sentence, part_of)
        head = text[:stop]
        if not found and (zero := _ZERO_CHANGE.search(head)):
            compares_years = not _SAME.fullmatch(zero.group()) or _COMPARISON.search(sentence)
            # 决算数与预算数基本持平 compares the actual with the budget, not with last year.
            if compares_years and not (self.final and _BUDGET_FIGURE.search(canon(head[: zero.start()]))):
                at = clause.offset + zero.start()
                figure = ProseNumber(Decimal(0), None, None, para.line_at(at), para.box_at(at, clause.offset + zero.end()))
                self.change(head[: zero.start()], figure, sentence, part_of)
        elif not found and (rule := self.classify(head)) and rule.named:
            # A function subject named on its own ("1、一般公共服务支出（类）…（项）。") is what
            # the figures of the next sentences are about ("年初预算为…，支出决算为…").
            self.last = (rule.fact, _subject(head))
            self.sentence_head = self.sentence_head or self.last
        for inner, offset in clause.brackets:
            if offset - clause.offset > stop:
                continue
            owner = _owner_label(text[: offset - clause.offset - 1])
            for sub in clauses(inner, offset):
                self.clause(sub, para, sentence, part_of=owner)

    def level(self, label: str, figure: ProseNumber, sentence: str, part_of: str | None) -> None:
        """A figure at a level: this year's, or last year's when the sentence says so."""
        rule, name = self.classify(label), clean_label(label)
        subject = None
        if rule:
            base = rule.fact
            subject = _subject(label) if rule.named else None
            back = YEARS_BACK.get(base, 0)
            year = self.year - back if back else self.sentence_year
            fact = prior_key(base) if year != self.year and not back else base
            self.topic = base
        elif self.final and self.known_last() and not _STAGE_WORDS.sub("", canon(name)):
            # 年初预算为0.95万元，支出决算为0.00万元: about the figure the sentence is about.
            base, subject = self.known_last()
            year = self.sentence_year
            fact = prior_key(base) if year != self.year else base
        elif name in SUM_WORDS and self.last and self.last[0] in PARENT:
            base = fact = self.topic = PARENT[self.last[0]]
            year = self.sentence_year
        elif (child := self._child()) and name:
            base, fact, year, subject = child, child, self.sentence_year, name
        else:
            # Nothing known: a change that follows without a label is not about the figure before.
            self.last = _UNKNOWN
            self.sentence_head = self.sentence_head or _UNKNOWN
            return
        if self.final and _BUDGET_FIGURE.search(canon(label)):
            if year != self.year:
                return
            fact = budget_key(base)
        self.emit(fact, base, year, figure, subject, part_of, sentence)

    def change(self, label: str, figure: ProseNumber, sentence: str, part_of: str | None) -> None:
        """A signed change against last year, about the figure its label (or context) names."""
        if self.final and _BUDGET_FIGURE.search(canon(label)):
            return  # 比年初预算减少…: actual against budget, not a change against last year
        rule = self.classify(label)
        bare = _COMPARISON.sub("", label.replace(MASK, ""))
        name = clean_label(bare)
        if rule:
            base, subject = rule.fact, (_subject(bare) if rule.named else None)
            self.topic = base
        elif not _GENERIC.match(canon(name)) and (child := self._child()):
            base, subject = child, name
        elif known := self.known_last():
            base, subject = known
        else:
            return
        self.emit(change_key(base), base, self.year, figure, subject, part_of, sentence)

    def _child(self) -> str | None:
        return ITEMS_OF.get(self.topic)

    def emit(self, fact, base, year, figure: ProseNumber, subject, part_of, sentence) -> None:
        """Record a fact; ``base`` is the figure it is about (``personnel`` for ``personnel_change``)."""
        self.last = (base, subject)
        self.sentence_head = self.sentence_head or self.last
        key = (fact, year, subject, figure.value)
        if key in self.seen:
            return
        self.seen.add(key)
        self.facts.append(
            {
                "doc_id": self.doc_id,
                "fact": fact,
                "year": year,
                "value": figure.value,
                "unit": figure.unit,
                "precision": figure.precision,
                "subject": subject,
                "part_of": part_of,
                "is_derived": False,
                "text": sentence,
                "source_line": figure.line,
                **box_columns(figure.box),
            }
        )


# ----------------------------------------------------------------------- derivation


def derive_facts(facts: list[dict], year: int) -> list[dict]:
    """Complete each (current, change, prior) triple that the prose states two of."""
    stated: dict[tuple[str, str | None], dict] = {}
    for f in facts:
        stated.setdefault((f["fact"], f["subject"]), f)
    # A derived fact is a change or a prior level (never a base) with the subject of the
    # fact it comes from: the bases stated and the subjects are known now.
    bases = {fact for (fact, _) in stated}
    subjects = sorted({s for (_, s) in stated}, key=lambda s: s or "")
    derived: list[dict] = []
    for base, change, prior in _TRIPLES:
        if base not in bases:
            continue
        for subject in subjects:
            cur = stated.get((base, subject))
            if cur is None or cur["year"] != year:
                continue
            chg = stated.get((change, subject))
            pri = stated.get((prior, subject))
            if (chg is None) == (pri is None):
                continue
            if chg is not None:
                new = _derived(prior, year - 1, cur["value"] - chg["value"], cur, chg, source=chg)
            else:
                new = _derived(change, year, cur["value"] - pri["value"], cur, pri, source=pri)
            stated[(new["fact"], subject)] = new
            derived.append(new)
    return derived


#: (fact, change key, prior key) of every fact a triple can be completed for, in order.
_TRIPLES = tuple(
    (base, change_key(base), prior_key(base))
    for base in [r.fact for r in RULES] + sorted(set(ITEMS_OF.values()))
)


def _derived(fact: str, year: int, value: Decimal, a: dict, b: dict, source: dict) -> dict:
    return {
        **source,
        "fact": fact,
        "year": year,
        "value": value,
        "unit": "万元",
        "precision": max(a["precision"] or Decimal(0), b["precision"] or Decimal(0)) or None,
        "is_derived": True,
    }


# ------------------------------------------------------------------------ extractor


def narrative_facts(ctx) -> dict[str, list[dict]]:
    """Extractor: every figure the 情况说明 states, with derived prior-year levels."""
    year = ctx.meta.fiscal_year
    if year is None:
        return {"narrative_facts": []}
    final = getattr(ctx.meta, "doc_kind", None) == "final_accounts"
    facts: list[dict] = []
    readers: dict[str, _Reader] = {}
    for para in prose_sections(ctx.rows):
        if para.section not in RULES_BY_SECTION:
            continue
        reader = readers.setdefault(para.section, _Reader(ctx.doc_id, year, para.section, final=final))
        reader.read(para)
    for reader in readers.values():
        facts += reader.facts
    return {"narrative_facts": facts + derive_facts(facts, year)}
