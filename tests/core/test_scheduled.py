"""The periodic-job list names only management commands that exist, and the daily credit-list expiry runs."""

import io

from django.core.management import call_command, get_commands

from ipplatform.core.scheduled import SCHEDULE


def test_every_scheduled_job_names_an_existing_command():
    commands = get_commands()
    missing = [s.command for s in SCHEDULE if s.command not in commands]
    assert missing == []


def test_scheduled_keys_are_unique():
    keys = [s.key for s in SCHEDULE]
    assert len(keys) == len(set(keys))


def test_credit_expire_command_reports_what_it_moved_out(db, monkeypatch):
    from ipplatform.credit import services

    seen = {}

    def fake_expire_due(*, on=None):
        seen["called"] = True
        return 2

    monkeypatch.setattr(services, "expire_due", fake_expire_due)
    out = io.StringIO()
    call_command("credit_expire", stdout=out)
    assert seen == {"called": True}
    assert "期满移出2条" in out.getvalue()
