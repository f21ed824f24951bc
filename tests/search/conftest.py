"""Search fixtures: real patent records from data/patents_cn, imported once through the patents importer
(first use in a session) and copied into each later test's database with bulk inserts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

REAL_FILES = ["sipo_export_sample_carrotc.csv", "sipo_epub_yinwenzhi.jsonl"]
_CACHE: dict = {}


def _models():
    from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant, Publication

    return [Applicant, Patent, PatentApplicant, Publication, LegalEvent]


def load_real_patents() -> int:
    """About 2,000 real records (CNIPA export sample + SIPO publications) in the current test database."""
    from ipplatform.patents import services as patents
    from ipplatform.patents.models import Patent

    if not _CACHE:
        base = Path(settings.REFERENCE_DATA_DIR) / "patents_cn"
        for name in REAL_FILES:
            patents.import_file(path=base / name, send_signal=False)
        for model in _models():
            _CACHE[model] = list(model.objects.values())
    else:
        for model in _models():
            rows = [dict(r) for r in _CACHE[model]]
            if model.__name__ == "Applicant":
                for r in rows:
                    r["organization_id"] = None
            model.objects.bulk_create([model(**r) for r in rows], batch_size=500)
    return Patent.objects.count()


@pytest.fixture
def search_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def real_patents(db, reference_data, search_dir, tmp_path_factory):
    """Real records and an index over them (built once, then copied: the rows are identical); returns the count."""
    import shutil

    from ipplatform.search import services

    n = load_real_patents()
    if "index" not in _CACHE:
        services.rebuild_index()
        _CACHE["index"] = tmp_path_factory.mktemp("real-index") / "search"
        shutil.copytree(search_dir / "search", _CACHE["index"], symlinks=True)
    else:
        shutil.copytree(_CACHE["index"], search_dir / "search", symlinks=True)
    return n
