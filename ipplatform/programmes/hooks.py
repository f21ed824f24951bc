"""Programme hooks: rules that live in another app, registered per programme type code.

The engine never imports the apps whose schemes it runs (imports go downward: finance imports programmes, not the
reverse). An app that runs a scheme on the engine registers, in its ``AppConfig.ready()``:

- ``amount(application) -> (yuan, computation)``: the amount of a funding decision (``flows.decide_funding``) and
  the computation in words (stored as the decision note), instead of the sum of the claimed patents;
- ``refusals(application) -> [reason, …]``: reasons the application cannot go on, checked at ``flows.submit`` and
  when a check stage passes it (empty: it may);
- ``subject(application) -> (ref, label)``: the record the application is about, stored on
  ``Application.subject_ref`` / ``subject_label`` when the form is saved (e.g. ``"finance.pledge:12"`` and the
  pledge's registration number), so that app finds the applications of its records without a foreign key;
- ``link(subject_ref) -> url | None``: the page of that record, linked from the application page.

Each callable receives the engine's ``Application`` and may raise ``core.inputs.InputError`` with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProgrammeHooks:
    amount: Callable | None = None
    refusals: Callable | None = None
    subject: Callable | None = None
    link: Callable | None = None


_REGISTRY: dict[str, ProgrammeHooks] = {}


def register(
    code: str,
    *,
    amount: Callable | None = None,
    refusals: Callable | None = None,
    subject: Callable | None = None,
    link: Callable | None = None,
) -> None:
    """Register the rules of programme type `code` (called from the owning app's AppConfig.ready; idempotent)."""
    _REGISTRY[code] = ProgrammeHooks(amount=amount, refusals=refusals, subject=subject, link=link)


def hooks_for(code: str) -> ProgrammeHooks:
    """The hooks of a programme type (none registered: all empty)."""
    return _REGISTRY.get(code, ProgrammeHooks())


def registered_codes() -> list[str]:
    """Programme type codes whose rules another app supplies."""
    return sorted(_REGISTRY)


def amount(application) -> tuple[Decimal, str] | None:
    """The registered amount and its computation, or None when the programme has no calculator."""
    fn = hooks_for(application.call.programme.code).amount
    return fn(application) if fn else None


def refusals(application) -> list[str]:
    """The registered reasons the application cannot go on (empty when none or no check registered)."""
    fn = hooks_for(application.call.programme.code).refusals
    return list(fn(application)) if fn else []


def subject(application) -> tuple[str, str] | None:
    """The (reference, label) of the record the application is about, or None."""
    fn = hooks_for(application.call.programme.code).subject
    return fn(application) if fn else None


def link(application) -> str | None:
    """The page of the record the application is about (None: no record or no link registered)."""
    fn = hooks_for(application.call.programme.code).link
    return fn(application.subject_ref) if fn and application.subject_ref else None
