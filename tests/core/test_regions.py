"""Region codes derived from a division code (GB/T 2260): the one derivation every app uses."""

from ipplatform.core.regions import city_code_of, province_code_of


def test_city_code_of_a_county_is_its_city():
    assert city_code_of("370211") == "370200"


def test_a_province_has_no_city_code():
    assert city_code_of("370000") == ""


def test_province_code_of_a_county_is_its_province():
    assert province_code_of("370211") == "370000"


def test_an_empty_code_has_no_province():
    assert province_code_of("") == ""
