"""What users read carries no internal codes (issue 25): the main pages rendered for each role are scanned for
snake_case codes in visible text, placeholder record ids, repository addresses, developer commands and error names."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from ipplatform.finance.models import Pledge
from ipplatform.protection.models import Case

ROLES = ("admin", "fawu", "city370200", "haier", "bank", "public")
PAGES = (
    "home",
    "search:search",
    "protection:case_list",
    "protection:rules",
    "core:audit",
    "core:regions",
    "finance:pledges",
    "market:showcase",
    "market:demand_list",
    "orgs:list",
    "workplan:index",
    "navigation:index",
)
OFFENDING = {
    "snake_case code": re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z0-9]+)+(?![\w./@-])"),
    "placeholder record id": re.compile(r"\bK[0-9A-F]{15}\b"),
    "repository address": re.compile(r"github\.com", re.I),
    "developer command": re.compile(r"manage\.py"),
    "error name": re.compile(r"Resolver404|Traceback|NoReverseMatch"),
    "calendar library": re.compile(r"chinese-calendar"),
}


# Pages with an offence that is known and accepted; empty: any offence fails the test.
KNOWN_OFFENCES: dict[str, list[str]] = {}


class _Visible(HTMLParser):
    """Text a reader sees: no script, style, code or hidden inputs; title and alt attributes included."""

    SKIP = {"script", "style", "code", "pre", "template"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        for name, value in attrs:
            if name in ("title", "alt", "placeholder", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def offences(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r}" for what, rx in OFFENDING.items() for m in rx.finditer(text)]


def test_scanner_finds_what_it_looks_for():
    html = "<p>状态 not_started → 办理中 K2353C57B8D07A35 github.com/x manage.py verify</p><script>var a_b=1</script>"
    found = offences(visible_text(html))
    assert len(found) == 4 and not any("a_b" in f for f in found)
    assert offences(visible_text("<p>申请号 CN201510001234.5，邮箱 a_b@example.cn，文件 x_y.xlsx</p>")) == []


def _urls():
    urls = []
    for name in PAGES:
        urls.append(reverse(name))
    case = Case.objects.order_by("pk").first()
    pledge = Pledge.objects.order_by("pk").first()
    if case:
        urls.append(reverse("protection:case_detail", args=[case.pk]))
    if pledge:
        urls.append(reverse("finance:pledge_detail", args=[pledge.pk]))
    return urls


@pytest.mark.django_db
def test_main_pages_show_no_internal_codes(demo_world, users):
    found = {}
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        for url in _urls():
            resp = client.get(url)
            if resp.status_code != 200:
                continue  # pages a role may not open are the access matrix's subject
            bad = offences(visible_text(resp.content.decode()))
            if bad:
                found[f"{role} {url}"] = sorted(set(bad))[:8]
    assert found == KNOWN_OFFENCES
