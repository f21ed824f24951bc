"""Real rows of the Tai'an and Patentics exports (slices in tests/patents/data), imported through the general mapping
importer with the demo's saved mappings: their quirks (three application-number forms, Locarno classes, yyyymmdd dates,
" | "-joined values, padded IPC codes, a trailing comma on every data line)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ipplatform.patents import demo, services
from ipplatform.patents.enums import PatentType
from ipplatform.patents.models import Patent

pytestmark = pytest.mark.django_db
SLICES = Path(__file__).resolve().parent / "data"


def test_taian_slice(patents_env):
    mapping = demo.demo_mappings()["taian_patents_qdqzy.xlsx"]
    r = services.import_file(path=SLICES / "taian_slice.xlsx", fmt="csv", mapping=mapping)
    assert (r.read, r.created, r.rejected) == (10, 10, 0)
    # CN + 8 digits without check digit (1985): the check character is computed
    p = Patent.objects.get(pk="851024750")
    assert (p.application_number, p.patent_type, p.application_date) == (
        "CN85102475.0",
        PatentType.INVENTION,
        dt.date(1985, 4, 1),
    )
    # CN + 8 digits + "." + X; a design whose 主分类号 is a Locarno class ("09-01-B0367"): typed from the number, no IPC stored
    d = Patent.objects.get(pk="88301257X")
    assert d.patent_type == PatentType.DESIGN and d.ipc_main == "" and d.source == "taian"
    # CN + 12 digits; IPC with a full-width version bracket
    v = Patent.objects.get(pk="2014103997360")
    assert v.ipc_main == "H02K1/27" and v.patent_type == PatentType.INVENTION
    assert Patent.objects.get(pk="2003201088341").patent_type == PatentType.UTILITY
    # 泰安 bodies found from the name, and the method is stored per record
    assert (
        Patent.objects.get(pk="861087224").city_code == "370900"
        and Patent.objects.get(pk="861087224").region_method == "applicant_name"
    )


def test_patentics_slice(patents_env):
    mappings = demo.demo_mappings()
    assert (
        mappings["patentics_vr_yangdongbjcn.csv"] == mappings["patentics_ar_yangdongbjcn.csv"]
    )  # one mapping, two files
    r = services.import_file(
        path=SLICES / "patentics_vr_slice.csv", fmt="csv", mapping=mappings["patentics_vr_yangdongbjcn.csv"]
    )
    assert (r.read, r.created, r.rejected) == (5, 5, 0)  # the trailing comma of every data line is not an extra column
    p = Patent.objects.get(pk="2021116430955")
    assert p.ipc_all == [
        "G09B9/00",
        "G06F30/20",
        "G06Q50/20",
        "G06T19/00",
        "G06F3/01",
    ]  # padded "G09B  9/00" normalised
    assert p.applicants_text == "青岛虚拟现实研究院有限公司" and p.city_code == "370200"
    u = Patent.objects.get(pk="2021231136376")
    assert u.patent_type == PatentType.UTILITY and u.grant_date == dt.date(2022, 4, 19)  # yyyymmdd dates
    assert Patent.objects.filter(source="patentics").count() == 5


def test_energy_slice_gzip_and_address_regions(patents_env):
    """gzip CSV accepted; no applicant column: the region comes from the postcode + address, 中山东路 is not 山东."""
    mapping = demo.demo_mappings()["energy_inventions_carboninnovation.csv.gz"]
    r = services.import_file(path=SLICES / "energy_slice.csv.gz", fmt="csv", mapping=mapping)
    assert (r.read, r.created, r.rejected) == (8, 8, 0)
    got = {p.publication_number: p for p in Patent.objects.all()}
    assert got["CN101936526A"].city_code == "370200" and got["CN101936526A"].region_method == "postcode+address"
    assert got["CN101935631A"].city_code == "371600"  # 256603 山东省滨州市
    assert got["CN101980381A"].city_code == "370100"  # no postcode: address only
    assert got["CN102310491A"].province_code == "330000"  # 宁波市奉化市中山东路: Zhejiang, not Shandong
    assert (
        got["CN101939403A"].province_code == "" and got["CN101939403A"].patent_type == PatentType.INVENTION
    )  # 德国 applicant, PCT number
    assert all(p.patent_type == PatentType.INVENTION and p.source == "energy" for p in got.values())
    assert got["CN102182640A"].province_code == "440000"  # an address with tab characters


def test_incopat_slice_foreign_documents_counted_not_dropped(patents_env):
    mapping = demo.demo_mappings()["incopat_autodriving_yangdongbjcn.xlsx"]
    r = services.import_file(path=SLICES / "incopat_slice.xlsx", fmt="csv", mapping=mapping)
    assert (r.read, r.created, r.rejected, r.skipped) == (7, 5, 0, 2)
    notices = {e.value: e.reason for e in r.errors if e.severity == "提示"}
    assert "美国专利商标局" in notices["US20190320115A1"] and "世界知识产权组织" in notices["WO2023056875A1"]
    assert not Patent.objects.filter(publication_number__startswith="US").exists()
    qd = Patent.objects.get(publication_number="CN115953763A")  # real Excel date cells
    assert qd.application_date == dt.date(2023, 3, 3) and qd.city_code == "370200" and qd.source == "incopat"
    two = Patent.objects.get(publication_number="CN115965470A")  # "; "-joined applicants
    assert two.applicants_text == "中国建设银行股份有限公司; 建信金融科技有限责任公司"
    assert Patent.objects.get(pk="2023200650358").patent_type == PatentType.UTILITY


@pytest.mark.parametrize(
    "number, office",
    [
        ("BRPI2117369A2", "巴西国家工业产权局"),  # incoPat line 555 (a two-letter office code followed by more letters)
        ("US20190320115A1", "美国专利商标局"),
        ("WO2023056875A1", "世界知识产权组织"),
        ("IN7305DELNP2014", "印度专利局"),
        ("CN110298449A", None),
        ("201410399736.0", None),
    ],
)
def test_foreign_office_numbers(number, office):
    from ipplatform.patents.records import foreign_office

    got = foreign_office({"号": number}, {"publication_number": "号"})
    assert (got[0] if got else None) == office
