from . import audit
from .enums import AuditAction
from .middleware import client_ip


def mark_reset_password(sender, instance, raw=False, **kwargs):
    """A password set by another signed-in user (an administrator's reset) must be changed at first login."""
    from .context import current_user

    if raw or not instance.pk or instance.is_demo:
        return
    actor = current_user()
    if actor is None or actor.pk == instance.pk:
        return
    old = type(instance).objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old is not None and old != instance.password:
        instance.must_change_password = True


def on_login(sender, request, user, **kwargs):
    audit.record(AuditAction.LOGIN, obj=user, actor=user, ip=client_ip(request) if request else "")


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, obj=user, actor=user, ip=client_ip(request) if request else "")


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    audit.record(
        AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_repr=username[:150],
        actor_name=username[:150] or "anonymous",
        ip=client_ip(request) if request is not None else "",
        reason="用户名或密码错误",
    )
