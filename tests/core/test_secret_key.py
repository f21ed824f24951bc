"""The per-installation secret key is created once, whole, even when several processes start at the same moment."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

READ_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def _env(data_dir):
    return {"DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "ipplatform.settings", "PATH": "/usr/bin:/bin"}


def _read_key(data_dir):
    return subprocess.run(
        [sys.executable, "-c", READ_KEY],
        cwd=settings.BASE_DIR,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_processes_starting_together_share_one_nonempty_key(tmp_path):
    env = _env(tmp_path)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", READ_KEY],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    keys = set()
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        keys.add(out.strip())
    assert len(keys) == 1
    (key,) = keys
    assert len(key) >= 50
    assert (Path(tmp_path) / "secret_key").read_text() == key
    assert [p.name for p in Path(tmp_path).iterdir() if p.name.startswith(".secret_key")] == []


def test_an_existing_key_is_kept(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 60)
    assert _read_key(tmp_path).stdout.strip() == "k" * 60


def test_an_empty_key_file_stops_the_start_instead_of_running_without_a_key(tmp_path):
    (tmp_path / "secret_key").write_text("")
    run = _read_key(tmp_path)
    assert run.returncode != 0
    assert "secret_key is empty" in run.stderr
