"""What the prose says about its figures, recomputed: rates, shares and direction words.

Each rule reads the sentence a prose figure was stated in (``narrative_facts.text``) and
recomputes what the words claim, at the precision they are printed:

``statements.change_rate``
    ``增加2248.37万元，增长16.47%``: the rate is the change over last year's level (this
    year's level minus the change); a rate whose direction contradicts the change
    (``增加…，下降…%``) or whose size does not follow is an ``error``;
``statements.share``
    ``本年支出合计2940.05万元，其中：基本支出2336.91万元，占79.49%``: a share of the whole
    the sentence opens with (or names: ``占“三公”经费的19.1%``); shares of parts that make
    up their whole must make 100%;
``statements.direction``
    ``年初预算为1560.05万元，支出决算为1511.89万元。决算数小于预算数``: 大于/小于/等于/持平
    against the two figures; ``完成年初预算的96.91%`` recomputed.

A rate's bound is worked out from the printed steps of every figure it uses, so 0.01
rounding of the amounts never makes an error of a correctly printed rate.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from budgetlib import config
from budgetlib.checks.findings import CENT, ZERO, Finding, fmt
from budgetlib.checks.other_figures import PROSE, fact_label
from budgetlib.checks.registry import DocContext, check
from budgetlib.vocab.facts import budget_key, change_key
from budgetlib.vocab.money import UNIT_TO_WAN

_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|亿元|千元|元)")
_RATE = re.compile(r"^[^万元%％。；;]{0,8}?(增长|增加|上升|提高|下降|减少|降低|减)了?\s*(\d+(?:\.\d+)?)\s*[%％]")
_UP = ("增长", "增加", "上升", "提高")
_SHARE = re.compile(r"^\s*[，,]?\s*占(?P<whole>[^%％，。；\d]{0,16}?)的?\s*(?P<num>\d+(?:\.\d+)?)\s*[%％]")
_OPENS_LIST = re.compile(r"其中|包括|分别为|具体")
_DIRECTION = re.compile(
    r"(?:决算数?|支出决算数?|实际支出)?\s*(?:与|较|比)?\s*(?:年初)?预算数?\s*(?:相比)?\s*"
    r"(基本持平|持平|相等|一致|等于|大于|高于|超过|多于|小于|低于|少于)"
    r"|(?:决算数?|支出决算数?)\s*(基本持平|持平|相等|一致|等于|大于|高于|超过|多于|小于|低于|少于)\s*(?:年初)?预算数?"
)
_COMPLETED = re.compile(r"完成(?:年初)?预算的?\s*(\d+(?:\.\d+)?)\s*[%％]")
_HUNDRED = Decimal(100)


def _facts(ctx: DocContext) -> list[dict]:
    return sorted((f for f in ctx.rows(PROSE) if f.get("value") is not None), key=lambda f: (f["doc_id"], f.get("source_line") or 0))


def _step_of(number: str) -> Decimal:
    return Decimal(1).scaleb(-len(number.split(".")[1])) if "." in number else Decimal(1)


def _amounts(sentence: str) -> list[tuple[Decimal, re.Match]]:
    return [(Decimal(m.group(1).replace(",", "").replace("，", "")) * UNIT_TO_WAN[m.group(2)], m) for m in _AMOUNT.finditer(sentence)]


def _printed_at(sentence: str, value: Decimal, start: int = 0) -> re.Match | None:
    """Where ``value`` (万元) is printed in ``sentence`` (its first place from ``start``)."""
    return next((m for v, m in _amounts(sentence) if v == abs(value) and m.start() >= start), None)


def _rate_range(change: Decimal, dc: Decimal, prior: Decimal, dp: Decimal) -> tuple[Decimal, Decimal]:
    """Smallest and largest change/prior × 100 the printed figures allow (each ± half its step)."""
    rates = [(c / p) * _HUNDRED for c in (change - dc, change + dc) for p in (prior - dp, prior + dp) if p > 0]
    return min(rates), max(rates)


def _off_by(stated: Decimal, step: Decimal, low: Decimal, high: Decimal) -> str | None:
    """How wrong a printed percentage is: None within what rounding explains; ``warning`` for
    a slip of at most one more printed step (66.69% for 66.68%); ``error`` beyond that."""
    half = step / 2
    gap = max(low - (stated + half), (stated - half) - high, ZERO)
    if gap == 0:
        return None
    return "warning" if gap <= step else "error"


def _finding(fact: dict, check_id: str, severity: str, message: str, **kw) -> Finding:
    return Finding(doc_id=fact["doc_id"], check=check_id, severity=severity, message=message,
                   table=PROSE, source_line=fact.get("source_line"), **kw)


@check("statements.change_rate", "document", "增减率与增减额不符", needs=(PROSE,))
def change_rate(ctx: DocContext) -> Iterator[Finding]:
    """A rate of change (增长16.47%) against the change and this year's level of the same sentence."""
    facts = _facts(ctx)
    for change in facts:
        if change.get("is_derived") or change["value"] == ZERO or not (level := _level_of(facts, change)):
            continue
        sentence = change["text"]
        level_at = _printed_at(sentence, level["value"]) if level["text"] == sentence else None
        at = _printed_at(sentence, change["value"], level_at.end() if level_at else 0)
        if at is None or not (m := _RATE.match(sentence[at.end():])):
            continue
        verb, number = m.group(1), m.group(2)
        stated = Decimal(number)
        where = f"情况说明{ctx.view.place(change.get('source_line'))}"
        went_up = change["value"] > 0
        if (verb in _UP) != went_up and stated != ZERO:
            yield _finding(change, "statements.change_rate", "error",
                           f"{where}{fact_label(level)}{'增加' if went_up else '减少'}{fmt(abs(change['value']))}万元，"
                           f"却写作“{verb}{number}%”，增减方向前后矛盾，请核对")
            continue
        dc = (change.get("precision") or CENT) / 2
        dl = (level.get("precision") or CENT) / 2
        prior = level["value"] - change["value"]
        if prior <= 0:
            continue
        low, high = _rate_range(abs(change["value"]), dc, prior, dl + dc)
        if severity := _off_by(stated, _step_of(number), low, high):
            computed = (abs(change["value"]) / prior * _HUNDRED).quantize(_step_of(number), ROUND_HALF_UP)
            yield _finding(change, "statements.change_rate", severity,
                           f"{where}{fact_label(level)}{fmt(level['value'])}万元、增减{fmt(abs(change['value']))}万元，"
                           f"按上年{fmt(prior)}万元计算增减率为{computed}%，文中写作{number}%，请核对",
                           expected=computed, actual=stated, difference=stated - computed)


