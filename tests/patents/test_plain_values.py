"""bulk.plain_values gives exactly what QuerySet.values() gives, on the real CNIPA sample."""

import datetime as dt

from ipplatform.analytics.aggregates import PATENT_FIELDS
from ipplatform.patents import bulk, services
from ipplatform.patents.models import Patent
from ipplatform.search.documents import DOCUMENT_FIELDS

from .conftest import write_csv


def test_plain_values_equal_the_orm_values_for_every_field_kind(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    services.import_file(path=write_csv(tmp_path / "real.csv", header, rows), mode="lenient")
    fields = tuple(dict.fromkeys(DOCUMENT_FIELDS + PATENT_FIELDS))
    qs = Patent.objects.order_by("pk")
    plain = bulk.plain_values(qs, fields)
    orm = list(qs.values(*fields))
    assert len(plain) == len(orm) == len(rows)
    assert plain == orm
    first = plain[0]
    # each conversion was exercised: dates, an aware datetime, JSON lists and a boolean
    assert isinstance(first["application_date"], dt.date) and isinstance(first["created_at"], dt.datetime)
    assert first["created_at"].utcoffset() == dt.timedelta(0)
    assert isinstance(first["ipc_all"], list) and first["ipc_all"] and isinstance(first["inventors"], list)
    assert first["is_synthetic"] is False
    assert sum(1 for r in plain if r["grant_date"] is None) < len(plain)


def test_plain_values_keep_the_filter_and_handle_no_rows(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    services.import_file(path=write_csv(tmp_path / "real.csv", header, rows[:20]), mode="lenient")
    ids = list(Patent.objects.order_by("pk").values_list("pk", flat=True)[:3])
    got = bulk.plain_values(Patent.objects.filter(bulk.among("pk", ids)).order_by("pk"), ("id", "title"))
    assert [r["id"] for r in got] == ids and all(r["title"] for r in got)
    assert bulk.plain_values(Patent.objects.filter(pk="none"), ("id", "grant_date")) == []
