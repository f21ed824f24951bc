"""A handful of real SIPO gazette records with real e5 vectors, embedded once per test session and copied after."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

ANSWERS = ["2016110774629", "2010105774513", "2018113868311"]
FIRST = 7
_CACHE: dict = {}


def load() -> list[str]:
    """9 real records (the file's first 7, one of them an answer, and the three answers of the tests) with their e5 vectors; returns the ids."""
    from ipplatform.search import semantic
    from ipplatform.search.models import PatentEmbedding

    from .factories import make_patent

    path = Path(settings.REFERENCE_DATA_DIR) / "patents_cn" / "sipo_epub_yinwenzhi.jsonl"
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    chosen = list({r["申请号"]: r for r in recs[:FIRST] + [r for r in recs if r["申请号"] in ANSWERS]}.values())
    ids = []
    for r in chosen:
        ipc = r["分类号"].split("(")[0].strip()
        make_patent(
            r["申请号"],
            r["tile"],
            abstract=r["abstract"],
            applicants=r["申请人"],
            ipc=ipc,
            date=r["申请日"].replace(".", "-"),
            region="110108",
        )
        ids.append(r["申请号"])
    if "rows" not in _CACHE:
        semantic.embed_pending()
        _CACHE["rows"] = list(PatentEmbedding.objects.values("patent_id", "model", "text_hash", "vector"))
    else:
        PatentEmbedding.objects.bulk_create([PatentEmbedding(**row) for row in _CACHE["rows"]])
    return ids
