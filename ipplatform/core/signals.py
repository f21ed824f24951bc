from . import audit
from .enums import AuditAction
from .middleware import client_ip


def on_login(sender, request, user, **kwargs):
    audit.record(AuditAction.LOGIN, obj=user, actor=user, ip=client_ip(request) if request else "")


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, obj=user, actor=user, ip=client_ip(request) if request else "")


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    audit.record(
        AuditAction.LOGIN_FAILED, object_type="core.user", object_repr=username[:150], actor_name=username[:150] or "anonymous",
        ip=client_ip(request) if request is not None else "", reason="用户名或密码错误",
    )
