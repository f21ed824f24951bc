"""Market test fixtures: private data directory, real patent records owned by demo organisations."""

import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Index and uploaded files under tmp_path."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"
    yield


@pytest.fixture
def real(db):
    """200 real invention publications (SIPO gazette), as filed."""
    from tests.market import realdata

    return realdata.load_sipo_epub(limit=200)


@pytest.fixture
def owned(real, users, become_holder):
    """A real invention treated as granted in 2019, single owner; the `sdu` user acts for that applicant (an organisation of
    that name with a verified claim of it)."""
    from tests.market import realdata

    patent = next(p for p in real if p.abstract and ";" not in p.applicants_text and len(p.abstract) > 60)
    become_holder(users["sdu"], patent.applicant_links.get().applicant.name)
    return realdata.grant(patent, on=dt.date(2019, 6, 1))


@pytest.fixture
def listing_kwargs():
    return dict(
        summary="用通俗的话说明：该技术让产品更稳定。",
        application_fields="食品、保健品",
        maturity="pilot",
        asking_price="30",
    )


@pytest.fixture(scope="module")
def market_reference(django_db_setup, django_db_blocker):
    """A transaction around the whole module, rolled back afterwards, so module-scoped records (the real corpus) are
    shared by its tests (each test still runs in its own savepoint); not for transactional/browser tests."""
    from django.db import transaction

    from ipplatform.core import regions
    from ipplatform.core.models import Division
    from tests.conftest import _load_shared_rows

    with django_db_blocker.unblock():
        with transaction.atomic():
            if not Division.objects.exists():  # emptied by an earlier browser test
                _load_shared_rows()
            regions.clear_caches()
            yield
            transaction.set_rollback(True)
        regions.clear_caches()
