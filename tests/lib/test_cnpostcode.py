import pytest

from ipplatform.lib import cnpostcode


@pytest.mark.parametrize(
    "postcode, province, city",
    [
        ("266000", "370000", "370200"),  # 青岛
        ("250100", "370000", "370100"),  # 济南
        ("271104", "370000", "371200"),  # 莱芜钢城 (2015: 莱芜市)
        ("271000", "370000", "370900"),  # 泰安
        ("264200", "370000", "371000"),  # 威海
        ("264000", "370000", "370600"),  # 烟台
        ("226634", "320000", ""),  # 江苏南通 (not Shandong: no city)
        ("101407", "110000", ""),  # 北京怀柔
    ],
)
def test_postcodes(postcode, province, city):
    assert cnpostcode.province_of(postcode) == province
    assert cnpostcode.shandong_city_of(postcode) == city


def test_invalid_postcodes():
    assert cnpostcode.province_of("99999") == ""
    assert cnpostcode.province_of("990000") == ""
    assert cnpostcode.province_of(None) == ""


def test_extract_leading_postcode():
    assert cnpostcode.extract("226634 江苏省南通市海安县老坝港镇") == ("226634", "江苏省南通市海安县老坝港镇")
    assert cnpostcode.extract("101407北京市怀柔区雁栖经济开发区") == ("101407", "北京市怀柔区雁栖经济开发区")
    assert cnpostcode.extract("山东省青岛市") == ("", "山东省青岛市")
    assert cnpostcode.extract("1014071北京") == ("", "1014071北京")
