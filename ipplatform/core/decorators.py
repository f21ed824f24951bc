"""View decorators shared by every app: one way for a POST handler to turn bad input into a message."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .inputs import InputError


def back_url(request, *, fallback: str = "home") -> str:
    """The page the user came from when it is on this site, else the named fallback URL."""
    back = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return reverse(fallback)


def input_errors_as_messages(view=None, *, fallback: str = "home"):
    """An InputError raised by the view becomes a Chinese message on the page the user came from (never a 500).

    Use bare (`@input_errors_as_messages`) or with the URL name to go to when there is no usable referrer.
    """

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            try:
                return func(request, *args, **kwargs)
            except InputError as exc:
                messages.error(request, exc.message)
                return redirect(back_url(request, fallback=fallback))

        return wrapper

    return decorate(view) if view is not None else decorate
