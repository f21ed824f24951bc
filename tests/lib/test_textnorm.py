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