def _level_of(facts: list[dict], change: dict) -> dict | None:
    """This year's level of the figure a change is about: in the change's sentence, else the
    last one stated before it (上海…收入支出总计2995.39万元。与2023年度相比，…减少56.95万元)."""
    same = [f for f in facts if f["doc_id"] == change["doc_id"] and change_key(f["fact"]) == change["fact"]
            and f.get("subject") == change.get("subject") and not f.get("is_derived") and f.get("year") == change.get("year")]
    in_sentence = [f for f in same if f["text"] == change["text"]]
    before = [f for f in same if (f.get("source_line") or 0) <= (change.get("source_line") or 0)]
    return (in_sentence or before[-1:] or [None])[0]


@check("statements.share", "document", "占比与金额不符", needs=(PROSE,))
def share(ctx: DocContext) -> Iterator[Finding]:
    """占N% of the whole the sentence opens with (其中：…) or names, and 100% for a complete list."""
    by_sentence: dict[tuple[str, str], list[dict]] = {}
    for fact in _facts(ctx):
        by_sentence.setdefault((fact["doc_id"], fact["text"]), []).append(fact)
    for (_doc, sentence), facts in by_sentence.items():
        amounts = _amounts(sentence)
        opens = _OPENS_LIST.search(sentence)
        if not amounts or not opens or amounts[0][1].start() > opens.start():
            continue
        whole, whole_match = amounts[0]
        stated_shares = []
        for value, m in amounts[1:]:
            s = _SHARE.match(sentence[m.end():])
            if not s or s.group("whole").strip():
                continue  # a share of another whole, named: not this sentence's
            fact = next((f for f in facts if f["value"] == value), facts[0])
            stated_shares.append((value, s.group("num")))
            if whole <= 0:
                continue
            low, high = _rate_range(value, CENT / 2, whole, CENT / 2)
            stated = Decimal(s.group("num"))
            if severity := _off_by(stated, _step_of(s.group("num")), low, high):
                computed = (value / whole * _HUNDRED).quantize(_step_of(s.group("num")), ROUND_HALF_UP)
                yield _finding(fact, "statements.share", severity,
                               f"情况说明{ctx.view.place(fact.get('source_line'))}{fmt(value)}万元占{fmt(whole)}万元的"
                               f"{computed}%，文中写作{s.group('num')}%，请核对",
                               expected=computed, actual=stated, difference=stated - computed)
        if len(stated_shares) >= 2 and abs(sum(v for v, _ in stated_shares) - whole) <= CENT * len(stated_shares):
            total = sum(Decimal(n) for _, n in stated_shares)
            bound = sum(_step_of(n) / 2 for _, n in stated_shares)
            if abs(total - _HUNDRED) > bound:
                fact = facts[0]
                yield _finding(fact, "statements.share", "error",
                               f"情况说明{ctx.view.place(fact.get('source_line'))}所列各项合计为{fmt(whole)}万元，"
                               f"但各项占比之和为{total}%，不是100%，请核对",
                               expected=_HUNDRED, actual=total, difference=total - _HUNDRED)


