import datetime as dt

import pytest

from ipplatform.core import regions
from ipplatform.patents import attribution, services
from ipplatform.patents.enums import EntityType, LegalEventCode, RegionMethod
from ipplatform.patents.models import VALIDITY_PRESUMPTION, Applicant, LegalEvent, Patent

from .conftest import write_csv


@pytest.mark.parametrize(
    "address, postcode, region, city, method",
    [
        # real addresses from data/patents_cn/sipo_export_sample_carrotc.csv
        ("山东省莱芜市钢城区友谊大街38号", "271104", "371203", "371200", RegionMethod.POSTCODE_ADDRESS),
        ("山东省济南市章丘市圣井镇科技园中心路5号", "", "370181", "370100", RegionMethod.ADDRESS_COUNTY),
        ("山东省聊城市振兴西路嘉和公寓B座214室", "252000", "371500", "371500", RegionMethod.POSTCODE_ADDRESS),
        ("青岛市崂山区海尔路1号", "", "370212", "370200", RegionMethod.ADDRESS_COUNTY),
        ("山东省寿光市圣城街", "262700", "370783", "370700", RegionMethod.POSTCODE_ADDRESS),
        ("江苏省南通市海安县老坝港镇海港村16组", "226634", "320000", "", RegionMethod.POSTCODE_ADDRESS),
        ("北京市怀柔区雁栖经济开发区", "", "110000", "", RegionMethod.ADDRESS_PROVINCE),
        ("", "266071", "370200", "370200", RegionMethod.POSTCODE),
    ],
)
def test_addresses(reference_data, address, postcode, region, city, method):
    a = attribution.attribute(address, postcode, "")
    assert (a.region_code, a.city_code, a.method) == (region, city, method)
    assert 0 < a.confidence <= 1


def test_laiwu_stays_as_filed_and_maps_to_today_only_when_asked(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    laiwu = [r for r in rows if "莱芜" in r[12]]
    assert laiwu, "the real sample has a 2012 莱芜 address"
    services.import_file(path=write_csv(tmp_path / "laiwu.csv", header, laiwu))
    p = Patent.objects.get(pk=laiwu[0][0].replace("CN", "").replace(".", ""))
    assert (p.region_code, p.city_code, p.province_code) == ("371203", "371200", "370000")
    assert regions.to_current(p.city_code) == "370100" and regions.to_current(p.region_code) == "370117"
    assert p.first_applicant.region_code == "371203"


def test_unattributed_are_counted_not_guessed(patents_env, tmp_path):
    rows = [
        ["CN201220249767.4", "一种轨枕", "某某有限公司", ""],  # no address: unattributed
        ["CN201220249771.0", "改进的轨枕", "青岛某某机械有限公司", ""],  # name only: weak, labelled
        ["CN201220255217.3", "减振器", "ACME CORPORATION", ""],
    ]  # foreign name
    services.import_file(path=write_csv(tmp_path / "x.csv", ["申请号", "名称", "申请（专利权）人", "地址"], rows))
    s = services.unattributed_summary()
    assert s["unattributed"] == 2 and s["weak"] == 1 and s["total"] == 3
    weak = Patent.objects.get(pk="2012202497710")
    assert (weak.city_code, weak.region_method, weak.region_confidence) == ("370200", RegionMethod.APPLICANT_NAME, 0.4)
    reasons = {r["region_note"] for r in s["by_reason"]}
    assert reasons == {"无地址和邮编", "境外申请人（名称）"}


@pytest.mark.parametrize(
    "name, kind",
    [
        ("海尔集团公司", EntityType.ENTERPRISE),
        ("山东大学", EntityType.UNIVERSITY),
        ("中国科学院大学", EntityType.UNIVERSITY),
        ("山东大学科技开发公司", EntityType.ENTERPRISE),
        ("中国科学院海洋研究所", EntityType.INSTITUTE),
        ("青岛市知识产权局", EntityType.GOVERNMENT),
        ("山东省千佛山医院", EntityType.GOVERNMENT),
        ("顾国生", EntityType.INDIVIDUAL),
        ("LONZA LTD", EntityType.ENTERPRISE),
        ("青岛海尔研究院有限公司", EntityType.ENTERPRISE),
        ("寿光市蔬菜种植专业合作社", EntityType.ENTERPRISE),
    ],
)
def test_entity_types(name, kind):
    assert attribution.infer_entity_type(name) == kind


def test_manual_edit_is_kept_audited_and_propagated(patents_env, tmp_path, users):
    services.import_file(
        path=write_csv(
            tmp_path / "x.csv",
            ["申请号", "名称", "申请（专利权）人"],
            [["CN201220249767.4", "一种轨枕", "某某有限公司"]],
        )
    )
    a = Applicant.objects.get(name="某某有限公司")
    services.update_applicant(
        applicant=a, entity_type=EntityType.INSTITUTE, region_code="370881", user=users["admin"], reason="核实营业执照"
    )
    p = Patent.objects.get()
    assert (p.applicant_type, p.region_code, p.city_code, p.region_method) == (
        EntityType.INSTITUTE,
        "370881",
        "370800",
        RegionMethod.MANUAL,
    )
    from ipplatform.core.models import AuditEvent

    assert AuditEvent.objects.filter(object_type="patents.applicant", action="update").exists()
    # re-importing does not undo the manual type
    services.import_file(
        path=write_csv(
            tmp_path / "y.csv",
            ["申请号", "名称", "申请（专利权）人"],
            [["CN201220249767.4", "一种轨枕（新）", "某某有限公司"]],
        )
    )
    a.refresh_from_db()
    assert a.entity_type == EntityType.INSTITUTE and a.entity_type_manual
    with pytest.raises(Exception) as exc:
        services.update_applicant(applicant=a, region_code="379999")
    assert "379999" in str(exc.value)


def test_valid_at_from_imported_events(patents_env, tmp_path, carrot_rows):
    header, rows = carrot_rows
    services.import_file(path=write_csv(tmp_path / "u.csv", header, rows[:1]))
    p = Patent.objects.get()
    grant = p.grant_date
    assert grant == dt.date(2013, 1, 2)
    assert not p.valid_at(grant - dt.timedelta(days=1))
    assert p.valid_at(grant) and p.valid_at(dt.date(2020, 1, 1))
    assert not p.valid_at(dt.date(2022, 5, 31))  # utility model: 10 years from 2012-05-31
    assert p.validity_is_presumed() and "推定" in VALIDITY_PRESUMPTION
    LegalEvent.objects.create(patent=p, date=dt.date(2015, 6, 1), code=LegalEventCode.FEE_LAPSE, source="test")
    p = Patent.objects.get()
    assert p.valid_at(dt.date(2015, 5, 31)) and not p.valid_at(dt.date(2015, 6, 1)) and not p.validity_is_presumed()
