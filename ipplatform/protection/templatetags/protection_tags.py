from django import template

from ..enums import CaseState, IntakeState
from ..services import TRANSITION_LABELS

register = template.Library()
_LABELS = {**dict(IntakeState.choices), **dict(CaseState.choices)}


@register.filter
def state_label(value):
    """Chinese label of a case or intake state code."""
    return _LABELS.get(value, value)


@register.filter
def transition_label(value):
    return TRANSITION_LABELS.get(value, {"route": "分派", "convert": "转为案件", "answer": "答复", "refer_out": "告知不属受理范围"}.get(value, value))
