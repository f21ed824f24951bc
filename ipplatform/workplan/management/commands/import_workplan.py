"""manage.py import_workplan FILE --year 2016 [--commit] [--map 名称=机构名称 …]: parse a plan, print the preview, optionally commit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipplatform.core.context import acting_as
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization, User
from ipplatform.workplan import services


class Command(BaseCommand):
    help = "导入年度工作要点（文本、Word或Excel）：先打印预览，加 --commit 才写入"

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default=str(services.BUILTIN_PLAN), help="文件路径，缺省为内置的2015年工作要点"
        )
        parser.add_argument("--year", type=int, default=None, help="年度（内置文件缺省2015）")
        parser.add_argument("--title", default="")
        parser.add_argument("--frequency", default="monthly", choices=["monthly", "quarterly"])
        parser.add_argument(
            "--map", action="append", default=[], metavar="名称=机构名称", help="把无法识别的单位对应到已有机构"
        )
        parser.add_argument("--user", default="admin", help="以该管理员身份导入")
        parser.add_argument("--commit", action="store_true", help="确认导入（否则只预览）")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"用户“{opts['user']}”不存在")
        year = opts["year"] or (2015 if path.resolve() == services.BUILTIN_PLAN.resolve() else None)
        if year is None:
            raise CommandError("请用 --year 指定年度")
        with acting_as(user=user):
            try:
                imp = services.stage_import(
                    user=user,
                    year=year,
                    title=opts["title"],
                    name=path.name,
                    data=path.read_bytes(),
                    frequency=opts["frequency"],
                )
                for item in opts["map"]:
                    name, _, org_name = item.partition("=")
                    org = Organization.objects.filter(name=org_name.strip()).first()
                    if org is None:
                        raise CommandError(f"--map {item}：机构“{org_name}”不存在")
                    services.resolve_unit(imp=imp, name=name.strip(), by=user, organization_id=org.pk)
                view = services.preview(imp)
                self.stdout.write(
                    f"{imp.title}：{view['section_count']}个部分，{view['task_count']}项任务，{view['assignment_count']}个责任单位分工"
                )
                for s in view["sections"]:
                    self.stdout.write(f"  {s['numeral']}、{s['title']}（{len(s['tasks'])}项）")
                for w in view["warnings"]:
                    self.stdout.write(self.style.WARNING(f"  提示：{w}"))
                for u in view["unresolved"]:
                    self.stdout.write(
                        self.style.WARNING(f"  待落实单位：{u['name']}（任务{'、'.join(map(str, u['tasks']))}）")
                    )
                if opts["commit"]:
                    plan = services.commit_import(imp=imp, by=user)
                    self.stdout.write(self.style.SUCCESS(f"已导入：{plan} （编号{plan.pk}）"))
                else:
                    services.cancel_import(imp=imp, by=user, reason="命令行预览")
                    self.stdout.write("仅预览，未写入（加 --commit 导入）")
            except InputError as exc:
                raise CommandError(
                    exc.message + (f"（第{exc.line}行）" if exc.line and "行" not in exc.message else "")
                )
