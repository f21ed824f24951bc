import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import context


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Makes the request's user and IP available to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context.set_request(getattr(request, "user", None), client_ip(request))
        try:
            return self.get_response(request)
        finally:
            context.clear()


class IdleTimeoutMiddleware:
    """Logs a user out after SESSION_IDLE_TIMEOUT seconds without a request (等保 level 3)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?next={request.path}&timeout=1")
            # the session row is rewritten at most once a minute (1/30 of the timeout), not on every request: under
            # load every saved session is a write transaction, and the logout stays within a minute of the limit
            if last is None or now - last >= min(60, settings.SESSION_IDLE_TIMEOUT // 30):
                request.session["last_activity"] = now
        return self.get_response(request)


# No inline scripts or handlers anywhere (behaviours live in static/js/platform.js); inline style attributes remain.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The API documentation page (drf-spectacular's Swagger UI) runs its own inline bootstrap script.
CSP_EXEMPT_PREFIXES = ("/api/v1/docs/",)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; `Cache-Control: no-store` on every page
    served to a signed-in user (personal data must not stay in shared caches or the browser's history cache);
    a Chinese 414 page for URLs longer than MAX_URL_LENGTH (set gunicorn's --limit-request-line above it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.get_full_path()) > getattr(settings, "MAX_URL_LENGTH", 4096):
            from .errors import uri_too_long

            response = uri_too_long(request)
        else:
            response = self.get_response(request)
        if not request.path.startswith(CSP_EXEMPT_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
            response.headers.setdefault("Pragma", "no-cache")
        return response


class ForcePasswordChangeMiddleware:
    """A password an administrator set for someone else must be changed at first login: until then every page
    leads to the password change page (API: 403 with the reason). Demo accounts are not forced (their published
    password is the point of the demo); core.signals marks resets."""

    ALLOWED = ("/account/password/", "/logout/", "/static/", "/login/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"error": "管理员已重置您的密码：请先在“修改密码”页面设置新密码"},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            from django.contrib import messages

            messages.warning(request, "管理员已重置您的密码，请先设置新密码")
            return redirect("core:password_change")
        return self.get_response(request)


def _nul_error(where: str, data):
    """The InputError for the first key or text value of `data` (a QueryDict) that holds a NUL byte, else None."""
    from .inputs import InputError

    for key, values in data.lists():
        if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
            name = key.replace("\x00", "\\x00")[:40]
            return InputError(f"{where}“{name}”含有空字符（\\x00），请求已拒绝", field=name)
    return None


def _file_name_error(files):
    """The InputError for the first upload whose field or file name holds a control character, else None. Django's
    multipart parser already drops non-printable characters from file names; this covers any other parser and the
    field names, which it keeps as sent."""
    from .inputs import _CONTROL, InputError

    for key, uploads in files.lists():
        if "\x00" in key:
            name = key.replace("\x00", "\\x00")[:40]
            return InputError(f"上传字段“{name}”含有空字符（\\x00），请求已拒绝", field=name)
        for upload in uploads:
            name = upload.name or ""
            if _CONTROL.search(name) or any(c in name for c in "\t\n\r"):
                shown = _CONTROL.sub("?", name).translate({9: "?", 10: "?", 13: "?"})[:60]
                return InputError(f"上传文件“{shown}”的文件名含有控制字符，请改名后重新上传", field=key[:40])
    return None


class InputErrorMiddleware:
    """Bad input that a view did not turn into a message itself: a Chinese 400 page (JSON under /api/), never a 500.

    A NUL byte cannot be stored or even compared in PostgreSQL text: it is refused at the door, naming the parameter.
    Query strings and url-encoded forms are checked before anything else runs (parsing them keeps request.body
    readable). Multipart forms are checked in process_view, after CsrfViewMiddleware, which parses them for every page
    POST anyway: the parsed POST and FILES stay on the request, and DRF's Request takes them from there when the
    stream has been read, so neither pages nor the API lose their uploads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import QueryDict

        urlencoded = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        form = request.POST if urlencoded else QueryDict()
        for where, data in (("网址参数", request.GET), ("表单字段", form)):
            error = _nul_error(where, data)
            if error is not None:
                return self.process_exception(request, error)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http.multipartparser import MultiPartParserError

        from .inputs import InputError

        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        try:
            post, files = request.POST, request.FILES
        except MultiPartParserError as exc:
            # Django would answer a bare 400 page; a malformed body gets the platform's Chinese answer (JSON in the API)
            return self.process_exception(request, InputError(f"表单数据无法解析（{exc}），请求已拒绝", field="表单"))
        error = _nul_error("表单字段", post) or _file_name_error(files)
        return self.process_exception(request, error) if error is not None else None

    def process_exception(self, request, exception):
        from django.http.request import RawPostDataException

        from .inputs import InputError

        if isinstance(exception, RawPostDataException):
            # a view that reads the raw (JSON) body was sent a form, which the CSRF or NUL check has parsed already
            exception = InputError("此处需要JSON请求体，收到的是表单数据", field="请求体")
        if not isinstance(exception, InputError):
            return None
        from django.http import JsonResponse
        from django.shortcuts import render

        if request.path.startswith("/api/"):
            return JsonResponse(exception.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"exception": exception.message}, status=400)
