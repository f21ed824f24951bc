"""API authentication classes (their own module: DRF reads them while rest_framework.views is being imported, so
they cannot live in a module that imports the views)."""

from __future__ import annotations

from rest_framework import authentication, exceptions


class BasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic for API clients; a user name or password with control characters (a NUL byte cannot even be sent to
    PostgreSQL) or over 150/4096 characters is refused as bad credentials before any database lookup."""

    def authenticate_credentials(self, userid, password, request=None):
        if len(userid) > 150 or len(password) > 4096 or any(ord(ch) < 32 or ord(ch) == 127 for ch in userid + password):
            raise exceptions.AuthenticationFailed("用户名或密码无效")
        return super().authenticate_credentials(userid, password, request)
