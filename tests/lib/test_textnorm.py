from ipplatform.lib.textnorm import fold, normalize_name, to_halfwidth


def test_fold_width_script_case():
    assert fold("ＬＥＤ燈") == "led灯"
    assert fold("石墨烯電池") == "石墨烯电池"


def test_halfwidth():
    assert to_halfwidth("（Ａ１）　") == "(A1) "


def test_normalize_name_brackets_spaces_traditional():
    assert normalize_name(" 海尔集团（青岛）有限公司  ") == "海尔集团(青岛)有限公司"
    assert normalize_name("海爾 集團") == "海尔集团"
    assert normalize_name("Haier  Group ") == "Haier Group"


def test_nfkc_shortcut_equals_unicodedata_on_real_and_tricky_text():
    import csv
    import random
    import unicodedata
    from pathlib import Path

    from ipplatform.lib.textnorm import nfkc

    path = Path(__file__).resolve().parents[2] / "data" / "patents_cn" / "sipo_export_sample_carrotc.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        texts = [value for row in csv.reader(fh) for value in row if value]
    assert len(texts) > 1000
    # the replaced punctuation next to marks that combine or reorder, half-width kana with voiced marks, jamo, ligatures
    alphabet = [
        "，",
        "；",
        "（",
        "）",
        "：",
        "％",
        "\u0301",
        "\u0308",
        "\u0327",
        "\u3099",
        "ｶ",
        "ﾞ",
        "\u1100",
        "\u1161",
        "ﬁ",
        "Ａ",
        "ａ",
        "e",
        "電",
        "池",
        " ",
        "\u3000",
    ]
    rng = random.Random(7)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    differing = [t for t in texts if nfkc(t) != unicodedata.normalize("NFKC", t)]
    assert differing == []
    assert nfkc("锂电池，正极（含％）：ｶﾞ") == "锂电池,正极(含%):ガ"


def test_fold_shortcuts_equal_the_plain_definition_on_real_and_tricky_text():
    import json
    import unicodedata
    from pathlib import Path

    from ipplatform.lib.textnorm import to_simplified

    def plain_fold(text):  # the definition, without the ASCII shortcut, the cache or NFKC standing in for width
        return to_simplified(to_halfwidth(unicodedata.normalize("NFKC", text))).lower()

    path = Path(__file__).resolve().parents[2] / "data" / "patents_cn" / "sipo_epub_yinwenzhi.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()[:300]
    values = [v for line in lines for v in json.loads(line).values() if isinstance(v, str) and v]
    values += [
        "ＡＢＣ　電池１２３",
        "頭髮乾燥機",
        "㈱ＬＥＤ燈具",
        "Ⅻ型",
        "Plain ASCII Text",
        # long (uncached) texts where mapping full-width forms first must not change what NFKC composes
        "一种装置，包括：Ａ\u0301部件（Ｂ型）；ｶﾞｿﾘﾝ①㎏" * 3,
        "温度为１２０℃，压力为５ＭＰａ，时间为３０ｍｉｎ。" * 2,
    ]
    assert len(values) > 3000
    assert [v for v in values if fold(v) != plain_fold(v)] == []
