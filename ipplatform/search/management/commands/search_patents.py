import json

from django.core.management.base import BaseCommand, CommandError

from ipplatform.core.inputs import InputError
from ipplatform.search import query as ql
from ipplatform.search import services


class Command(BaseCommand):
    help = "按检索式检索专利：--format ids（申请号，每行一个；不给 --limit 时输出全部命中）| table | json"

    def add_arguments(self, parser):
        parser.add_argument("query", help='检索式，如 "名称=(石墨烯 AND 电池) AND 申请日>=2015"')
        parser.add_argument("--format", choices=["ids", "table", "json"], default="ids")
        parser.add_argument("--limit", type=int, default=None, help="最多输出条数（默认：ids 全部，table/json 20）")
        parser.add_argument("--city", default=None, help="限定地市（6位区划代码）")
        parser.add_argument("--sort", default=None, help="排序：relevance、ad_desc、ad_asc、pd_desc …")

    def handle(self, *args, query, format, limit, city, sort, **options):
        try:
            if format == "ids":
                ids = services.matching_ids(query=query, city_code=city, sort=sort or "ad_desc")
                for pid in ids[:limit] if limit is not None else ids:
                    self.stdout.write(pid)
                return
            n = limit if limit is not None else 20
            hits, total, cursor = [], None, None
            while len(hits) < n:
                r = services.search(
                    query=query,
                    city_code=city,
                    sort=sort or "relevance",
                    cursor=cursor,
                    limit=min(200, n - len(hits)),
                    facets=False,
                )
                total = r.total
                hits += r.hits
                cursor = r.next_cursor
                if not cursor:
                    break
        except InputError as exc:
            raise CommandError(f"{exc.message}\n{ql.caret(query, exc.position)}")
        if format == "json":
            out = [{k: (str(v) if k == "highlights" else v) for k, v in h.items() if k != "highlights"} for h in hits]
            self.stdout.write(json.dumps({"query": query, "total": total, "hits": out}, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"命中 {total} 件，显示 {len(hits)} 件")
        self.stdout.write(f"{'申请号':<16}{'申请日':<12}{'类型':<6}名称 / 申请人")
        for h in hits:
            flag = "［模拟数据］" if h["is_synthetic"] else ""
            self.stdout.write(
                f"{h['application_number']:<18}{h['application_date'] or '—':<12}{h['patent_type']:<6}{flag}{h['title']} / {h['applicants']}"
            )
