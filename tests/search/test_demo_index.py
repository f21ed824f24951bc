"""The demo keeps the index the imports maintained when it holds every record, and rebuilds it otherwise."""

from __future__ import annotations

import io

import pytest

from ipplatform.patents.models import Patent
from ipplatform.search import demo, services

pytestmark = pytest.mark.django_db


def test_demo_index_not_rebuilt_when_complete(reference_data, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    Patent.objects.bulk_create(
        [Patent(id=f"20161000000{i}1", patent_type="invention", title=f"测试{i}", source="manual") for i in range(3)]
    )
    services.rebuild_index()
    out = io.StringIO()
    assert demo.load(stdout=out, options={}) | {"vectors": None} == {"indexed": 3, "rebuilt": False, "vectors": None}
    assert "未重建" in out.getvalue()
    Patent.objects.bulk_create(
        [Patent(id="2016100000991", patent_type="invention", title="索引外的记录", source="manual")]
    )  # no signal
    out = io.StringIO()
    assert demo.load(stdout=out, options={}) | {"vectors": None} == {"indexed": 4, "rebuilt": True, "vectors": None}
    assert "索引 3 件、数据库 4 件，不一致" in out.getvalue()
    assert demo.load(stdout=io.StringIO(), options={"rebuild_index": True})["rebuilt"] is True
