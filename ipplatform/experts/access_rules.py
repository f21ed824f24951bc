"""Access rules of the expert pool (format: docs/ACCESS.md)."""

from ipplatform.core.access import PROVINCIAL, STAFF, Obj, Rule

EXPERT = Obj("experts.Expert", user__username="expert")

RULES = [
    Rule("experts:index", allow=STAFF | {"expert"}, why="an expert is redirected to his own entry"),
    Rule("experts:new", allow=PROVINCIAL),
    Rule("experts:detail", allow=STAFF | {"expert"}, obj=EXPERT),
    Rule("experts:edit", allow=PROVINCIAL, obj=EXPERT),
    Rule(
        "experts:conflict_new",
        allow=PROVINCIAL | {"expert"},
        obj=EXPERT,
        method="POST",
        why="province staff, or the expert declaring his own",
    ),
]
