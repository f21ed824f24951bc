"""input_errors_as_messages: bad input from a POST handler comes back as a message on the page the user came from."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from ipplatform.core.decorators import input_errors_as_messages
from ipplatform.core.inputs import InputError, parse_int


@input_errors_as_messages(fallback="home")
def _view(request):
    parse_int(request.POST.get("n"), field="n", label="数量", min_value=1, max_value=9)
    return HttpResponse("ok")


def _post(data, referer=None):
    request = RequestFactory().post("/x/", data, **({"HTTP_REFERER": referer} if referer else {}))
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_good_input_reaches_the_view():
    assert _view(_post({"n": "3"})).content == b"ok"


def test_bad_input_goes_back_to_the_referring_page_with_the_chinese_message():
    request = _post({"n": "12"}, referer="http://testserver/orgs/5/")
    response = _view(request)
    assert response.status_code == 302 and response.url == "http://testserver/orgs/5/"
    assert [m.message for m in get_messages(request)] == ["数量应在1到9之间（收到12）"]


def test_a_referrer_on_another_host_is_not_followed():
    response = _view(_post({"n": "x"}, referer="https://evil.example/"))
    assert response.url == "/"


def test_other_errors_are_not_swallowed():
    @input_errors_as_messages
    def broken(request):
        raise ValueError("bug")

    try:
        broken(_post({}))
    except ValueError:
        return
    raise AssertionError("ValueError was swallowed")


def test_input_error_is_the_one_from_core_inputs():
    from ipplatform.core import api

    assert api.InputError is InputError
