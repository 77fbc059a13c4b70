"""Match project names in the prose to the projects of the performance tables.

The prose names a project loosely ("市级以上劳动模范进行健康体检安排4.02万元")
where its table says "市级以上劳模体检". Names are compared by the Dice
coefficient of their character bigrams; each prose figure goes to at most one
project, best pairs first, and only above :data:`THRESHOLD`.
"""
from __future__ import annotations

from budgetlib.vocab.text import canon

THRESHOLD = 0.45
_NOISE = str.maketrans("", "", "项目资金经费的")


def _bigrams(name: str) -> list[str]:
    text = canon(name).translate(_NOISE) or canon(name)
    return [text[i : i + 2] for i in range(len(text) - 1)] or [text]


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    pool = list(y)
    common = 0
    for gram in x:
        if gram in pool:
            pool.remove(gram)
            common += 1
    return 2 * common / (len(x) + len(y))


def match_names(names: list[str], subjects: list[str]) -> dict[int, int]:
    """Best one-to-one pairs ``{index in names: index in subjects}`` above the threshold."""
    scored = sorted(
        ((similarity(n, s), i, j) for i, n in enumerate(names) for j, s in enumerate(subjects)),
        reverse=True,
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in scored:
        if score < THRESHOLD:
            break
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs
