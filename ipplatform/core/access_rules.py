"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import ADMIN, EVERYONE, PROVINCE, SIGNED_IN, Obj, Rule, user


def _job(owner):
    from ipplatform.core.models import BackgroundJob

    return BackgroundJob.objects.create(kind="test", title="访问矩阵", created_by=user(owner))


RULES = [
    Rule("home", allow=SIGNED_IN),
    Rule("login", allow=EVERYONE),
    Rule(
        "logout",
        allow=EVERYONE,
        method="POST",
        status=(302,),
        why="logging out answers a redirect to the login page for everyone",
    ),
    Rule("admin:*", allow=ADMIN, status=(200,), why="Django admin: staff accounts only (the demo admin)"),
    Rule("api-schema", allow=EVERYONE),
    Rule("api-docs", allow=EVERYONE),
    Rule(
        "core:favicon",
        allow=EVERYONE,
        status=(301,),
        why="browsers ask /favicon.ico: a permanent redirect to the static icon",
    ),
    Rule("core:audit", allow=PROVINCE),
    Rule("core:audit_verify", allow=PROVINCE),
    Rule("core:password_change", allow=SIGNED_IN),
    Rule(
        "core:job",
        allow=PROVINCE | {"city370100"},
        obj=Obj("core.BackgroundJob", make=lambda: _job("city370100")),
        why="a job's progress page: whoever started it, and the province-wide roles (not the departments)",
    ),
    Rule("core:notifications", allow=SIGNED_IN),
    Rule(
        "core:notification_read",
        allow=frozenset({"city370100"}),
        obj=Obj("core.Notification", user__username="city370100"),
        method="POST",
    ),
    Rule("core:ipc", allow=EVERYONE),
    Rule("core:regions", allow=SIGNED_IN),
    Rule("core:population_import", allow=frozenset({"admin"})),
    Rule("core:population_template", allow=SIGNED_IN),
    Rule("core:api_me", allow=SIGNED_IN),
    Rule("core:api_ipc", allow=EVERYONE, kwargs={"code": "H01M"}),
    Rule("api-redoc", allow=EVERYONE, why="the API reference (ReDoc) is public, like the schema; served locally"),
    Rule(
        "healthz",
        allow=EVERYONE,
        status=(200, 503),
        why="liveness for load balancers: 503 when a dependency is down; no data",
    ),
]
