"""The registry of checks: stable ids, what each looks at, and how it is run.

A check is registered with :func:`check` under a stable id (``family.rule``)
and one of three kinds:

``identities``
    ``fn(ctx) -> Iterable[Identity]``: arithmetic identities of one document.
    They are evaluated together (:mod:`budgetlib.checks.identity`), so a wrong
    figure that breaks several of them is reported once, at that figure.
``document``
    ``fn(ctx) -> Iterable[Finding]``: any other rule about one document.
``dataset``
    ``fn(data) -> Iterable[Finding]``: rules across documents (duplicates, names).

Checks are data to the runner: adding one is adding a decorated function in
the module of its family; the runner, the CLI and the tests need no change.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from budgetlib.checks.views import DocView
from budgetlib.errors import DeclarationError

KINDS = ("identities", "document", "dataset")


@dataclass(frozen=True, slots=True)
class Check:
    id: str
    kind: str
    #: Short Chinese title, for summaries.
    title: str
    #: Tables (beyond line_items) the check needs; it is skipped when one is not in the data.
    needs: tuple[str, ...]
    run: Callable
    doc: str


@dataclass(slots=True)
class DocContext:
    """What a per-document check gets: the printed cells, the document row, and its other rows."""

    view: DocView
    meta: dict
    #: Rows of the other processed tables (narrative_facts, projects …) for this document.
    extra: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.view.doc_id

    def rows(self, table: str) -> list[dict]:
        return self.extra.get(table, [])


REGISTRY: dict[str, Check] = {}


def check(id: str, kind: str, title: str, needs: tuple[str, ...] = ()):
    """Register the decorated function as the check ``id``."""
    if kind not in KINDS:  # pragma: no cover - a programming error
        raise DeclarationError(f"unknown check kind {kind!r}")

    def register(fn: Callable) -> Callable:
        if id in REGISTRY:  # pragma: no cover - a programming error
            raise DeclarationError(f"check {id!r} registered twice")
        REGISTRY[id] = Check(id, kind, title, needs, fn, (fn.__doc__ or "").strip())
        return fn

    return register


def order() -> dict[str, int]:
    """Registry position of every check id (the precedence used when locating a faulty cell)."""
    return {cid: i for i, cid in enumerate(REGISTRY)}
