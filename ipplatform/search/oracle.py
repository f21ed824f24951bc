"""Reference evaluator: the query semantics applied by brute force to document values (the tests' oracle)."""

from __future__ import annotations

import re
from functools import lru_cache

from .query import And, DateRange, HistoryRef, Keyword, MatchAll, Node, Not, Or, Prox, Text, is_truncated, pattern_regex

KEYWORD_LISTS = {"an": "an", "pn": "pn", "ic": "ic", "mc": "mc", "rc": "rc"}
KEYWORD_SINGLE = ("pt", "ls", "et")
# Truncated IPC values are matched against the full symbols, not their ancestors.
TRUNCATION_LISTS = {"ic": "ics", "mc": "mcs"}


@lru_cache(maxsize=512)
def _regex(pattern: str, anchored: bool):
    return re.compile(pattern_regex(pattern, anchored=anchored, any_char="." if anchored else "[^\n]"))


def find_all(text: str, needle: str) -> list[int]:
    out, start = [], text.find(needle)
    while start >= 0:
        out.append(start)
        start = text.find(needle, start + 1)
    return out


def near(text: str, left: str, right: str, distance: int, ordered: bool) -> bool:
    """True when `right` starts within `distance` characters after the end of `left` (or either way round)."""
    ls, rs = find_all(text, left), find_all(text, right)
    if not ls or not rs:
        return False
    for i in ls:
        end = i + len(left)
        for j in rs:
            if end <= j <= end + distance and "\n" not in text[i:j]:
                return True
    if not ordered:
        for j in rs:
            end = j + len(right)
            for i in ls:
                if end <= i <= end + distance and "\n" not in text[j:i]:
                    return True
    return False


def text_matches(value: str, pattern: str) -> bool:
    if is_truncated(pattern):
        return _regex(pattern, False).search(value) is not None
    return pattern.replace("\x00", "") in value


def keyword_matches(doc: dict, node: Keyword) -> bool:
    if node.field in KEYWORD_SINGLE:
        return doc[node.field] == node.value
    if is_truncated(node.value):
        rx = _regex(node.value, True)
        return any(rx.match(v) for v in doc[TRUNCATION_LISTS.get(node.field, node.field)])
    return node.value in doc[node.field]


def matches(node: Node, doc: dict) -> bool:
    """Does `doc` (from documents.document) satisfy the resolved query `node`?"""
    if isinstance(node, And):
        return all(matches(c, doc) for c in node.children)
    if isinstance(node, Or):
        return any(matches(c, doc) for c in node.children)
    if isinstance(node, Not):
        return not matches(node.child, doc)
    if isinstance(node, Text):
        return any(text_matches(doc[f], node.pattern) for f in node.fields)
    if isinstance(node, Prox):
        return any(near(doc[f], node.left, node.right, node.distance, node.ordered) for f in node.fields)
    if isinstance(node, DateRange):
        v = doc[node.field]
        return bool(v) and (node.low is None or v >= node.low) and (node.high is None or v <= node.high)
    if isinstance(node, Keyword):
        return keyword_matches(doc, node)
    if isinstance(node, MatchAll):
        return True
    if isinstance(node, HistoryRef):
        raise ValueError("history references must be resolved before evaluation")
    raise TypeError(node)


def evaluate(node: Node, docs) -> set[str]:
    """Ids of the documents that match."""
    return {d["id"] for d in docs if matches(node, d)}
