"""The demo world shared by the access tests: loading every app's demo takes a minute or more, so it is loaded once
for the folder, not once per module."""

from __future__ import annotations

import importlib
import io

import pytest
from django.db import transaction
from django.test import override_settings

# The energy-inventions extract (82,760 of the demo's 131,196 records, no applicants, so no demo organisation's and no
# access rule's object) is left out: the access tests need every kind of object, not the volume.
SKIPPED_FILES = ("energy_inventions_carboninnovation.csv.gz",)


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data of every app (loaded as `manage.py load_demo` does) once for this folder's modules (the matrix, the
    scope leaks, the schema fuzz run one after another), rolled back after the last of them."""
    from ipplatform.core.context import acting_as
    from ipplatform.urls import DOMAIN_APPS

    data_dir = tmp_path_factory.mktemp("access-data")
    with django_db_blocker.unblock(), override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "files"):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with acting_as(system="tests:access"):
                for app in DOMAIN_APPS[1:]:
                    module = importlib.import_module(f"ipplatform.{app}.demo")
                    module.load(
                        stdout=io.StringIO(),
                        options={"synthetic": 0, "skip_reference": True, "skip_files": SKIPPED_FILES},
                    )
            yield data_dir
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
