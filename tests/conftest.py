"""Shared fixtures: reference data, demo organisations and accounts, and a headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True, scope="session")
def _jobs_run_immediately():
    """Queued jobs run at once in the test's thread (huey immediate mode, in-memory storage); tests of the real
    worker (tests/core/test_job_worker.py) start `manage.py run_huey` processes of their own."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (statistics cached by an earlier test's data must not leak)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Data migrations whose rows a flush removes; their seed functions are idempotent (get_or_create).
DATA_MIGRATION_SEEDS = [("ipplatform.protection.migrations.0002_seed_and_triggers", "seed")]


def _load_shared_rows():
    """Reference data, data-migration rows, demo organisations and accounts; their audit events are removed so each
    test starts an empty chain."""
    import importlib

    from django.apps import apps as django_apps
    from django.test import override_settings

    from ipplatform.core import demo, reference, regions
    from ipplatform.core.models import AuditEvent, Division, IPCEntry

    if not Division.objects.exists():
        reference.load_divisions()
        reference.load_population()
    if not IPCEntry.objects.exists():
        reference.load_ipc()
        reference.load_tech_fields()
    for module, function in DATA_MIGRATION_SEEDS:
        getattr(importlib.import_module(module), function)(django_apps, None)
    regions.clear_caches()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        orgs = demo.create_organizations()
        demo.create_accounts(orgs)
    AuditEvent.objects.all().delete()
    return orgs


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shared rows once per test database; each test runs in a transaction rolled back afterwards.

    Browser tests (transactional) empty the database when they finish; the fixtures below then load again.
    The append-only tables' DELETE triggers are dropped for the test database (flushes empty every table);
    tests/core/test_tamper.py creates them again inside its own transaction."""
    from django.db import connection

    from ipplatform.core.dbguards import APPEND_ONLY_TABLES, drop_no_delete_triggers

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            drop_no_delete_triggers(editor, APPEND_ONLY_TABLES)
        _load_shared_rows()


@pytest.fixture(autouse=True)
def _anchor_sinks(settings, tmp_path_factory):
    """Each test appends audit and evidence anchors (core.anchors) to its own files, not to var/."""
    folder = tmp_path_factory.mktemp("anchors")
    settings.AUDIT_ANCHOR_PATH = str(folder / "audit.log")
    settings.EVIDENCE_ANCHOR_PATH = str(folder / "evidence.log")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (browser tests) has emptied the database, put back the data-migration rows and the
    shared rows, so the tests that follow (in any app, in any order) start from the same database as the first did."""
    yield
    if not ({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))):
        return
    if nextitem is None:  # the session is ending: the test database is already gone, nothing follows to need the rows
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _load_shared_rows()


@pytest.fixture
def reference_data(db):
    """GB/T 2260 divisions, division changes, census population, IPC and WIPO fields."""
    from ipplatform.core import regions
    from ipplatform.core.models import Division, IPCEntry

    if not (Division.objects.exists() and IPCEntry.objects.exists()):
        _load_shared_rows()
    regions.clear_caches()
    yield
    regions.clear_caches()


@pytest.fixture
def ipc_data(reference_data):
    """IPC (Chinese and English) and the WIPO 35 fields: part of reference_data, kept as a name for readability."""


@pytest.fixture
def orgs(reference_data):
    """Demo organisations keyed as in core.demo: 'office', 'dept:法律事务处', 'city:370200', 'haier', 'sdu', 'bank', ..."""
    from ipplatform.core import demo

    return demo.existing_organizations() or demo.create_organizations()


@pytest.fixture
def users(orgs):
    """Demo accounts keyed by username: admin, leader, fawu, guihua, city370200, city371200, huangdao, haier, sdu, bank, expert, public, ..."""
    from ipplatform.core import demo
    from ipplatform.core.models import User

    if not User.objects.filter(username="city371700").exists():
        demo.create_accounts(orgs)
    return {u.username: u for u in User.objects.select_related("organization")}


@pytest.fixture
def password():
    from ipplatform.core.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/setup.sh (installs Debian's chromium)")
    b = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    )
    yield b
    b.close()


def _settled_click(click):
    """Wraps Page.click / Locator.click: Playwright returns once a navigation the click started has committed, when
    the new document may not be parsed yet (content() is then "" and evaluate() loses its context). Waiting for its
    DOMContentLoaded makes the next read see the new page; a click that navigates nowhere finds the current document
    already loaded and returns at once."""

    def click_and_settle(self, *args, **kwargs):
        click(self, *args, **kwargs)
        page = self if hasattr(self, "main_frame") else self.page
        if not page.is_closed():
            page.wait_for_load_state("domcontentloaded")

    return click_and_settle


@pytest.fixture
def page(browser, monkeypatch):
    """A fresh browser tab. Browser tests are transactional: the database is emptied afterwards, and the hook above
    loads the shared rows again."""
    from playwright.sync_api import Locator, Page

    monkeypatch.setattr(Page, "click", _settled_click(Page.click))
    monkeypatch.setattr(Locator, "click", _settled_click(Locator.click))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves var/screenshots/name.png and returns the path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(password):
    """login(page, live_server, username) logs in through the real login form."""

    def do(pg, server, username: str, pw: str | None = None):
        pg.goto(f"{server.url}/login/")
        pg.fill("#id_username", username)
        pg.fill("#id_password", pw or password)
        pg.click("button[type=submit]")
        pg.wait_for_load_state("networkidle")

    return do


@pytest.fixture
def verified_claim(db):
    """verified_claim(org, name=None, kind="current"): a verified claim of an applicant name by the organisation (as if its
    evidence had been checked by the city bureau). Ownership checks count only such claims (orgs.services.holder_check)."""

    def make(org, name=None, kind="current"):
        from ipplatform.orgs.models import ApplicantClaim
        from ipplatform.orgs.services import folded

        name = name or org.name
        return ApplicantClaim.objects.create(
            organization=org,
            name=name,
            name_norm=folded(name),
            kind=kind,
            state="verified",
            decision_note="测试：证明材料已核验",
        )

    return make


@pytest.fixture
def become_holder(verified_claim):
    """become_holder(user, applicant_name): the user's organisation becomes the body named as that (real) applicant, with a
    verified claim of its own name, so that tests on real records act as the patentee itself."""

    def make(user, applicant_name):
        from ipplatform.core.models import Organization

        org, _ = Organization.objects.get_or_create(
            kind=user.organization.kind, name=applicant_name, defaults={"region_code": user.organization.region_code}
        )
        user.organization = org
        user.save(update_fields=["organization"])
        verified_claim(org)
        return org

    return make
