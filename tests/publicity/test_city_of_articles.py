"""Articles belong to the author's city (a county's articles to its city) and are reviewed by that city's bureau."""

import pytest

from ipplatform.publicity import services
from ipplatform.publicity.models import Article

pytestmark = pytest.mark.django_db


def _draft(users, username):
    data = {"category": "notice", "title": "关于开展专利法学习的通知", "body": "请各单位按时完成。"}
    return services.save_article(user=users[username], article=None, data=data)


def test_a_county_bureaus_article_belongs_to_its_city(users):
    assert _draft(users, "huangdao").city_code == "370200"


def test_a_province_article_belongs_to_no_city(users):
    assert _draft(users, "bangongshi").city_code == ""


def test_the_city_bureau_reviews_its_countys_article(users):
    assert services.can_review(users["city370200"], _draft(users, "huangdao"))


def test_another_city_bureau_does_not_review_it(users):
    assert not services.can_review(users["city370100"], _draft(users, "huangdao"))


def test_a_city_bureau_does_not_review_province_articles(users):
    assert not services.can_review(users["city370200"], Article(city_code="", author=users["bangongshi"]))
