"""Explainable text and IPC matching: Chinese terms (jieba), shared terms, BM25 scoring, IPC proximity."""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from .textnorm import fold

# Boilerplate of patent abstracts and demand texts that says nothing about the technology.
STOPWORDS = frozenset(
    """
本发明 本实用新型 本外观设计 实用新型 发明 公开 涉及 一种 所述 包括 其特征 特征 在于 设有 设置 通过 实现 提供 具有 能够 可以
以及 其中 采用 进行 使得 用于 一个 多个 两个 至少 之间 上述 下述 该 此 从而 以便 方法 技术 问题 解决 需要 我们 我司 公司 企业
希望 要求 目前 现有 存在 效果 优点 有效 提高 降低 减少 增加 方便 简单 结构 简单 合理 特点 产品 生产 使用 应用 领域 方面 相关 情况
装置 系统 设备 处理 装备 部件 组件 单元 模块 控制 工艺 信息技术 高端 节能 环保 属于 尤其 包含 连接 位于 相对 对应 分别 若干
进一步 同时 并且 而且 或者 以上 以下 作为 根据 由于 因此 所以 不仅 还 也 等 及 与 和 或 的 了 在 是 为 对 将 把 被 其 各 每 个 种
""".split()
)

_TOKEN_OK = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z][a-z0-9\-]{2,}|\d+[a-z]+[a-z0-9]*")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def terms(text: str | None) -> list[str]:
    """Meaningful terms of a text in order of appearance (folded, boilerplate removed, repeats kept)."""
    text = fold(text)
    if not text:
        return []
    out = []
    for tok in _jieba().cut(text):
        tok = tok.strip()
        if tok and tok not in STOPWORDS and _TOKEN_OK.fullmatch(tok):
            out.append(tok)
    return out


def shared_terms(query: str, document: str, *, limit: int = 8, weights: Mapping[str, float] | None = None) -> list[str]:
    """Terms occurring in both texts, the most specific first (rarer by `weights`, else longer)."""
    doc = set(terms(document))
    seen: dict[str, int] = {}
    for i, t in enumerate(terms(query)):
        if t in doc and t not in seen:
            seen[t] = i
    key = (lambda t: (-weights.get(t, 0.0), seen[t])) if weights else (lambda t: (-len(t), seen[t]))
    return sorted(seen, key=key)[:limit]


class BM25:
    """A small in-memory BM25 index over term lists (for candidate sets of a few thousand texts)."""

    def __init__(self, docs: Mapping[str, str], *, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.tf: dict[str, Counter] = {key: Counter(terms(text)) for key, text in docs.items()}
        self.len = {key: sum(c.values()) for key, c in self.tf.items()}
        self.avg = (sum(self.len.values()) / len(self.len)) if self.len else 0.0
        df: Counter = Counter()
        for c in self.tf.values():
            df.update(c.keys())
        n = len(self.tf)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def score(self, query: str) -> list[tuple[str, float]]:
        """(key, score) of the documents sharing a term with the query, best first."""
        q = Counter(terms(query))
        out = []
        for key, tf in self.tf.items():
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.len[key] / (self.avg or 1))
            for t, qn in q.items():
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm) * (1 + math.log(qn))
            if s > 0:
                out.append((key, s))
        out.sort(key=lambda kv: (-kv[1], kv[0]))
        return out


# ---------------------------------------------------------------- IPC proximity

_IPC = re.compile(r"^([A-H])(\d\d)?([A-Z])?(\d+)?(?:/(\d+))?")
LEVEL_SCORE = {"group": 1.0, "subclass": 0.75, "class": 0.5, "section": 0.25}
LEVEL_LABEL = {"group": "同一大组", "subclass": "同一小类", "class": "同一大类", "section": "同一部"}


def ipc_parts(code: str) -> tuple[str, str, str, str]:
    """('H', 'H01', 'H01M', 'H01M10') of an IPC symbol; missing levels are empty."""
    code = (code or "").strip().upper().replace(" ", "")
    m = _IPC.match(code)
    if not m:
        return ("", "", "", "")
    section = m.group(1)
    klass = section + m.group(2) if m.group(2) else ""
    subclass = klass + m.group(3) if klass and m.group(3) else ""
    group = subclass + str(int(m.group(4))) if subclass and m.group(4) else ""
    return (section, klass, subclass, group)


def ipc_level(a: str, b: str) -> str:
    """The deepest shared level of two IPC symbols: 'group', 'subclass', 'class', 'section' or ''."""
    pa, pb = ipc_parts(a), ipc_parts(b)
    for level, i in (("group", 3), ("subclass", 2), ("class", 1), ("section", 0)):
        if pa[i] and pa[i] == pb[i]:
            return level
    return ""


def ipc_proximity(codes_a: Iterable[str], codes_b: Iterable[str]) -> tuple[float, str, str]:
    """Best proximity of two IPC code sets: (score 0..1, shared prefix such as 'F25D', Chinese label)."""
    best = (0.0, "", "")
    list_b = [c for c in codes_b if c]
    for a in codes_a:
        if not a:
            continue
        for b in list_b:
            level = ipc_level(a, b)
            if level and LEVEL_SCORE[level] > best[0]:
                idx = {"group": 3, "subclass": 2, "class": 1, "section": 0}[level]
                best = (LEVEL_SCORE[level], ipc_parts(a)[idx], LEVEL_LABEL[level])
    return best


def split_codes(text: str | None) -> list[str]:
    """IPC symbols from free text separated by ; , or spaces, upper-cased ('f25d 21/14' kept as one where possible)."""
    if not text:
        return []
    parts = re.split(r"[;；,，、\s]+", text.strip().upper())
    return [p for p in parts if _IPC.match(p)]
