"""Shared fixtures: reference data, demo organisations and accounts, and a headless Chromium."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reference_data(db):
    """GB/T 2260 divisions, division changes and census population (IPC is the separate `ipc_data`)."""
    from ipplatform.core import reference, regions
    from ipplatform.core.models import Division

    if not Division.objects.exists():
        reference.load_divisions()
        reference.load_population()
    regions.clear_caches()
    yield
    regions.clear_caches()


@pytest.fixture
def ipc_data(db):
    from ipplatform.core import reference
    from ipplatform.core.models import IPCEntry

    if not IPCEntry.objects.exists():
        reference.load_ipc()
        reference.load_tech_fields()


@pytest.fixture
def orgs(reference_data):
    """Demo organisations keyed as in core.demo: 'office', 'dept:法律事务处', 'city:370200', 'haier', 'sdu', 'bank', ..."""
    from ipplatform.core import demo

    return demo.create_organizations()


@pytest.fixture
def users(orgs):
    """Demo accounts keyed by username: admin, leader, fawu, guihua, city370200, city371200, huangdao, haier, sdu, bank, expert, public, ..."""
    from ipplatform.core import demo
    from ipplatform.core.models import User

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
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
    )
    yield b
    b.close()


@pytest.fixture
def page(browser):
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
