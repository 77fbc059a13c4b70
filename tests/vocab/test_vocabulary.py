"""Where two declarations of one idea must exist, they agree.

The vocabulary (fact keys, total labels, headline places, table names) is declared
once in budgetlib.vocab; the extraction rules, the checks and the reports name it
again only where they must (a rule's pattern, a message). These tests fail as soon
as one side names something the other does not know.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from budgetlib.checks import other_figures
from budgetlib.extract import headers, prose_facts, recognise, small_tables
from budgetlib.vocab import facts, headlines, labels
from budgetlib.vocab import small_tables as small
from budgetlib.vocab.contract import SCHEMAS
from budgetlib.vocab.tables import ALL_TABLES, TABLES_BY_KEY, THREE_PUBLIC_ITEMS

PACKAGE = Path(prose_facts.__file__).resolve().parents[1]


def _bases() -> set[str]:
    """Every fact a prose rule, a listed item or a 小计 names directly."""
    return {r.fact for r in prose_facts.RULES} | set(facts.ITEMS_OF.values()) | set(facts.PARENT.values())


def _produced() -> set[str]:
    """Every fact key the prose reader can write: the bases and their change, prior and budget forms."""
    bases = _bases()
    forms = {key(b) for b in bases for key in (facts.change_key, facts.prior_key, facts.budget_key)}
    return bases | forms


# ----------------------------------------------------------------------- prose facts


def test_every_fact_a_rule_produces_has_a_label():
    missing = sorted(f for f in _bases() if f not in facts.FACT_LABELS)
    assert not missing, f"facts produced by a rule without a label in vocab/facts.py: {missing}"


def test_every_key_form_is_labelled_in_chinese():
    raw = sorted(k for k in _produced() if re.search(r"[a-z]", facts.fact_label(k)))
    assert not raw, f"fact keys whose label falls back to the key: {raw}"


def test_every_labelled_fact_is_produced():
    unknown = sorted(set(facts.FACT_LABELS) - _produced())
    assert not unknown, f"labels of facts no rule or derivation produces: {unknown}"


def test_relations_name_produced_facts():
    produced = _produced()
    named = set(facts.PARTS) | {p for ps in facts.PARTS.values() for p in ps}
    named |= set(facts.ITEMS_OF) | set(facts.OPTIONAL_PARTS) | {p for ps in facts.OPTIONAL_PARTS.values() for p in ps}
    named |= set(facts.CHANGE_KEYS) | set(facts.PRIOR_KEYS) | set(facts.SUBJECT_LABELS) | set(facts.YEARS_BACK)
    named |= {p for ps in facts.prose_parts().values() for p in ps} | set(facts.prose_parts())
    assert not sorted(named - produced), sorted(named - produced)


def test_the_contract_names_key_forms_for_the_main_totals():
    assert set(facts.CHANGE_KEYS) == set(facts.PRIOR_KEYS) == set(facts.MAIN_TOTALS)


# ----------------------------------------------------------------------- total labels


def test_recogniser_uses_the_declared_total_labels():
    assert recognise.DATA_START_TOTALS is labels.DATA_START_TOTALS
    assert headers.DATA_START_TOTALS is labels.DATA_START_TOTALS
    every = labels.YEAR_TOTALS | labels.GRAND_TOTALS | labels.PLAIN_TOTALS | labels.SUM_WORDS
    assert labels.DATA_START_TOTALS <= every
    assert labels.TABLE_TOTALS <= every and labels.BARE_TOTALS <= labels.TABLE_TOTALS


def _all_total_labels() -> set[str]:
    sets = [v for v in vars(labels).values() if isinstance(v, frozenset)]
    return set().union(*sets) | {labels.row_total(w) for w in ("人员经费", "公用经费")}


def _label_collections(path: Path) -> list[tuple[int, list[str]]]:
    """Set, tuple and list literals of two or more strings that are all total labels."""
    known = _all_total_labels()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            texts = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(texts) >= 2 and len(texts) == len(node.elts) and all(t in known for t in texts):
                found.append((node.lineno, texts))
    return found


def test_total_labels_are_written_only_in_vocab_labels():
    written = {
        str(path.relative_to(PACKAGE)): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "labels.py" and (hits := _label_collections(path))
    }
    assert not written, f"total labels listed outside budgetlib/vocab/labels.py: {written}"


# ------------------------------------------------------------------ headline figures


def _column_keys(table: str) -> set[str]:
    return {c.key for layout in TABLES_BY_KEY[table].layouts for c in layout.columns}


@pytest.mark.parametrize("figure", sorted(headlines.HEADLINES))
def test_headline_places_name_declared_tables_and_columns(figure):
    for place in headlines.HEADLINES[figure]:
        assert place.table in TABLES_BY_KEY, (figure, place.table)
        assert set(place.columns) <= _column_keys(place.table), (figure, place.table, place.columns)
        assert place.readers and place.readers <= headlines.BOTH, (figure, place)
        if place.row == headlines.ROLE:
            assert place.role in THREE_PUBLIC_ITEMS, (figure, place.role)
        if place.row in (headlines.ROW_NO,):
            assert place.row_no is not None, (figure, place)
        if place.row in (headlines.LABELLED, headlines.YEAR_TOTAL, headlines.GRAND_TOTAL):
            assert set(place.labels) <= _all_total_labels(), (figure, place.labels)


def test_headline_figures_are_prose_facts():
    unknown = sorted(set(headlines.HEADLINES) - set(facts.FACT_LABELS))
    assert not unknown, f"headline figures that are no prose fact: {unknown}"
    for reader in (headlines.REPORTS, headlines.PROSE):
        assert headlines.figures_of(reader), reader


# ---------------------------------------------------------------------- table names


def test_small_tables_are_read_and_checked_from_one_declaration():
    assert small_tables.PROCUREMENT is small.PROCUREMENT and small_tables.ASSETS is small.ASSETS
    assert other_figures.PSEUDO_TABLES[other_figures.PROCUREMENT][0] == small.PROCUREMENT.name
    assert other_figures.PSEUDO_TABLES[other_figures.ASSETS][0] == small.ASSETS.name


@pytest.mark.parametrize("table, layout", [("procurement", small.PROCUREMENT), ("assets", small.ASSETS)])
def test_small_table_columns_are_contract_columns(table, layout):
    fields = set(SCHEMAS[table].names)
    missing = [key for key, _label, _kind in layout.columns if key not in fields]
    assert not missing, f"columns of {layout.name} the contract's {table} table lacks: {missing}"
    if table == other_figures.PROCUREMENT:
        assert set(other_figures.PROCUREMENT_COL) <= fields


def test_checks_name_tables_as_declared():
    for spec in ALL_TABLES:
        assert other_figures.table_name(spec.key) == spec.name


#: Words a message may leave out of a table's declared name (支出表 for 一般公共预算财政拨款支出表).
_QUALIFIERS = re.compile(r"财政拨款|一般公共预算|预算")
_TABLE_WORD = re.compile(r"[\u4e00-\u9fff“”]+?(?:总表|支出表|经费表|情况表|预算表|目标表)")


def _short(name: str) -> str:
    return _QUALIFIERS.sub("", re.sub(r"（.*?）", "", name))


def _names_part_of(word: str, declared: set[str]) -> bool:
    """A message names a table by the end of its declared name (绩效目标表 for 项目绩效目标表)."""
    short = _short(word)
    return len(short) >= 3 and any(name.endswith(short) for name in declared)


def _message_strings(path: Path) -> list[str]:
    """String constants of a module other than docstrings (messages, check titles)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and isinstance(n.body[0], ast.Expr)
    }
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_table_names_in_check_messages_are_declared_names():
    declared = {_short(s.name) for s in ALL_TABLES} | {_short(n) for n, _cols in other_figures.PSEUDO_TABLES.values()}
    declared |= {_short(n) for n in other_figures.OTHER_TABLES.values()}
    unknown = []
    for path in sorted((PACKAGE / "checks").glob("*.py")):
        for text in _message_strings(path):
            for word in _TABLE_WORD.findall(text):
                if not any(_names_part_of(word[i:], declared) for i in range(len(word))):
                    unknown.append((path.name, word))
    assert not unknown, f"table names in check messages that no declaration has: {unknown}"
