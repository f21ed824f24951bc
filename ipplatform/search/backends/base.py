"""The small interface every search engine implements; callers (services) never touch an engine directly."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..query import Node

SORTS = {
    "relevance": ("", None),
    "ad_desc": ("ad", "desc"),
    "ad_asc": ("ad", "asc"),
    "pd_desc": ("pd", "desc"),
    "pd_asc": ("pd", "asc"),
    "gd_desc": ("gd", "desc"),
    "gd_asc": ("gd", "asc"),
}
SORT_LABELS = {
    "relevance": "相关度",
    "ad_desc": "申请日（新→旧）",
    "ad_asc": "申请日（旧→新）",
    "pd_desc": "公开日（新→旧）",
    "pd_asc": "公开日（旧→新）",
    "gd_desc": "授权日（新→旧）",
    "gd_asc": "授权日（旧→新）",
}
FACETS = ("pt", "year", "city", "sec", "cls", "sub", "app", "et", "ls")


@dataclass
class EngineResult:
    total: int
    hits: list[tuple[str, float]]  # (patent id, score or sort key)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class IndexUnavailable(Exception):
    """The index is missing or damaged (callers rebuild it)."""


class SearchBackend(ABC):
    name = "base"

    @abstractmethod
    def search(
        self,
        node: Node,
        *,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: bool = True,
        facet_size: int = 10,
    ) -> EngineResult:
        """Hits of one page, the total and facet counts over the full result set."""

    @abstractmethod
    def ids(self, node: Node, *, sort: str = "ad_desc") -> list[str]:
        """Every matching patent id, in the given order."""

    @abstractmethod
    def update(self, *, docs: Iterable[dict], deleted: Iterable[str] = ()) -> int:
        """Replace (or add) the given documents and remove deleted ids; returns documents written."""

    @abstractmethod
    def rebuild(self, *, docs: Callable[[], Iterable[dict]], total: int | None = None, progress=None) -> dict:
        """Build a new index from scratch while the old one keeps serving, then swap atomically."""

    @abstractmethod
    def healthy(self) -> bool:
        """True when the index can be opened and read."""

    @abstractmethod
    def stats(self) -> dict:
        """Document count, size on disk, location."""

    def similar(self, *, text: str, ipc_prefixes: list[str], limit: int, exclude: set[str]) -> list[tuple[str, float]]:
        raise NotImplementedError
