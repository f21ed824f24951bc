import csv
import json
from pathlib import Path

import pytest

from ipplatform.lib import appno

DATA = Path(__file__).resolve().parents[2] / "data" / "patents_cn"


@pytest.mark.parametrize(
    "raw, normalized, ptype",
    [
        ("CN201220249767.4", "2012202497674", "utility"),  # data/patents_cn/sipo_export_sample_carrotc.csv
        ("201220249767.4", "2012202497674", "utility"),
        ("2016110774629", "2016110774629", "invention"),  # sipo_epub_yinwenzhi.jsonl, no dot
        ("CN00316633.3", "003166333", "design"),  # 8-digit pre-2003 form (cnki listing)
        ("ZL 2012 2024 9767.4", "2012202497674", "utility"),
        ("ＣＮ２０１２２０２４９７６７．４", "2012202497674", "utility"),  # full width
    ],
)
def test_real_numbers_normalise(raw, normalized, ptype):
    result = appno.parse(raw)
    assert result.valid, result.reason
    assert result.normalized == normalized
    assert result.patent_type == ptype


def test_twelve_digits_without_check_get_it_computed():
    result = appno.parse("201220249767")
    assert result.valid and result.normalized == "2012202497674" and result.display == "CN201220249767.4"


def test_check_character_x():
    digits = next(f"20161{n:07d}" for n in range(1000) if appno.check_char(f"20161{n:07d}") == "X")
    assert appno.parse(digits + "X").valid
    assert appno.parse(digits + "x").valid


@pytest.mark.parametrize(
    "raw, fragment",
    [
        ("CN201220249767.5", "校验位错误：应为4，实际为5"),
        ("CN20122024976.4", "位数不对"),
        ("CN2012A0249767.4", "非法字符"),
        ("", "申请号为空"),
        ("CN197020249767.4", "年份1970"),
        ("CN201250249767.4", "类型位为5"),
        ("CN2012X0249767.4", "非法字符"),
    ],
)
def test_bad_numbers_say_why(raw, fragment):
    result = appno.parse(raw)
    assert not result.valid
    assert fragment in result.reason
    assert appno.normalize(raw) == ""


def test_every_real_number_in_the_data_passes():
    numbers = [r["申请号"] for r in csv.DictReader((DATA / "sipo_export_sample_carrotc.csv").open(encoding="utf-8"))]
    numbers += [json.loads(line)["申请号"] for line in (DATA / "sipo_epub_yinwenzhi.jsonl").open(encoding="utf-8")]
    numbers += [
        r["application_number"]
        for r in csv.DictReader((DATA / "cnki_company_patents_hank0438.csv").open(encoding="utf-8"))
        if r["application_number"]
    ]
    assert len(numbers) == 199 + 1770 + 182
    bad = [n for n in numbers if not appno.parse(n).valid]
    assert bad == []
    # a changed digit is always caught (weights 2..9 are all coprime to 11)
    flipped = [n[:-3] + str((int(n[-3]) + 1) % 10) + n[-2:] for n in numbers[:199]]
    assert all(not appno.parse(n).valid for n in flipped)
