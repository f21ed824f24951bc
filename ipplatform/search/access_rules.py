"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import EVERYONE, PROVINCIAL, SIGNED_IN, Obj, Rule, user


def _saved(owner):
    from ipplatform.search.models import SavedSearch

    return SavedSearch.objects.create(user=user(owner), name="访问矩阵", query="电池")


RULES = [
    Rule("search:search", allow=EVERYONE),
    Rule("search:help", allow=EVERYONE),
    Rule("search:export", allow=SIGNED_IN),
    Rule("search:history", allow=SIGNED_IN),
    Rule("search:saved", allow=SIGNED_IN),
    Rule(
        "search:saved_run",
        allow=frozenset({"city370100"}),
        obj=Obj("search.SavedSearch", make=lambda: _saved("city370100")),
        method="POST",
        why="a saved search is personal: only its owner runs or deletes it",
    ),
    Rule(
        "search:saved_delete",
        allow=frozenset({"city370100"}),
        obj=Obj("search.SavedSearch", make=lambda: _saved("city370100")),
        method="POST",
        why="a saved search is personal: only its owner runs or deletes it",
    ),
    Rule("search:ipc_children", allow=EVERYONE),
    Rule("search:patent_detail", allow=EVERYONE, obj=Obj("patents.Patent")),
    Rule("search:api_search", allow=SIGNED_IN, query="q=%E7%94%B5%E6%B1%A0"),
    Rule(
        "search:api_patent", allow=SIGNED_IN, obj=Obj("patents.Patent"), kwargs=lambda o: {"application_number": o.pk}
    ),
    Rule(
        "search:semantic",
        allow=EVERYONE,
        query="text=%E9%94%82%E7%94%B5%E6%B1%A0%E6%AD%A3%E6%9E%81%E6%9D%90%E6%96%99",
        why="like the text search page: public records, anyone may search",
    ),
    Rule(
        "search:semantic_status", allow=PROVINCIAL, why="vector index coverage and the embedding job: provincial staff"
    ),
    Rule(
        "search:api_semantic",
        allow=SIGNED_IN,
        query="text=%E9%94%82%E7%94%B5%E6%B1%A0%E6%AD%A3%E6%9E%81%E6%9D%90%E6%96%99",
    ),
]
