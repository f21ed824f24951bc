"""Navigation fixtures: a small hand-checkable patent set built through the ORM."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date

# id, type, application date, grant date, publication date, main IPC, all IPC, inventors, applicants, (province, city), status,
# claims, citations, abstract
SUBJECT = [
    (
        "P1",
        "invention",
        D(2016, 3, 1),
        D(2018, 5, 1),
        D(2016, 9, 1),
        "H01M10/052",
        ["H01M10/052", "H01M4/13"],
        ["张三", "李四"],
        ["甲公司", "乙大学"],
        ("370000", "370200"),
        "valid",
        10,
        None,
        "本发明可提高效率并降低成本。",
    ),
    (
        "P2",
        "utility",
        D(2016, 6, 1),
        None,
        D(2016, 12, 1),
        "H01M4/13",
        ["H01M4/13"],
        ["张三"],
        ["甲公司"],
        ("370000", "370200"),
        "valid",
        5,
        None,
        "结构紧凑。",
    ),
    (
        "P3",
        "invention",
        D(2017, 2, 1),
        None,
        D(2018, 8, 1),
        "H01M10/44",
        ["H01M10/44", "G01R31/36"],
        ["王五", "李四"],
        ["乙大学", "丙研究院"],
        ("370000", "370100"),
        "pending",
        8,
        None,
        "提升电池安全。",
    ),
    (
        "P4",
        "invention",
        D(2018, 1, 1),
        D(2020, 3, 1),
        D(2018, 7, 1),
        "B60L58/12",
        ["B60L58/12"],
        ["赵六"],
        ["丁公司"],
        ("320000", "320100"),
        "valid",
        12,
        None,
        "提高效率。",
    ),
    (
        "P5",
        "design",
        D(2018, 4, 1),
        None,
        D(2018, 12, 1),
        "",
        [],
        ["钱七"],
        ["戊某"],
        ("370000", "370200"),
        "valid",
        None,
        None,
        "",
    ),
    (
        "P6",
        "invention",
        D(2019, 5, 1),
        None,
        D(2020, 11, 1),
        "H01M10/052",
        ["H01M10/052"],
        ["张三"],
        ["甲公司", "丁公司"],
        ("370000", "370200"),
        "invalid",
        6,
        None,
        "环保且安全。",
    ),
    (
        "P7",
        "invention",
        D(2019, 8, 1),
        None,
        D(2021, 2, 1),
        "G06F3/041",
        ["G06F3/041"],
        ["孙八"],
        ["己公司"],
        ("370000", "370300"),
        "pending",
        9,
        None,
        "无污染。",
    ),
]
OTHERS = [
    (
        "Q1",
        "invention",
        D(2017, 1, 1),
        None,
        D(2018, 7, 1),
        "A01B1/02",
        ["A01B1/02"],
        ["周九"],
        ["庚公司"],
        ("370000", "370200"),
        "pending",
        3,
        None,
        "",
    ),
    (
        "Q2",
        "utility",
        D(2018, 1, 1),
        None,
        D(2018, 6, 1),
        "B60L1/00",
        ["B60L1/00", "H01M50/20"],
        ["吴十"],
        ["丁公司"],
        ("320000", "320100"),
        "valid",
        4,
        None,
        "",
    ),
    (
        "Q3",
        "invention",
        D(2019, 1, 1),
        None,
        D(2020, 7, 1),
        "A01B3/00",
        ["A01B3/00"],
        ["郑一"],
        ["辛公司"],
        ("320000", "320100"),
        "pending",
        2,
        None,
        "",
    ),
]
APPLICANTS = {
    "甲公司": "enterprise",
    "乙大学": "university",
    "丙研究院": "institute",
    "丁公司": "enterprise",
    "戊某": "individual",
    "己公司": "enterprise",
    "庚公司": "enterprise",
    "辛公司": "enterprise",
}


def make_patent(spec, *, synthetic=False):
    from ipplatform.patents.models import Applicant, Patent, PatentApplicant

    pid, ptype, ad, gd, pd, main, ipcs, inventors, applicants, (prov, city), status, claims, cites, abstract = spec
    p = Patent.objects.create(
        id=pid,
        application_number=pid,
        patent_type=ptype,
        title=f"{pid}号测试专利",
        abstract=abstract,
        application_date=ad,
        grant_date=gd,
        publication_date=pd,
        ipc_main=main,
        ipc_all=ipcs,
        inventors=inventors,
        province_code=prov,
        city_code=city,
        region_code=city,
        legal_status=status,
        claims_count=claims,
        citation_count=cites,
        first_claim="一种装置，包括" + "甲" * (len(pid) * 10),
        source="manual",
        is_synthetic=synthetic,
        applicants_text="；".join(applicants),
    )
    for order, name in enumerate(applicants, 1):
        a, _ = Applicant.objects.get_or_create(name=name, defaults={"entity_type": APPLICANTS[name]})
        PatentApplicant.objects.create(patent=p, applicant=a, order=order)
    if applicants:
        p.first_applicant = Applicant.objects.get(name=applicants[0])
        p.save(update_fields=["first_applicant"])
    return p


@pytest.fixture
def nav_data(db, settings, tmp_path):
    """Ten records: P1–P7 form the analysed set, Q1–Q3 only belong to the whole data set."""
    settings.DATA_DIR = tmp_path
    from ipplatform.patents.models import LegalEvent

    for spec in SUBJECT + OTHERS:
        make_patent(spec)
    LegalEvent.objects.create(patent_id="P1", date=D(2019, 1, 1), code="transfer", source="test")
    LegalEvent.objects.create(patent_id="P4", date=D(2021, 1, 1), code="invalidation_request", source="test")
    return [s[0] for s in SUBJECT]


@pytest.fixture
def frame(nav_data):
    from ipplatform.navigation import analyses

    return analyses.load_frame(patents=nav_data)


@pytest.fixture
def ctx(frame):
    from ipplatform.navigation import analyses

    return analyses.build_context(
        frame=frame,
        data_cutoff=D(2022, 12, 31),
        baseline=analyses.corpus_baseline(),
        effect_terms=[("提高效率", ["提高效率"]), ("安全", ["安全"]), ("环保", ["环保", "无污染"])],
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    """One provincial analyst (department staff), without loading the whole demo organisation tree."""
    from ipplatform.core.models import Organization, User

    org, _ = Organization.objects.get_or_create(
        name="导航测试分析室", kind="department", defaults={"region_code": "370000"}
    )
    user, _ = User.objects.get_or_create(
        username="nav_analyst", defaults={"role": "department_staff", "organization": org, "real_name": "分析员"}
    )
    return user
