import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def officer(users):
    return users["city370200"]


@pytest.fixture
def make_case(users):
    from ipplatform.protection import services

    def make(case_type="infringement", received_on=dt.date(2026, 2, 12), by=None, **kw):
        kw.setdefault("title", "某公司侵犯“一种空调控制方法”发明专利权纠纷")
        kw.setdefault("region_code", "370211")
        kw.setdefault("respondent_name", "青岛某电器有限公司")
        kw.setdefault("requester_name", "海尔集团公司")
        return services.create_case(case_type=case_type, by=by or users["city370200"], received_on=received_on, **kw)

    return make


@pytest.fixture
def step(users):
    """step(case, name, on=date, **data) runs a transition as the Qingdao officer and returns the reloaded case."""
    from ipplatform.protection import services
    from ipplatform.protection.models import Case

    def run(case, name, on=None, by=None, reason="依法办理", **data):
        services.transition(case=case, name=name, by=by or users["city370200"], reason=reason, on=on, **data)
        return Case.objects.get(pk=case.pk)

    return run


@pytest.fixture
def head(users):
    """The registered head (正职负责人) of the Qingdao bureau: approves extensions and police transfers."""
    from ipplatform.protection.demo import ensure_head

    return ensure_head(users["city370200"])


@pytest.fixture
def panel(users):
    """Three officers of the Qingdao bureau (city370200 and two colleagues): a lawful panel for an infringement decision."""
    from ipplatform.protection.demo import ensure_panel

    return ensure_panel(users["city370200"])
