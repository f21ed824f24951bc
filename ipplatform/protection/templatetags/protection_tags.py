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
    from ipplatform.core.labels import transition_label as label

    from ..models import Intake

    return TRANSITION_LABELS.get(value) or label(Intake, value)
