"""专题库: rules, manual lists kept across refreshes, updates when data arrives, check sheets."""

from __future__ import annotations

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.navigation import services
from ipplatform.navigation.models import Membership, ThematicDatabase

from .conftest import make_patent


def members(db) -> set[str]:
    return set(Membership.objects.filter(db=db).values_list("patent_id", flat=True))


def test_prefix_parsing_and_errors():
    assert services.parse_prefixes(text="h01m\nH01M 10/00, B60L58/12") == ["H01M", "H01M10/", "B60L58/12"]
    with pytest.raises(InputError) as err:
        services.parse_prefixes(text="H01M\nH01M, 12X")
    assert err.value.line == 2 and "12X" in err.value.message and err.value.position == 7


def test_ipc_rule_matches_any_classification(nav_data):
    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    db.refresh_from_db()
    # main class H01M: P1 P2 P3 P6; Q2 only has H01M50/20 as a further class
    assert members(db) == {"P1", "P2", "P3", "P6", "Q2"}
    assert db.member_count == 5 and db.data_cutoff.isoformat() == "2021-02-01"
    group = services.save_database(name="电池组", ipc_text="H01M10/00")
    services.refresh_database(db_id=group.pk)
    assert members(group) == {"P1", "P3", "P6"}


def test_manual_lists_survive_refresh_and_new_data(nav_data):
    from ipplatform.patents.signals import patents_changed

    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    services.set_manual(db=db, ids=services.resolve_ids(text="P4"), action="include", note="整车电池管理")
    services.set_manual(db=db, ids=["P2"], action="exclude", note="非相关")
    assert members(db) == {"P1", "P3", "P6", "Q2", "P4"}
    services.refresh_database(db_id=db.pk)
    assert members(db) == {"P1", "P3", "P6", "Q2", "P4"}
    # New data arrives: a matching record joins, the excluded one stays out even when it changes
    make_patent(
        (
            "P9",
            "invention",
            None,
            None,
            None,
            "H01M50/10",
            ["H01M50/10"],
            [],
            ["甲公司"],
            ("370000", "370200"),
            "pending",
            1,
            None,
            "",
        )
    )
    patents_changed.send(sender=None, ids=["P9", "P2"], deleted=[])
    db.refresh_from_db()
    assert members(db) == {"P1", "P3", "P6", "Q2", "P4", "P9"} and db.member_count == 6
    # A deleted record leaves the membership
    from ipplatform.patents.models import Patent

    Patent.objects.filter(pk="P6").delete()
    patents_changed.send(sender=None, ids=[], deleted=["P6"])
    db.refresh_from_db()
    assert db.member_count == 5
    # Withdrawing the exclusion lets the rule apply again
    entry = db.manual_entries.get(patent_id="P2")
    services.remove_manual(db=db, entry_id=entry.pk)
    assert "P2" in members(db)


def test_unknown_number_is_named_with_its_line(nav_data):
    with pytest.raises(InputError) as err:
        services.resolve_ids(text="P1\nCN999")
    assert err.value.line == 2 and "999" in err.value.message


def test_definition_needs_a_rule(db):
    with pytest.raises(InputError, match="至少填写一项"):
        services.save_database(name="空")
    with pytest.raises(InputError, match="1—35"):
        services.save_database(name="x", tech_fields=[36])


def test_wipo_fields_define_membership(nav_data):
    from ipplatform.core import reference

    reference.load_tech_fields()  # the WIPO concordance only (the full IPC table is not needed here)
    db = services.save_database(name="电气机械", tech_fields=[1])  # field 1 includes H01M
    services.refresh_database(db_id=db.pk)
    assert {"P1", "P2", "P3", "P6", "Q2"} <= members(db)
    assert "A01B1/02" not in {p for p in members(db)}


def test_query_rule_uses_the_search_language(nav_data, settings):
    pytest.importorskip("ipplatform.search.services")
    from ipplatform.search import services as search

    search.rebuild_index()
    db = services.save_database(name="效率", query="AB=提高效率")
    services.refresh_database(db_id=db.pk)
    assert members(db) == {"P1", "P4"}
    subject = services.resolve_subject(kind="query", value="AB=提高效率", user=None)  # an ad-hoc query is a subject too
    assert sorted(subject.patents) == ["P1", "P4"]
    assert services.compute(subject=subject, keys=["applicants"])["applicants"]["figures"]["CR4"] == 100.0
    both = services.save_database(name="效率且电池", query="AB=提高效率", ipc_text="H01M", combine="intersection")
    services.refresh_database(db_id=both.pk)
    assert members(both) == {"P1"}
    with pytest.raises(InputError) as err:
        services.save_database(name="坏", query="AB=(电池")
    assert err.value.position is not None


