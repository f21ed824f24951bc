"""Protection case decisions feed the credit record: an infringement decision that has become final and a counterfeit
penalty decision each become a credit event of the respondent (when the case names its platform organisation)."""

from __future__ import annotations

from django_fsm.signals import post_transition

from .enums import EventKind, EventSource

FEEDS = {
    # transition name -> (required outcome, event kind)
    "become_final": ("stop_infringement", EventKind.ADJUDICATED_INFRINGEMENT),
    "decide_penalty": ("penalty", EventKind.COUNTERFEIT_PENALTY),
}


def on_case_transition(sender, instance, name, source, target, **kwargs):
    from ipplatform.protection.models import Case

    if sender is not Case or name not in FEEDS:
        return
    outcome, kind = FEEDS[name]
    if instance.outcome != outcome or instance.respondent_org_id is None:
        return
    from . import services

    day = instance.decided_on or services.today()
    services.record_event(
        org=instance.respondent_org,
        kind=kind,
        occurred_on=min(day, services.today()),
        source=EventSource.PROTECTION,
        source_ref=instance.case_no,
        description=f"{instance.case_no} {instance.title}：{instance.get_outcome_display()}",
        evidence_url=f"/protection/cases/{instance.pk}/",
        document_no=instance.case_no,
    )


def connect():
    post_transition.connect(on_case_transition, dispatch_uid="credit.on_case_transition")
