"""core.tabs: which tab of a detail page is open."""

from django.test import RequestFactory

from ipplatform.core.tabs import select

TABS = [("content", "申报内容"), ("handle", "办理"), ("history", "流转记录", 3)]


def _active(query="", **kwargs):
    tabs, active = select(RequestFactory().get("/x/" + query), TABS, **kwargs)
    assert [t.key for t in tabs if t.active] == [active]
    return active


def test_the_tab_named_in_the_address_is_open():
    assert _active("?tab=history") == "history"


def test_without_a_tab_in_the_address_the_first_is_open():
    assert _active() == "content"


def test_an_unknown_tab_opens_the_default():
    assert _active("?tab=evil", default="handle") == "handle"


def test_a_default_that_is_not_a_tab_falls_back_to_the_first():
    assert _active(default="review") == "content"


def test_the_address_wins_over_the_default():
    assert _active("?tab=content", default="handle") == "content"


def test_counts_are_kept():
    tabs, _ = select(RequestFactory().get("/x/"), TABS)
    assert [t.count for t in tabs] == [None, None, 3]


def test_a_tab_url_names_the_tab_and_the_anchor():
    from ipplatform.core.tabs import url

    assert url("finance:pledge_detail", 7, "handle", "actions") == "/finance/pledges/7/?tab=handle#actions"
    assert url("programmes:application", 3, "files") == "/programmes/applications/3/?tab=files"
