"""The shipped demo content loads, twice without duplicates, from files in the repository."""

import io

import pytest

from ipplatform.training.models import Chapter, Course, Enrolment, Question

pytestmark = pytest.mark.django_db


def test_demo_content_is_real_and_idempotent(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    from ipplatform.portal import demo as portal_demo
    from ipplatform.publicity import demo as publicity_demo
    from ipplatform.training import demo

    for _ in range(2):
        demo.load(stdout=io.StringIO())
        publicity_demo.load(stdout=io.StringIO())
    out = io.StringIO()
    portal_demo.load(stdout=out)
    assert "17个市级子站" in out.getvalue()
    assert Course.objects.count() == 2 and Question.objects.count() == len(demo.BANK) == 18
    video = Chapter.objects.get(kind="video")
    assert 75 <= video.duration_seconds <= 85 and video.file.size < 2 * 1024 * 1024
    law = Chapter.objects.get(title__contains="专利法（2020年修正）节选")
    assert "外观设计专利权的期限为十五年" in law.body
    assert set(Question.objects.values_list("basis", flat=True)) <= {
        "专利法第一条",
        "专利法第二条",
        "专利法第二十二条",
        "专利法第四十二条",
        "专利法第四十三条",
        "专利法第四十四条",
        "专利法实施细则第二条",
    }
    assert Enrolment.objects.filter(course__title=demo.PLAN_COURSE_TITLE, user__username="city370200").exists()
    from ipplatform.publicity.models import Article

    assert Article.objects.filter(state="published").count() == 3 and all(
        "演示" in a.title for a in Article.objects.all()
    )