def test_check_sheet_precision_and_recall(nav_data):
    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    sheet = services.create_check_sheet(db=db, size=3, seed=7)
    items = list(sheet.items.all())
    assert len(items) == 3 and {i.patent_id for i in items} <= members(db)
    again = services.create_check_sheet(db=db, size=3, seed=7)
    assert [i.patent_id for i in again.items.all()] == [i.patent_id for i in items]  # the seed reproduces the sample
    services.mark_items(sheet=sheet, marks={items[0].pk: True, items[1].pk: True, items[2].pk: False})
    stats = services.sheet_stats(sheet=sheet)
    assert stats["precision"] == 0.6667 and stats["judged"] == 3
    assert stats["low"] == pytest.approx(0.2077, abs=1e-3) and stats["high"] == pytest.approx(0.9385, abs=1e-3)
    assert stats["estimated_relevant"] == round(5 * 2 / 3)
    services.set_recall_list(sheet=sheet, text="P1\nP3\nQ1")
    stats = services.sheet_stats(sheet=sheet)
    assert stats["recall"] == 0.6667 and stats["missed"] == ["Q1"]
    with pytest.raises(InputError):
        services.create_check_sheet(db=db, size=0)


def test_presets_created_and_kept_when_edited(db):
    dbs = services.ensure_presets()
    names = {d.name for d in dbs}
    assert {
        "山东半岛蓝色经济区海洋经济",
        "新一代信息技术",
        "高端装备制造",
        "新材料",
        "生物医药",
        "新能源",
        "节能环保",
        "化工（传统产业）",
        "纺织（传统产业）",
        "冶金（传统产业）",
        "机械（传统产业）",
        "食品（传统产业）",
    } == names
    marine = ThematicDatabase.objects.get(preset_key="marine")
    marine.ipc_prefixes = ["B63B"]
    marine.save()
    services.ensure_presets()
    assert ThematicDatabase.objects.get(preset_key="marine").ipc_prefixes == ["B63B"]
    services.ensure_presets(reset=True)
    assert "E02B" in ThematicDatabase.objects.get(preset_key="marine").ipc_prefixes
    for d in ThematicDatabase.objects.all():  # every preset query is valid in the search language
        services.validate_query(query=d.query)


def test_visibility_follows_scope(nav_data, users):
    mine = services.save_database(user=users["city370200"], name="青岛专题", ipc_text="H01M")
    shared = services.save_database(user=users["guihua"], name="共享", ipc_text="H01M", is_shared=True)
    assert set(services.visible_databases(users["city370300"])) == {shared}
    assert set(services.visible_databases(users["city370200"])) == {mine, shared}
    assert mine in set(services.visible_databases(users["leader"]))
    assert not services.can_edit_database(users["city370300"], mine)
    assert services.can_edit_database(users["guihua"], shared)


def test_bulk_arrival_triggers_a_full_refresh(nav_data, monkeypatch):
    from ipplatform.patents.signals import patents_changed

    db = services.save_database(name="电池", ipc_text="H01M")
    services.refresh_database(db_id=db.pk)
    services.set_manual(db=db, ids=["P2"], action="exclude")
    monkeypatch.setattr(services, "FULL_REFRESH_ABOVE", 1)
    make_patent(
        (
            "P9",
            "invention",
            None,
            None,
            None,
            "H01M50/10",
            ["H01M50/10"],
            [],
            ["甲公司"],
            ("370000", "370200"),
            "pending",
            1,
            None,
            "",
        )
    )
    make_patent(
        (
            "P8",
            "invention",
            None,
            None,
            None,
            "A01B1/00",
            ["A01B1/00"],
            [],
            ["甲公司"],
            ("370000", "370200"),
            "pending",
            1,
            None,
            "",
        )
    )
    patents_changed.send(sender=None, ids=["P8", "P9"], deleted=[])
    db.refresh_from_db()
    assert (
        members(db) == {"P1", "P3", "P6", "Q2", "P9"}
        and "规则命中6件" in db.refresh_note
        and "人工排除1件" in db.refresh_note
    )
