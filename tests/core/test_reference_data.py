from ipplatform.core import reference, regions
from ipplatform.core.models import Division, IPCEntry, Population, TechField, TechFieldPattern
from ipplatform.core.population import population_for


def test_divisions_2015_have_17_shandong_cities_with_laiwu(reference_data):
    cities = regions.cities("201512")
    assert len(cities) == 17
    assert ("371200", "莱芜市") in cities
    assert Division.objects.filter(revision="201512", code__startswith="37").count() == 155


def test_today_has_16_cities_and_laiwu_maps_to_jinan(reference_data):
    assert len(regions.current_cities()) == 16
    assert regions.to_current("371200") == "370100"
    assert regions.to_current("371202") == "370116"
    assert regions.to_current("371299") == "370100"  # any other Laiwu code goes to Jinan city
    assert regions.to_current("370211") == "370211"


def test_population_counts_and_sources(reference_data):
    cities_2010 = Population.objects.filter(year=2010, region_code__regex=r"^37\d\d00$").exclude(region_code="370000")
    cities_2020 = Population.objects.filter(year=2020, region_code__regex=r"^37\d\d00$").exclude(region_code="370000")
    assert cities_2010.count() == 17  # 2010 boundaries: 莱芜 separate
    assert cities_2020.count() == 16  # 2020 boundaries: 莱芜 inside 济南
    assert Population.objects.get(region_code="371200", year=2010).population == 1298529
    assert Population.objects.get(region_code="370100", year=2020).population == 9202432
    assert "第七次全国人口普查" in Population.objects.get(region_code="370100", year=2020).source


def test_population_for_uses_nearest_census_and_says_so(reference_data):
    fig = population_for("370500", 2014)
    assert fig.year == 2010 and fig.population == 2035338 and "2014年无人口数据" in fig.note
    exact = population_for("370200", 2015)
    assert exact.year == 2015 and exact.note == "" and exact.population == 9097000


def test_loaders_are_idempotent(reference_data):
    before = (Division.objects.count(), Population.objects.count())
    reference.load_divisions()
    reference.load_population()
    assert (Division.objects.count(), Population.objects.count()) == before


def test_ipc_chinese_with_english_gap_fill(ipc_data):
    assert IPCEntry.objects.get(code="H01M").title_zh.startswith("用于直接转变化学能为电能")
    # H01L and C01C are missing from the 2026.01 Chinese table; the English table fills them.
    h01l = IPCEntry.objects.get(code="H01L")
    assert h01l.title_source == "en_only" and h01l.title_en
    assert IPCEntry.objects.filter(code__startswith="C01C", title_source="en_only").exists()
    assert IPCEntry.objects.get(code="A01B1/02").parent == "A01B1/00"
    assert TechField.objects.count() == 35
    assert TechFieldPattern.objects.filter(field__number=8, ipc_prefix="H01L").exists()


def test_normalize_ipc_forms():
    assert reference.normalize_ipc("A01B0001020000") == "A01B1/02"
    assert reference.normalize_ipc("E01B3/32(2006.01)I") == "E01B3/32"
    assert reference.normalize_ipc("h04n 5/225") == "H04N5/225"
    assert reference.concordance_prefix("H04N   5%") == "H04N5/"
