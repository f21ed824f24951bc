import importlib

from django.core.management import call_command
from django.core.management.base import BaseCommand

from ipplatform.core import demo
from ipplatform.core.context import acting_as
from ipplatform.core.models import User
from ipplatform.urls import DOMAIN_APPS


class Command(BaseCommand):
    help = "Load reference data, demo organisations and accounts, the real patent records in data/, and each app's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--synthetic", type=int, default=0, help="also generate N synthetic (模拟) patent records")
        parser.add_argument("--skip-reference", action="store_true", help="reference data already loaded")
        parser.add_argument(
            "--rebuild-index",
            action="store_true",
            help="rebuild the search index even when the imports kept it complete",
        )

    def handle(self, *args, **options):
        if not options["skip_reference"]:
            call_command("load_reference_data", stdout=self.stdout)
        with acting_as(system="command:load_demo"):
            orgs = demo.create_organizations()
            accounts = demo.create_accounts(orgs)
            # Each app may ship a demo.py with load(stdout=..., options=...), run in dependency order.
            for app in DOMAIN_APPS:
                if app == "core":
                    continue
                try:
                    module = importlib.import_module(f"ipplatform.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"ipplatform.{app}.demo":
                        raise
                    continue
                module.load(stdout=self.stdout, options=options)
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {demo.DEMO_PASSWORD}，仅用于演示）：")
        # the organisation each account acts for now: an app's demo may have moved it (orgs.demo: a real applicant)
        current = dict(
            User.objects.filter(username__in=[a[0] for a in accounts]).values_list("username", "organization__name")
        )
        for username, role, _ in accounts:
            self.stdout.write(f"  {username:<14} {role:<14} {current.get(username) or '—'}")
