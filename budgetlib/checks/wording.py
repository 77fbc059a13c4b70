"""The words of a disclosure: template residue, years and department names that do not fit it.

Every line of text (``texts``: cover, headings, table titles and headers, prose) is
read for what reviewers in finance bureaus are asked to catch in the words:

``wording.placeholder``
    a template never filled in: ``XX``/``××`` (``20XX年``, ``XX万元``), ``待填写``,
    ``{单位}``, ``……`` where a figure belongs, alternatives left side by side
    (``增加（减少）``, ``增长/下降``), a word doubled (``预算预算``);
``wording.year``
    a year that is not the document's: in a title, a heading or a table header, in
    ``预算年度：``, or in a date (``截至2022年12月31日`` in a 2023 final account);
    the year before in a comparison (``与2022年相比``, ``2022年预算``) is fine;
``wording.department_name``
    a table header or a title that names another department than the document.

Severity: ``error`` where the residue stands in a title, a header, a name or a
figure's place; ``warning`` in running prose.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlib.checks.findings import Finding
from budgetlib.checks.registry import DocContext, check
from budgetlib.extract.metadata import is_department_name, looks_like_organisation
from budgetlib.extract.texts import HEADER, HEADING, TITLE
from budgetlib.vocab.text import canon

TEXTS = "texts"
#: Kinds of line where residue is an error: the reader takes them as the document's own words.
_PROMINENT = (TITLE, HEADING, HEADER)

_PLACEHOLDERS = (
    ("未填写的占位符", re.compile(r"(?<![A-Za-z])(?:[Xx]{2,}|×{2,}|Ｘ{2,}|[Xx]{1,2}(?=[年月日万元%％局厅委办院处室会]))(?![A-Za-z])")),
    # {单位}, 【填写…】; not {一}, a list number printed in braces.
    ("待填写的内容", re.compile(r"待填写|待补充|请填写|此处填写|填写说明|[{｛](?![一二三四五六七八九十\d]{1,3}[}｝])[^}｝]{1,12}[}｝]|【[^】]{0,12}(?:填|名称|单位)[^】]{0,12}】")),
    ("模板中的备选用词", re.compile(r"(?:增加|增长|上升)\s*[（(/／、或]\s*(?:减少|下降|降低)\s*[)）]?|增（减）|增减持平|增加持平|减少持平")),
    ("省略号代替的数字", re.compile(r"(?:为|计|共|增加|减少)\s*(?:…{1,2}|\.{3,6})|(?:…{1,2}|\.{3,6})\s*(?:万元|元|%|％)")),
)
#: A word of two to four characters printed twice in a row (预算预算).
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
#: X对X, X到X …: 点对点对职能部门 is 点对点 + 对, not a doubled word.
_LINKED = re.compile(r"^.[对到比与和至接]$")
#: Characters of a place where a figure belongs: a doubled word there is not residue (百分百).
_FIGURE_PLACE = re.compile(r"^\s*(?:万元|元|%|％|年|月)|(?:为|计|共|占)\s*$")

_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年\s*(度)?")
_YEAR_FIELD = re.compile(r"(?:预算|决算)年度[:：]\s*(20\d{2})")
_DATE = re.compile(r"(?:截至|截止|截止到|截至到)\s*(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
#: Words before a year that make it a reference, not the document's own year.
_REFERENCE = re.compile(r"(?:与|较|比|同|相比|对比|上年|上一年|以来|自|从|至|到|截至|截止|于|在|前)\s*$")
_MONTH = re.compile(r"\s*\d{1,2}\s*月")
#: What follows last year's number in a review of it (2022年预算执行情况, 2022年决算).
_REVIEW = re.compile(r"\s*(?:度)?\s*(?:部门)?\s*(?:预算)?\s*(?:执行|完成|决算|实际)")
#: A statement of the budget or final accounts of a year in running prose.
_OWN_YEAR_STATEMENT = re.compile(r"^\s*(?:度)?\s*(?:部门|单位|本部门)?\s*(?:预算|决算)(?:收入|支出|总计|合计|安排|编制|公开)")

_NAME_FIELD = re.compile(r"(?:编制部门|部门名称|预算单位|单位名称|预算主管部门|主管部门|部门)[:：]\s*([^\s:：]{2,40}?)(?=\s|单位[:：]|金额单位|(?:预算|决算)年度|$)")
#: What follows a department on a header line printed as one (711平乡县总工会 预算年度：2023 单位：万元).
_HEADER_FIELDS = re.compile(r"(?:预算|决算)年度|金额单位|单位[:：]")
_CODE_NAME = re.compile(r"^\d{3,}\s*([^\d\s年.、:：]{2,40})")
_TITLE_NAME = re.compile(r"^(.{2,40}?)\s*20\d{2}\s*年\s*度?\s*(?:部门|单位)\s*(?:预算|决算)")
_GENERIC = re.compile(r"部门$")
#: Words before a title's year that are not a name: a part of the document, an annex.
_NOT_A_NAME = re.compile(r"^(?:第[一二三四五六七八九十]+部分|附件|附表|目录|[一二三四五六七八九十]+、)")
_OWN_UNIT = re.compile(r"[（(]?本级[）)]?$")


def _texts(ctx: DocContext) -> list[dict]:
    return sorted(ctx.rows(TEXTS), key=lambda r: (r["doc_id"], r["source_line"]))


def _finding(row: dict, check_id: str, severity: str, message: str) -> Finding:
    # The line's own document: in a disclosure of two files the text may be the other file's.
    return Finding(doc_id=row["doc_id"], check=check_id, severity=severity, message=message, source_line=row["source_line"])


def _where(ctx: DocContext, row: dict) -> str:
    kind = {TITLE: "标题", HEADING: "标题", HEADER: "表头"}.get(row["kind"], "正文")
    return f"{kind}（{ctx.view.place(row['source_line'])}）"


@check("wording.placeholder", "document", "模板残留与占位符", needs=(TEXTS,))
def placeholder(ctx: DocContext) -> Iterator[Finding]:
    """Template residue: a placeholder, an unfilled field, alternatives left side by side, an
    ellipsis for a figure, a doubled word."""
    for row in _texts(ctx):
        text = row["text"]
        for what, pattern in _PLACEHOLDERS:
            if m := pattern.search(text):
                yield _residue(ctx, row, what, m.group(0), m, text)
                break
        else:
            for m in _DOUBLED.finditer(text):
                word = m.group(1)
                if not _FIGURE_PLACE.search(text[m.end():m.end() + 3]) and len(set(word)) > 1 and not _LINKED.match(word):
                    yield _residue(ctx, row, "重复的词语", m.group(0), m, text)
                    break


def _residue(ctx: DocContext, row: dict, what: str, found: str, m: re.Match, text: str) -> Finding:
    in_figure_place = bool(re.search(r"万元|元|%|％|年", text[m.end():m.end() + 3])) or what == "省略号代替的数字"
    severity = "error" if row["kind"] in _PROMINENT or in_figure_place else "warning"
    excerpt = text[max(0, m.start() - 12):m.end() + 12]
    return _finding(row, "wording.placeholder", severity,
                    f"{_where(ctx, row)}有{what}“{found}”：“{excerpt}”，请按实际情况填写或删去")


@check("wording.year", "document", "年度与文档不一致", needs=(TEXTS,))
def year(ctx: DocContext) -> Iterator[Finding]:
    """A year that is not the document's: in a title, heading or header, in 预算年度：, in a
    date (a final account's year-end; a budget may also date its assets at last year's end),
    or in running prose that states a year's budget (2022年部门预算收入…) without comparing."""
    own = ctx.meta.get("fiscal_year")
    if not own:
        return
    final = ctx.meta.get("doc_kind") == "final_accounts"
    for row in _texts(ctx):
        text = _own_words(row)
        if (m := _YEAR_FIELD.search(text)) and int(m.group(1)) != own:
            yield _year_finding(ctx, row, int(m.group(1)), own, f"“{m.group(0)}”", "error")
            continue
        if (m := _DATE.search(text)) and int(m.group(1)) not in ((own,) if final else (own - 1, own)):
            expected = f"{own}年12月31日" if final else f"{own - 1}年或{own}年"
            yield _year_finding(ctx, row, int(m.group(1)), own, f"日期“{m.group(0)}”（应为{expected}）", "error")
            continue
        for m in _YEAR.finditer(text):
            year_said, after = int(m.group(1)), text[m.end():]
            if year_said == own or _MONTH.match(after) or _REFERENCE.search(text[:m.start()]):
                continue  # the document's year, a date (above), or a reference (与2022年相比)
            if year_said == own - 1 and _REVIEW.match(after):
                continue  # 2022年预算执行情况: last year reviewed
            if row["kind"] in _PROMINENT or _TITLE_NAME.match(text) and len(text) <= 40:
                yield _year_finding(ctx, row, year_said, own, f"“{text[m.start():m.end() + 8]}”", "error")
                break
            if _OWN_YEAR_STATEMENT.match(text[m.end():]) and year_said != own - 1:
                yield _year_finding(ctx, row, year_said, own, f"“{text[m.start():m.end() + 10]}”", "warning")
                break


