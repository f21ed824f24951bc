"""Workflow history for every django-fsm state machine: transitions are called as
`obj.accept(by=user, reason="…")`, and one receiver records who, when, from, to and why."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from . import audit, context
from .enums import AuditAction


def on_post_transition(sender, instance, name, source, target, method_kwargs=None, exception=None, **kwargs):
    from .models import StateTransition

    method_kwargs = method_kwargs or {}
    actor = method_kwargs.get("by") or context.current_user()
    reason = method_kwargs.get("reason", "") or ""
    field_name = kwargs.get("field").name if kwargs.get("field") is not None else "state"
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(sender),
        object_id=str(instance.pk),
        field=field_name,
        transition=name,
        source=str(source),
        target=str(target),
        actor_id=actor.pk if actor else None,
        actor_name=actor.get_username() if actor else (context.current_system() or "system"),
        reason=reason,
        at=timezone.now(),
    )
    audit.record(
        AuditAction.TRANSITION,
        obj=instance,
        actor=actor,
        before={field_name: str(source)},
        after={field_name: str(target)},
        reason=f"{name}: {reason}".strip(": "),
    )


def history(obj):
    """The state history of an object, oldest first."""
    from .models import StateTransition

    return StateTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).order_by("at", "pk")


def run_transition(obj, transition_name: str, *, by, reason: str = "", **kwargs):
    """Apply a named transition with a Chinese error when it is not allowed now; caller saves inside a transaction."""
    method = getattr(obj, transition_name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise TransitionNotAllowed(f"未知的流程操作“{transition_name}”")
    if not can_proceed(method):
        state = getattr(obj, "get_state_display", lambda: obj.state)()
        raise TransitionNotAllowed(f"当前状态“{state}”下不能执行“{transition_name}”操作")
    if by is not None and not has_transition_perm(method, by):
        raise PermissionDenied(f"您无权执行“{transition_name}”操作")
    return method(by=by, reason=reason, **kwargs)
