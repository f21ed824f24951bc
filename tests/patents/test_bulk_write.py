"""bulk.insert / bulk.write_rows: conflicts skipped or summed in one statement, values stored as the ORM stores them."""

import datetime as dt

from ipplatform.analytics import aggregates
from ipplatform.analytics.models import YearBucket
from ipplatform.patents import bulk
from ipplatform.patents.models import Applicant, Patent, Publication


def test_insert_skips_conflicts_within_the_batch_and_with_stored_rows(db):
    Patent.objects.create(id="2015100000001", title="甲")
    Patent.objects.create(id="2015100000002", title="乙")
    bulk.insert(
        Publication,
        [bulk.new(Publication, patent_id="2015100000001", number="CN100000001A", kind="A", date=dt.date(2015, 3, 4))],
        ignore_conflicts=True,
        conflict_fields=("number",),
    )
    sent = bulk.insert(
        Publication,
        [
            bulk.new(
                Publication, patent_id="2015100000002", number="CN100000001A", kind="A", date=None
            ),  # stored already
            bulk.new(Publication, patent_id="2015100000002", number="CN100000002U", kind="U", date=dt.date(2016, 1, 2)),
            bulk.new(
                Publication, patent_id="2015100000001", number="CN100000002U", kind="U", date=None
            ),  # twice in one batch
        ],
        ignore_conflicts=True,
        conflict_fields=("number",),
    )
    assert sent == 3
    stored = dict(Publication.objects.values_list("number", "patent_id"))
    assert stored == {"CN100000001A": "2015100000001", "CN100000002U": "2015100000002"}  # the first owner kept
    assert Publication.objects.get(number="CN100000001A").date == dt.date(2015, 3, 4)
    assert Publication.objects.get(number="CN100000002U").date == dt.date(2016, 1, 2)


def test_insert_stores_mixed_numbers_nulls_and_defaults_as_the_orm_would(db):
    rows = [
        bulk.new(
            Applicant,
            name="青岛海尔股份有限公司",
            entity_type="enterprise",
            region_code="370200",
            region_confidence=0.95,
        ),
        bulk.new(Applicant, name="张三", entity_type="individual", region_confidence=0),  # an int beside floats
        bulk.new(Applicant, name="山东大学", entity_type="university", region_confidence=1),
    ]
    bulk.insert(Applicant, rows, ignore_conflicts=True, conflict_fields=("name",))
    got = {a.name: a for a in Applicant.objects.all()}
    assert got["青岛海尔股份有限公司"].region_confidence == 0.95 and got["张三"].region_confidence == 0.0
    assert got["山东大学"].region_confidence == 1.0 and got["张三"].region_code == "" and got["张三"].country == "CN"
    assert (
        got["张三"].organization_id is None
        and got["张三"].patent_count == 0
        and got["张三"].entity_type_manual is False
    )


def test_bucket_upsert_adds_to_stored_counts_and_creates_new_keys(db):
    key = ("application", "370200", "invention", "enterprise", False)
    aggregates._apply(YearBucket, "year", {key + (2015,): 3})
    aggregates._apply(YearBucket, "year", {key + (2015,): 2, key + (2016,): 7, key + (2014,): 0})
    counts = dict(YearBucket.objects.filter(area="370200").values_list("year", "n"))
    assert counts == {2015: 5, 2016: 7}  # a zero delta writes nothing
    aggregates._apply(YearBucket, "year", {key + (2016,): -7})
    assert dict(YearBucket.objects.filter(area="370200").values_list("year", "n")) == {
        2015: 5
    }  # counts at zero are removed
