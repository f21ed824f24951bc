"""Seeded, deterministic synthetic patent corpus (模拟数据) built from the real vocabularies in data/.

- titles: real titles from data/patents_cn recombined with Chinese IPC titles (data/ipc);
- abstracts: 150–400 characters from sentences of real abstracts around the generated title;
- applicants: Zipf-like draw from real applicant names and inventors (individuals) plus enterprise names
  generated over real Shandong division names (GB/T 2260, 2015), each with a fixed address and postcode;
- filing dates: 1985–2016 with yearly weights growing like the real national filing curve;
- patent type and IPC mix: as in the real records (kind codes of the CNKI listing; IPC of the CNIPA/JSONL files).

Every record has is_synthetic=True and source='synthetic'. The same seed gives the same records in the same
order, whether written as CSV (CNIPA 25-column layout plus a 模拟数据 column) or straight into the database."""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ipplatform.core.regions import city_code_of
from ipplatform.lib import appno, cnpostcode

from .enums import LegalEventCode, RegionMethod
from .readers import CNIPA_HEADERS

CSV_HEADERS = CNIPA_HEADERS + ["模拟数据"]
SYNTHETIC_NOTE = "模拟数据：由平台的种子化生成器合成，仅用于演示与性能测试，不是真实专利"
GENERATED_DATE_FORMAT = "%Y.%m.%d"  # dates as CNIPA exports write them, read back by records.parse_date
YEARS = list(range(1985, 2017))
# Relative yearly filings (national applications grew from ~14k in 1985 to ~3.5M in 2016: about 19% a year).
YEAR_WEIGHTS = [1.19 ** (y - 1985) for y in YEARS]
SERIAL_BASE = 5_000_000  # serial numbers above any real one of 1985–2016, so synthetic ids never collide with real ids
INDUSTRY_WORDS = [
    "机械",
    "化工",
    "电子",
    "科技",
    "新材料",
    "生物",
    "医药",
    "食品",
    "纺织",
    "轮胎",
    "汽车配件",
    "环保",
    "能源",
    "电力",
    "建材",
    "农业科技",
    "智能装备",
    "精密机械",
    "海洋科技",
    "光电",
    "信息技术",
    "重工",
    "制药",
    "橡胶",
    "钢铁",
    "石油装备",
    "家电",
    "水产",
]
ORG_STEMS = [
    "华",
    "鲁",
    "齐",
    "泰",
    "盛",
    "鑫",
    "恒",
    "瑞",
    "宏",
    "金",
    "海",
    "明",
    "信",
    "达",
    "润",
    "丰",
    "新",
    "东",
    "正",
    "益",
    "康",
    "源",
    "德",
    "兴",
    "天",
    "宇",
    "博",
    "创",
    "力",
    "通",
    "远",
    "立",
    "昌",
    "嘉",
    "中",
    "永",
    "晨",
    "光",
    "安",
    "诚",
]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
TITLE_TAILS = {
    "invention": ["及其制备方法", "的制备方法", "方法", "系统及方法", "装置及方法", "组合物", "工艺"],
    "utility": ["装置", "结构", "设备", "机构", "组件", "系统"],
    "design": ["", ""],
}


@dataclass
class Vocab:
    titles: list[str]
    stems: list[str]
    ipc: list[str]  # real IPC main classes (frequency kept by repetition)
    ipc_titles: dict[str, str]
    ipc_by_subclass: dict[str, list[str]]
    sentences: list[str]
    applicants: list[tuple[str, str, str, str]]  # (name, region_code, address, postcode) ranked
    persons: list[str]
    agencies: list[tuple[str, str, list[str]]]
    type_weights: list[tuple[str, float]]


def _data() -> Path:
    return Path(settings.REFERENCE_DATA_DIR)


def _read_csv(path: Path):
    with path.open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _postcode_for(city: str, rng: random.Random) -> str:
    from ipplatform.lib.cnpostcode import SHANDONG_CITY_BY_PREFIX

    prefixes = sorted(p for p, c in SHANDONG_CITY_BY_PREFIX.items() if c == city and len(p) == 3) or sorted(
        p for p, c in SHANDONG_CITY_BY_PREFIX.items() if c == city
    )
    prefix = prefixes[0]
    return (prefix + "0" * 6)[:6] if len(prefix) == 4 else prefix + "000"


