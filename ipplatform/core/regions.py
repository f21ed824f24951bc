"""Administrative divisions: cities of a revision, city/county membership, mapping to today's divisions."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

# The models are imported where they are queried, so that modules loaded before django.setup() (the search
# index's import helper) can use the pure city_code_of.

REVISION_2015 = "201512"


def province_prefix() -> str:
    return settings.PROVINCE_CODE[:2]


def city_code_of(code: str | None) -> str:
    """The prefecture-level code a division belongs to ('370211' -> '370200')."""
    if not code or len(code) != 6 or code.endswith("0000"):
        return ""
    return code[:4] + "00"


def province_code_of(code: str | None) -> str:
    """The province a division belongs to ('370211' -> '370000')."""
    if not code or len(code) < 2:
        return ""
    return code[:2] + "0000"


def cities(revision: str = REVISION_2015) -> list[tuple[str, str]]:
    """(code, name) of the province's prefecture-level cities in a revision (2015: 17, 莱芜 included)."""
    from .models import Division

    qs = Division.objects.filter(revision=revision, level="city", code__startswith=province_prefix()).order_by("code")
    return list(qs.values_list("code", "name"))


def current_cities() -> list[tuple[str, str]]:
    """Today's cities: the latest revision loaded with later mergers applied (16 in Shandong after 2019)."""
    from .models import Division, DivisionChange

    latest = Division.objects.order_by("-revision").values_list("revision", flat=True).first()
    merged = set(DivisionChange.objects.filter(old_code__endswith="00").values_list("old_code", flat=True))
    return [(c, n) for c, n in cities(latest) if c not in merged] if latest else []


@lru_cache(maxsize=4096)
def _change_map() -> dict[str, str]:
    from .models import DivisionChange

    return dict(DivisionChange.objects.values_list("old_code", "new_code"))


def to_current(code: str) -> str:
    """Map a historical code to today's division (371202 -> 370116, 371200 -> 370100); others unchanged."""
    mapping = _change_map()
    if code in mapping:
        return mapping[code]
    city = city_code_of(code)
    if city in mapping and code != city:
        return mapping[city]
    return code


def name_of(code: str, revision: str = REVISION_2015) -> str:
    names = division_names(revision)
    return names.get(code, "")


def display_name(code, *, empty: str = "") -> str:
    """The division's name for users ('370212' -> '崂山区'): as of 2015 where the code existed then, else from the
    newest loaded revision or division change that has it (370116 -> 莱芜区, created in 2019); the code itself when
    no table knows it, and `empty` when there is no code."""
    code = str(code or "")
    if not code:
        return empty
    return name_of(code) or _later_names().get(code, code)


@lru_cache(maxsize=1)
def _later_names() -> dict[str, str]:
    """Names of codes from every loaded revision and division change, a newer source winning over an older one."""
    from .models import Division, DivisionChange

    names: dict[str, str] = {}
    for revision in sorted(set(Division.objects.values_list("revision", flat=True))):
        names.update(division_names(revision))
    changes = DivisionChange.objects.order_by("effective").values_list("new_code", "new_name")
    names.update(dict(changes))
    return names


@lru_cache(maxsize=8)
def division_names(revision: str = REVISION_2015) -> dict[str, str]:
    from .models import Division

    return dict(Division.objects.filter(revision=revision).values_list("code", "name"))


def clear_caches() -> None:
    _change_map.cache_clear()
    division_names.cache_clear()
    _later_names.cache_clear()