def _own_words(row: dict) -> str:
    """The words a line says as what it is: a heading up to its first ：/。 (the rest of a
    heading printed with its paragraph on one line is prose)."""
    text = canon(row["text"])
    return re.split(r"[：:。]", text, maxsplit=1)[0] if row["kind"] == HEADING else text


def _year_finding(ctx: DocContext, row: dict, said: int, own: int, what: str, severity: str) -> Finding:
    kind = "决算" if ctx.meta.get("doc_kind") == "final_accounts" else "预算"
    return _finding(row, "wording.year", severity,
                    f"{_where(ctx, row)}{what}写的是{said}年，本文档是{own}年度{kind}，请核对是否沿用了其他年度的内容")


@check("wording.department_name", "document", "部门名称与文档不一致", needs=(TEXTS,))
def department_name(ctx: DocContext) -> Iterator[Finding]:
    """A table header (部门：…, 编制部门：…, a coded department line) or a title naming the
    department (某某2023年度部门预算) that names another department than the document. An
    abbreviation (省人大办公厅 for 江苏省人大常委会办公厅), a unit of the department or a
    generic system name (工会部门) is fine."""
    own = ctx.meta.get("department_name")
    if not own:
        return
    for row in _texts(ctx):
        name = _named(row)
        if name and not _same_department(name, own):
            yield _finding(row, "wording.department_name", "error",
                           f"{_where(ctx, row)}所列单位“{name}”与本文档的部门“{own}”不一致，请核对是否套用了其他部门的表格或文字")


def _named(row: dict) -> str | None:
    text = canon(row["text"])
    if row["kind"] == HEADER:
        m = _NAME_FIELD.search(text) or _CODE_NAME.match(_HEADER_FIELDS.split(text)[0])
    else:  # a title or a short line that names the department with its year (某某2023年度部门预算)
        m = _TITLE_NAME.match(text) if row["kind"] in (TITLE, HEADING) or len(text) <= 40 else None
    if not m:
        return None
    name = _OWN_UNIT.sub("", m.group(1)).strip()
    if not is_department_name(name) or _GENERIC.search(name) or _NOT_A_NAME.match(name):
        return None
    return name if row["kind"] == HEADER or looks_like_organisation(name) else None


def _same_department(name: str, own: str) -> bool:
    """The same department, or an abbreviation or a unit of it: one name's characters appear
    in the other in order (省人大办公厅 in 江苏省人大常委会办公厅)."""
    short, long = sorted((canon(name), canon(own)), key=len)
    chars = iter(long)
    return all(c in chars for c in short)
