import pytest


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Attachments go under the test's temporary directory."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def plan2015(users):
    """The shipped 2015 plan imported by the administrator."""
    from ipplatform.workplan import services

    imp = services.stage_builtin(user=users["admin"])
    return services.commit_import(imp=imp, by=users["admin"])


@pytest.fixture
def task_of(plan2015):
    """task_of(n): task number n of the 2015 plan."""

    def get(number):
        return plan2015.tasks.get(number=number)

    return get