@check("statements.direction", "document", "决算与预算比较用语不符", needs=(PROSE, "texts"))
def direction(ctx: DocContext) -> Iterator[Finding]:
    """大于/小于/等于/基本持平 between a final and its 年初预算, and 完成年初预算的N%."""
    if ctx.meta.get("doc_kind") != "final_accounts":
        return
    facts = _facts(ctx)
    finals = {(f["fact"], f.get("subject"), f.get("year")): f for f in facts if not f["fact"].endswith("_budget")}
    for budget in facts:
        name = budget["fact"].removesuffix("_budget")
        final = finals.get((name, budget.get("subject"), budget.get("year")))
        if final is None or budget_key(name) != budget["fact"] or budget["value"] == ZERO:
            continue
        words = _words_after(ctx, final)
        if words is None:
            continue
        b, f = budget["value"], final["value"]
        if m := _DIRECTION.search(words):
            said = m.group(1) or m.group(2)
            wrong = _contradicts(said, f, b)
            if wrong:
                yield _finding(final, "statements.direction", wrong,
                               f"情况说明{ctx.view.place(final.get('source_line'))}{fact_label(final)}年初预算{fmt(b)}万元、"
                               f"决算{fmt(f)}万元，文中却说决算数“{said}”预算数，请核对",
                               expected=b, actual=f, difference=f - b)
        if m := _COMPLETED.search(words):
            number = m.group(1)
            stated = Decimal(number)
            low, high = _rate_range(f, CENT / 2, b, CENT / 2)
            if severity := _off_by(stated, _step_of(number), low, high):
                computed = (f / b * _HUNDRED).quantize(_step_of(number), ROUND_HALF_UP)
                yield _finding(final, "statements.direction", severity,
                               f"情况说明{ctx.view.place(final.get('source_line'))}决算{fmt(f)}万元为年初预算{fmt(b)}万元的"
                               f"{computed}%，文中写作完成{number}%，请核对",
                               expected=computed, actual=stated, difference=stated - computed)


def _contradicts(said: str, final: Decimal, budget: Decimal) -> str | None:
    """The severity of a direction word that does not fit the figures (None: it fits)."""
    if said in ("大于", "高于", "超过", "多于"):
        return None if final > budget else "error"
    if said in ("小于", "低于", "少于"):
        return None if final < budget else "error"
    if said in ("等于", "相等", "一致", "持平"):
        return None if final == budget else "error"
    # 基本持平: close, within the threshold the user sets for budget against final.
    return None if abs(final - budget) <= abs(budget) * config.execution_threshold() else "warning"


def _words_after(ctx: DocContext, fact: dict) -> str | None:
    """The text after a final figure, up to the next 年初预算 (its sentence may go on over the
    next lines: 决算数小于预算数的主要原因 …)."""
    lines = sorted((r for r in ctx.rows("texts") if r["doc_id"] == fact["doc_id"]), key=lambda r: r["source_line"])
    at = next((i for i, r in enumerate(lines) if r["source_line"] >= (fact.get("source_line") or 0)), None)
    if at is None:
        return None
    window = "".join(r["text"] for r in lines[at:at + 4])
    printed = _printed_at(window, fact["value"])
    if printed is None:
        return None
    rest = window[printed.end():]
    stop = rest.find("年初预算")
    return rest if stop < 0 else rest[:stop]
