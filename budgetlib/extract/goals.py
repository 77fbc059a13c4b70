"""第一部分 部门整体绩效目标 as text: the ``goals`` table.

The overall goal (总体绩效目标), then one row per item of 分项绩效目标, per 绩效目标 /
绩效指标 pair where the item lists several. Headings open and close the part; lines a
page break cut in two are joined as in the prose (:func:`budgetlib.extract.prose_sections.is_cut`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetlib.extract.prose_sections import is_cut
from budgetlib.read.rows import Row
from budgetlib.vocab.text import STRAY_MARK, canon

#: 第一部分 headings: overall goal, item goals, and what ends them.

_GOAL_OVERALL = re.compile(r"^[（(【{\[]?[一二1-9]?[）)】}\]、.．]?\s*(部门)?(年度)?总体绩效目标[:：]?$")
_GOAL_ITEMS = re.compile(r"^[（(【{\[]?[一二三1-9]?[）)】}\]、.．]?\s*分项绩效目标[:：]?$")
_GOAL_END = re.compile(r"工作保障措施|专项资金绩效目标|预算项目绩效目标|^[一二三四五六七八九十]+、\s*政府采购")
_GOAL_FURNITURE = re.compile(r"^(第[一二三四五]部分)?\s*(部门整体绩效目标)?$")
_GOAL_LINE = re.compile(r"^(?:\d+\s*[、.．]\s*)?绩效目标\s*[:：]\s*(.*)$")
_INDICATOR_LINE = re.compile(r"^(?:\d+\s*[、.．]\s*)?绩效指标\s*[:：]\s*(.*)$")
_ITEM_NUMBER = re.compile(r"^\s*(?:[（(【{\[]\s*[一二三四五六七八九十\d]+\s*[）)】}\]]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])\s*")


def goal_rows(rows: list[Row]) -> list[dict]:
    """第一部分 部门整体绩效目标: the overall goal and the goals of each item, as text."""
    state: str | None = None
    overall: list[tuple[str, int]] = []
    items: list[_GoalItem] = []
    for row in rows:
        text = row.text.strip()
        if row.is_table or not text or STRAY_MARK.match(text):
            continue
        key = canon(text)
        if _GOAL_OVERALL.match(key):
            state = "overall"
        elif _GOAL_ITEMS.match(key):
            state = "items"
        elif state and _GOAL_END.search(key) and len(key) < 40:
            state = None
        elif state == "overall" and not _GOAL_FURNITURE.match(key):
            overall.append((text, row.line))
        elif state == "items":
            _item_line(items, text, row.line)
    out = [_goal("overall", None, None, None, None, _join(overall), None, overall[0][1])] if overall else []
    for number, item in enumerate(items, start=1):
        pairs = item.pairs or [[None, None, item.line]]
        for sub_no, (goal, indicator, line) in enumerate(pairs, start=1):
            sub = sub_no if item.pairs else None
            out.append(_goal("item", number, sub, item.title, item.description, goal, indicator, line))
    return out


@dataclass
class _GoalItem:
    title: str
    description: str | None
    line: int
    #: [goal, indicator, line] per 绩效目标 / 绩效指标 pair.
    pairs: list[list] = field(default_factory=list)


def _item_line(items: list[_GoalItem], text: str, line: int) -> None:
    """Feed one line of 分项绩效目标 to the items read so far."""
    goal, indicator = _GOAL_LINE.match(text), _INDICATOR_LINE.match(text)
    item = items[-1] if items else None
    if item and goal:
        item.pairs.append([goal.group(1).strip() or None, None, line])
    elif item and indicator:
        if item.pairs and item.pairs[-1][1] is None:
            item.pairs[-1][1] = indicator.group(1).strip() or None
        else:
            item.pairs.append([None, indicator.group(1).strip() or None, line])
    elif item and not item.pairs and not _ITEM_NUMBER.match(text):
        item.description = (item.description or "") + text
    elif not goal and not indicator:
        title, _, rest = _ITEM_NUMBER.sub("", text).strip().partition("。")
        items.append(_GoalItem(title.strip(), rest.strip() or None, line))


def _goal(kind, item_no, sub_no, title, description, goal, indicator, line) -> dict:
    return {
        "kind": kind,
        "item_no": item_no,
        "sub_no": sub_no,
        "item_title": title,
        "description": description,
        "goal": goal,
        "indicator": indicator,
        "source_line": line,
    }


def _join(lines: list[tuple[str, int]]) -> str:
    """Lines of one text: a line cut by a page break continues the line before it."""
    text = ""
    for line, _ in lines:
        if is_cut(text.rsplit("\n", 1)[-1]):
            text += line
        else:
            text += ("\n" if text else "") + line
    return text
