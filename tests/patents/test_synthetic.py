import csv
from collections import Counter

from django.core.management import call_command

from ipplatform.lib import appno
from ipplatform.patents import services, synthetic
from ipplatform.patents.models import Applicant, Patent


def test_seeded_and_shaped_like_the_real_records(tmp_path, settings):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    synthetic.write_csv(path=a, count=3000, seed=7)
    synthetic.write_csv(path=b, count=3000, seed=7)
    assert a.read_bytes() == b.read_bytes()
    synthetic.write_csv(path=b, count=50, seed=8)
    assert a.read_bytes()[:5000] != b.read_bytes()[:5000]
    rows = list(csv.DictReader(a.open(encoding="utf-8")))
    assert all(r["模拟数据"] == "是" for r in rows)
    assert all(appno.parse(r["申请号"]).valid for r in rows)
    assert len({r["申请号"] for r in rows}) == 3000
    lengths = [len(r["摘要"]) for r in rows]
    assert 150 <= min(lengths) and max(lengths) <= 401
    years = Counter(int(r["申请日"][:4]) for r in rows)
    assert min(years) >= 1985 and max(years) <= 2016
    assert sum(v for y, v in years.items() if y >= 2010) > 5 * sum(
        v for y, v in years.items() if y < 2000
    )  # growing curve
    kinds = Counter(r["公开（公告）号"][-1] for r in rows)
    share = kinds["A"] / 3000
    assert 0.35 < share < 0.6  # the CNKI listing: 47 % inventions
    applicants = Counter(r["申请（专利权）人"].split(";")[0] for r in rows)
    top = applicants.most_common(10)
    assert top[0][1] >= 5 * applicants.most_common()[len(applicants) // 2][1]  # Zipf-like: a heavy head
    assert sum(1 for r in rows if "山东省" in r["地址"]) > 0.6 * len(rows)


def test_csv_import_and_db_path_agree(reference_data, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    path = tmp_path / "s.csv"
    synthetic.write_csv(path=path, count=300, seed=3)
    result = services.import_file(path=path)
    assert result.created == 300 and result.rejected == 0
    assert Patent.objects.filter(is_synthetic=True, source="synthetic").count() == 300
    imported = {p.id: (p.title, p.region_code, p.patent_type, p.grant_date) for p in Patent.objects.all()}
    Patent.objects.all().delete()
    Applicant.objects.all().delete()
    call_command("generate_patents", "--count", "300", "--seed", "3", "--db")
    direct = {p.id: (p.title, p.region_code, p.patent_type, p.grant_date) for p in Patent.objects.all()}
    assert direct == imported
    call_command("generate_patents", "--count", "300", "--seed", "3", "--db")  # idempotent
    assert Patent.objects.count() == 300
    assert all(a.patent_count >= 1 for a in Applicant.objects.all())
