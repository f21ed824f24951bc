import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "patents_cn"


@pytest.fixture(autouse=True)
def _fresh_attribution_cache():
    """The region index is built from core.Division: rebuild it for each test database."""
    from ipplatform.patents import attribution

    attribution.clear_cache()
    yield
    attribution.clear_cache()


@pytest.fixture
def patents_env(reference_data, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def carrot_rows():
    """Header and rows of the real CNIPA export sample (199 utility models)."""
    with (DATA / "sipo_export_sample_carrotc.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_csv(path: Path, header, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path
