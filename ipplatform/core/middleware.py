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
