import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def statute_course(media, users):
    """The shipped demo course: generated video (80 s), two statute excerpts, a bank of 18 questions and a timed exam."""
    from ipplatform.training import demo

    return demo.create_statute_course(by=users["admin"])


class Clock:
    def __init__(self):
        self.t = timezone.now()

    def __call__(self):
        return self.t

    def advance(self, seconds: float):
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    """A clock the learning rules read (services.now), moved by the test."""
    from ipplatform.training import services

    c = Clock()
    monkeypatch.setattr(services, "now", c)
    return c