@lru_cache(maxsize=2)
def vocabulary(seed: int = 0) -> Vocab:
    """Vocabularies read from data/ (patents_cn, ipc, regions); deterministic for a given data folder."""
    rng = random.Random(seed ^ 0x5D)
    base = _data()
    titles, names, persons, sentences, ipc, agencies = [], {}, [], [], [], {}
    kinds = {"invention": 0, "utility": 0, "design": 0}
    for rec in _read_csv(base / "patents_cn" / "cnki_company_patents_hank0438.csv"):
        titles.append(rec["title"])
        fam = rec["type_family"]
        kinds[{"发明": "invention", "实用新型": "utility", "外观设计": "design"}.get(fam, "invention")] += 1
        for n in rec["applicants"].split(";"):
            names.setdefault(n.strip(), "")
        persons += [p.strip() for p in rec["inventors"].split(";")[:2] if 2 <= len(p.strip()) <= 3]
    for rec in _read_csv(base / "patents_cn" / "sipo_export_sample_carrotc.csv"):
        titles.append(rec["名称"])
        ipc.append(rec["主分类号"].split("(")[0])
        first = rec["申请（专利权）人"].split(";")[0].strip()
        names[first] = rec["地址"]
        sentences += [s + "。" for s in re.split(r"[。]", rec["摘要"]) if 12 <= len(s) <= 120]
        agencies[rec["专利代理机构"]] = rec["代理人"]
    with (base / "patents_cn" / "sipo_epub_yinwenzhi.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            titles.append(rec.get("tile", ""))
            m = re.match(r"([A-H]\d\d[A-Z]\d+/\d+)", rec.get("分类号", ""))
            if m:
                ipc.append(m.group(1))
            names[rec["申请人"].split(";")[0].strip()] = rec.get("地址", "")
            # these abstracts are cut at the front: the first fragment is never used
            sentences += [s + "。" for s in re.split(r"[。]", rec.get("abstract", ""))[1:] if 12 <= len(s) <= 120]
            if rec.get("专利代理机构"):
                agencies[rec["专利代理机构"]] = rec.get("代理人", "")
    sentences = [s for s in sentences if not re.match(r"^[，、；：,.;:）)\d]", s)]
    titles = sorted({t.strip() for t in titles if t and 4 <= len(t.strip()) <= 40})
    stems = sorted({re.sub(r"^一种", "", re.split(r"(及其|的|和|与)", t)[0]) for t in titles if t.startswith("一种")})
    stems = [s for s in stems if 2 <= len(s) <= 20]
    ipc_titles, by_subclass = {}, {}
    for rec in _read_csv(base / "ipc" / "ipc_zh_2026_01_flat.csv"):
        if rec["level"] in ("main_group", "subgroup"):
            title = re.split(r"[；;，,：:、]", re.sub(r"[（(].*?[）)]", "", rec["title_zh"]))[0].strip()
            if 2 <= len(title) <= 16 and not re.search(r"[A-Z]\d", title):
                ipc_titles[rec["code"]] = title
                by_subclass.setdefault(rec["code"][:4], []).append(rec["code"])
    ipc = [c for c in ipc if c[:4] in by_subclass]
    # Shandong divisions of 2015
    divisions = []
    for rec in csv.DictReader(
        (base / "regions" / "shandong_2015_divisions_from_gb2260_mca_201512.tsv").open(encoding="utf-8"), delimiter="\t"
    ):
        divisions.append((rec["Code"], rec["Name"]))
    city_names = {c: n for c, n in divisions if c.endswith("00") and not c.endswith("0000")}
    counties = [(c, n) for c, n in divisions if not c.endswith("00")]
    generated = []
    used = set(names)
    for i in range(60000):
        code, county = counties[rng.randrange(len(counties))]
        city = city_code_of(code)
        place = city_names[city][:-1] if rng.random() < 0.6 else re.sub(r"(市|县|区)$", "", county)
        name = (
            f"{place}{rng.choice(ORG_STEMS)}{rng.choice(ORG_STEMS)}{rng.choice(INDUSTRY_WORDS)}{rng.choice(SUFFIXES)}"
        )
        if name in used:
            continue
        used.add(name)
        road = rng.choice(["人民", "建设", "解放", "和平", "黄河", "泰山", "胜利", "工业", "开发", "科技"])
        street = f"{road}{rng.choice(['路', '大街', '大道'])}{rng.randint(1, 999)}号"
        generated.append((name, code, f"山东省{city_names[city]}{county}{street}", _postcode_for(city, rng)))
    real = [(n, "", a, "") for n, a in names.items() if n and len(n) >= 4]
    pool = generated + real
    rng.shuffle(pool)
    persons = sorted(set(persons))
    total = sum(kinds.values())
    return Vocab(
        titles,
        stems,
        sorted(ipc),
        ipc_titles,
        by_subclass,
        sorted(set(sentences)),
        pool,
        persons,
        sorted((a, b.split(";")[0], [x.strip() for x in b.split(";") if x.strip()]) for a, b in agencies.items() if a),
        [(k, v / total) for k, v in kinds.items()],
    )


class Generator:
    """Produces synthetic records one at a time; the same seed always gives the same sequence."""

    def __init__(self, seed: int = 2015):
        self.rng = random.Random(seed)
        self.v = vocabulary(0)
        n = len(self.v.applicants)
        self.app_cum = list(itertools.accumulate(1.0 / (r**1.05) for r in range(1, n + 1)))
        self.year_cum = list(itertools.accumulate(YEAR_WEIGHTS))
        self.type_cum = list(itertools.accumulate(w for _, w in self.v.type_weights))
        neutral = [x for x in self.v.sentences if "发明" not in x and "实用新型" not in x]
        self.sentences = {
            "invention": neutral + [x for x in self.v.sentences if "发明" in x],
            "utility": neutral + [x for x in self.v.sentences if "实用新型" in x],
            "design": neutral,
        }
        self.serial = {}
        self.pub_serial = 0
        self.today = dt.date(2016, 12, 31)

    def _pick(self, cum):
        return bisect.bisect_left(cum, self.rng.random() * cum[-1])

    def _title(self, ptype: str, ipc_code: str) -> str:
        rng, v = self.rng, self.v
        r = rng.random()
        if ptype == "design":
            base = rng.choice(v.stems) if v.stems else "产品"
            return base[:12] + rng.choice(["", "（A）", "（1）", "（组合）"])
        if r < 0.4 and ipc_code in v.ipc_titles:
            core = v.ipc_titles[ipc_code]
        elif r < 0.7:
            core = rng.choice(v.stems)
        else:
            core = rng.choice(v.stems)[:6] + (v.ipc_titles.get(ipc_code, "") or rng.choice(v.stems))[:8]
        return f"一种{core}{rng.choice(TITLE_TAILS[ptype])}"

    def _abstract(self, title: str, ptype: str) -> str:
        rng = self.rng
        kind = {"invention": "发明", "utility": "实用新型", "design": "外观设计"}[ptype]
        text = f"本{kind}公开了{title}。"
        target = rng.randint(150, 400)
        pool = self.sentences[ptype]
        while len(text) < target:
            text += rng.choice(pool)
        return text[:target].rstrip("，、；") + ("" if text[:target].endswith("。") else "。")

    def record(self) -> dict:
        """One synthetic record as a dict of CNIPA export columns plus helper keys (_region etc.)."""
        rng, v = self.rng, self.v
        year = YEARS[self._pick(self.year_cum)]
        ptype = v.type_weights[self._pick(self.type_cum)][0]
        digit = {"invention": "1", "utility": "2", "design": "3"}[ptype]
        key = (year, digit)
        serial = self.serial.get(key, SERIAL_BASE) + 1
        self.serial[key] = serial
        if year < 2003:  # 8-digit numbers: synthetic serials use 50000-99999
            digits = f"{year % 100:02d}{digit}{50000 + (serial - SERIAL_BASE) % 50000:05d}"
        else:
            digits = f"{year}{digit}{serial:07d}"
        number = f"CN{digits}.{appno.check_char(digits)}"
        start = dt.date(1985, 4, 1) if year == 1985 else dt.date(year, 1, 1)
        app_date = start + dt.timedelta(days=rng.randrange((dt.date(year, 12, 31) - start).days + 1))
        self.pub_serial += 1
        kind = {"invention": "A", "utility": "U", "design": "S"}[ptype]
        lag = rng.randint(300, 600) if ptype == "invention" else rng.randint(120, 300)
        pub_date = min(app_date + dt.timedelta(days=lag), self.today)
        grant = ""
        if ptype == "invention" and rng.random() < 0.45 and app_date + dt.timedelta(days=900) < self.today:
            grant = app_date + dt.timedelta(days=rng.randint(800, 1500))
            grant = min(grant, self.today).strftime(GENERATED_DATE_FORMAT)
        pub_no = f"CN5{self.pub_serial:08d}{kind}"
        ipc_code = ""
        ipc_all = ""
        if ptype != "design":
            if v.ipc and rng.random() < 0.6:
                ipc_code = rng.choice(v.ipc)
            else:
                sub = rng.choice(v.ipc)[:4] if v.ipc else "A01B"
                ipc_code = rng.choice(v.ipc_by_subclass.get(sub, ["A01B1/00"]))
            extra = [rng.choice(v.ipc_by_subclass.get(ipc_code[:4], [ipc_code])) for _ in range(rng.randint(0, 2))]
            ver = "(2006.01)I"
            ipc_all = ";".join(dict.fromkeys(c + ver for c in [ipc_code] + extra))
            ipc_code += ver
        idx = self._pick(self.app_cum)
        if ptype != "invention" and rng.random() < 0.18 and v.persons:
            # an individual, living where a drawn enterprise is (a Shandong county address)
            donor = v.applicants[self._pick(self.app_cum)]
            first = (rng.choice(v.persons), donor[1], donor[2], donor[3])
        else:
            first = v.applicants[idx]
        names = [first[0]]
        if rng.random() < 0.1:
            other = v.applicants[self._pick(self.app_cum)][0]
            if other != first[0]:
                names.append(other)
        title = self._title(ptype, ipc_code.split("(")[0])
        agency = rng.choice(v.agencies) if v.agencies and rng.random() < 0.7 else None
        inventors = ";".join(rng.sample(v.persons, min(len(v.persons), rng.randint(1, 5)))) if v.persons else ""
        address = first[2]
        return {
            "申请号": number,
            "公开（公告）号": pub_no,
            "公开（公告）日": pub_date.strftime(GENERATED_DATE_FORMAT),
            "申请日": app_date.strftime(GENERATED_DATE_FORMAT),
            "专利号": number,
            "名称": title,
            "主分类号": ipc_code,
            "分类号": ipc_all,
            "分案原申请号": "",
            "优先权": "",
            "申请（专利权）人": ";".join(names),
            "发明（设计）人": inventors,
            "地址": f"{first[3]} {address}".strip() if first[3] else address,
            "颁证日": grant,
            "国际申请": "",
            "国际公布": "",
            "进入国家日期": "",
            "专利代理机构": agency[0] if agency else "",
            "代理人": agency[1] if agency else "",
            "摘要": self._abstract(title, ptype),
            "主权项": "",
            "参考文献": "",
            "审查员": "",
            "光盘号": "",
            "PCT公开": "0",
            "模拟数据": "是",
            "_type": ptype,
            "_region": first[1],
            "_kind": kind,
        }


def write_csv(*, path, count: int, seed: int = 2015, progress=None) -> int:
    """Write `count` synthetic records as a UTF-8 CSV in the CNIPA layout (plus 模拟数据)."""
    gen = Generator(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADERS)
        for i in range(count):
            rec = gen.record()
            w.writerow([rec[h] for h in CSV_HEADERS])
            if progress and (i + 1) % 5000 == 0:
                progress(i + 1, total=count)
    if progress:
        progress(count, total=count)
    return count


def generate_to_db(*, count: int, seed: int = 2015, stdout=None, progress=None, batch_size: int = 5000) -> int:
    """Fast path: write synthetic records straight into the patent store (bulk inserts, no file parsing)."""
    from django.db import transaction

    from ipplatform.core.reference import normalize_ipc

    from . import attribution, bulk
    from .models import Applicant, LegalEvent, Patent, PatentApplicant, Publication
    from .records import norm_name, parse_date
    from .services import legal_status_of, recount_applicants
    from .signals import bulk_session, patents_changed

    gen = Generator(seed)
    today = timezone.localdate()
    app_ids: dict[str, int] = dict(Applicant.objects.values_list("name", "id"))
    done = 0
    with bulk_session(large=count > batch_size):  # the search index is built in a helper process meanwhile
        while done < count:
            n = min(batch_size, count - done)
            recs = [gen.record() for _ in range(n)]
            with transaction.atomic():
                # per record: its applicants, the address split and the attribution of its first applicant, as the importer does
                placed = []
                for r in recs:
                    names = [norm_name(x) for x in r["申请（专利权）人"].split(";")]
                    pc, addr = cnpostcode.extract(r["地址"])  # the postcode's space is optional
                    placed.append((names, pc, addr, attribution.attribute(addr, pc, names[0])))
                new_apps = {}
                for names, pc, addr, attr in placed:
                    for pos, name in enumerate(names):
                        if name not in app_ids and name not in new_apps:
                            first_attr = attr if pos == 0 else None
                            region = first_attr.region_code if first_attr else ""
                            etype = attribution.infer_entity_type(name)
                            new_apps[name] = Applicant(
                                name=name,
                                entity_type=etype,
                                region_code=region,
                                region_method=first_attr.method if first_attr else RegionMethod.NONE,
                                region_confidence=first_attr.confidence if first_attr else 0,
                                address=(addr if pos == 0 else "")[:300],
                            )
                if new_apps:
                    Applicant.objects.bulk_create(new_apps.values(), batch_size=2000, ignore_conflicts=True)
                    app_ids.update(Applicant.objects.filter(bulk.among("name", new_apps)).values_list("name", "id"))
                etypes = {a.name: a.entity_type for a in new_apps.values()}
                patents, links, pubs, events, ids = [], [], [], [], []
                for r, (names, pc, addr, attr) in zip(recs, placed):
                    digits_id = appno.normalize(r["申请号"])
                    app_date, pub_date, grant = (
                        parse_date(r[k], fmt=GENERATED_DATE_FORMAT) for k in ("申请日", "公开（公告）日", "颁证日")
                    )
                    if r["_kind"] in ("U", "S"):
                        grant = pub_date
                    ipc_all = [normalize_ipc(c) for c in r["分类号"].split(";") if c]
                    first_id = app_ids.get(names[0])
                    etype = etypes.get(names[0]) or attribution.infer_entity_type(names[0])
                    patents.append(
                        Patent(
                            id=digits_id,
                            application_number=r["申请号"],
                            application_number_valid=True,
                            patent_type=r["_type"],
                            title=r["名称"],
                            abstract=r["摘要"],
                            ipc_main=ipc_all[0] if ipc_all else "",
                            ipc_all=ipc_all,
                            ipc_version="2006.01" if ipc_all else "",
                            applicants_text="; ".join(names),
                            inventors=[x for x in r["发明（设计）人"].split(";") if x],
                            address=addr[:300],
                            postcode=pc,
                            agency=r["专利代理机构"].rsplit(" ", 1)[0],
                            agency_code=r["专利代理机构"].rsplit(" ", 1)[-1] if " " in r["专利代理机构"] else "",
                            agents=[x for x in r["代理人"].split(";") if x],
                            application_date=app_date,
                            publication_number=r["公开（公告）号"],
                            publication_date=pub_date,
                            grant_date=grant,
                            first_applicant_id=first_id,
                            applicant_type=etype,
                            region_code=attr.region_code,
                            city_code=attr.city_code,
                            province_code=attr.province_code,
                            region_method=attr.method,
                            region_confidence=attr.confidence,
                            region_note=attr.reason[:60],
                            legal_status=legal_status_of(
                                patent_type=r["_type"],
                                kind=r["_kind"],
                                grant_date=grant,
                                application_date=app_date,
                                has_publication=True,
                                today=today,
                            ),
                            is_synthetic=True,
                            source="synthetic",
                            source_file=f"generate_patents seed={seed}",
                        )
                    )
                    for order, name in enumerate(dict.fromkeys(names), start=1):
                        links.append(PatentApplicant(patent_id=digits_id, applicant_id=app_ids[name], order=order))
                    pubs.append(
                        Publication(patent_id=digits_id, number=r["公开（公告）号"], kind=r["_kind"], date=pub_date)
                    )
                    code = LegalEventCode.GRANT if r["_kind"] in ("U", "S") else LegalEventCode.PUBLICATION
                    events.append(
                        LegalEvent(
                            patent_id=digits_id,
                            date=pub_date,
                            code=code,
                            description=f"公开 {r['公开（公告）号']}（模拟数据）",
                            source="模拟数据生成器",
                            reference=r["公开（公告）号"],
                        )
                    )
                    if r["_kind"] == "A" and grant:
                        events.append(
                            LegalEvent(
                                patent_id=digits_id,
                                date=grant,
                                code=LegalEventCode.GRANT,
                                description="授权（模拟数据）",
                                source="模拟数据生成器",
                            )
                        )
                    ids.append(digits_id)
                existing = set(Patent.objects.filter(bulk.among("pk", ids)).values_list("id", flat=True))
                if existing:  # idempotent: a re-run with the same seed skips records already there
                    patents = [p for p in patents if p.id not in existing]
                    links = [x for x in links if x.patent_id not in existing]
                    pubs = [x for x in pubs if x.patent_id not in existing]
                    events = [x for x in events if x.patent_id not in existing]
                bulk.insert(Patent, patents)
                bulk.insert(PatentApplicant, links)
                bulk.insert(Publication, pubs, ignore_conflicts=True, conflict_fields=("number",))
                bulk.insert(LegalEvent, events)
                new_ids = [p.id for p in patents]
                if new_ids:
                    transaction.on_commit(lambda ids=new_ids: patents_changed.send(sender=Patent, ids=ids, deleted=[]))
            done += n
            if progress:
                progress(done, total=count)
    recount_applicants()
    return count
