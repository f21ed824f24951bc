"""Region codes derived from a division code (GB/T 2260): the one derivation every app uses."""

from ipplatform.core.regions import city_code_of, display_name, province_code_of


def test_city_code_of_a_county_is_its_city():
    assert city_code_of("370211") == "370200"


def test_a_province_has_no_city_code():
    assert city_code_of("370000") == ""


def test_province_code_of_a_county_is_its_province():
    assert province_code_of("370211") == "370000"


def test_an_empty_code_has_no_province():
    assert province_code_of("") == ""


# display_name: the one lookup that turns a division code into the name users read (templates, tables, exports).


def test_display_name_of_a_2015_district(db):
    assert display_name("370212") == "崂山区"


def test_display_name_of_a_district_created_in_2016_comes_from_the_2016_table(db):
    assert display_name("370114") == "章丘区"  # 章丘市 370181 became 章丘区 370114 (MCA table of 2016-12)


def test_display_name_of_a_district_created_by_the_2019_merger_comes_from_the_change(db):
    assert display_name("370116") == "莱芜区"


def test_display_name_of_an_unknown_code_is_the_code(db):
    assert display_name("379999") == "379999"


def test_display_name_of_no_code_is_the_callers_word(db):
    assert display_name("", empty="未归属") == "未归属" and display_name(None) == ""
