"""Write the 16-city Shandong map (2020 boundaries, from data/census) as GeoJSON for ECharts: static/maps/shandong_2020.json."""

import csv
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from ipplatform.lib.wktgeo import feature_collection

OUT = Path(__file__).resolve().parents[3] / "static" / "maps" / "shandong_2020.json"


class Command(BaseCommand):
    help = "Convert the 2020 city boundaries (WKT, data/census/shandong_city_census_2010_2020.csv) to GeoJSON for the 16-city map."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(OUT))

    def handle(self, *args, **options):
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        src = Path(settings.REFERENCE_DATA_DIR) / "census" / "shandong_city_census_2010_2020.csv"
        with src.open(encoding="utf-8") as fh:
            items = [(r["city"], r["city_code"], r["coord"]) for r in csv.DictReader(fh) if r["coord"]]
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(feature_collection(items), ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        self.stdout.write(f"已写出{len(items)}个地市边界（2020年区划）：{out}（{out.stat().st_size // 1024} KB）")
