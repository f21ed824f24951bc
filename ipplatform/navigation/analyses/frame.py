"""The data frame: the analysed columns of a patent set, read once in a few queries."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.db.models import QuerySet
from django.db.models.functions import Length

CHUNK = 5000


def chunks(seq: list, size: int = CHUNK):
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _json_list(value) -> list:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return json.loads(value)
    return list(value)  # PostgreSQL drivers return jsonb already decoded


def _json_lists(values: list) -> list[list]:
    """Decode many JSON list cells at once (one C-level parse instead of one call per row)."""
    if all(isinstance(v, str) or v is None for v in values):
        try:
            return json.loads("[" + ",".join(v if v else "[]" for v in values) + "]")
        except ValueError:
            pass
    return [_json_list(v) for v in values]


_SUBCLASS_IN_JSON = re.compile(r'"([A-H]\d\d[A-Z])')


def _year(value) -> int | None:
    if not value:
        return None
    if isinstance(value, str):  # SQLite returns ISO strings
        return int(value[:4])
    return value.year


class Frame:
    """Columns of a patent set, one list entry per record (index i is the same record in every column).

    JSON columns (inventors, all IPC symbols) and texts are decoded only when an analysis asks for them."""

    def __init__(
        self,
        *,
        ids,
        ptype,
        app_year,
        grant_year,
        ipc_main,
        province,
        city,
        status,
        claims,
        citations,
        synthetic,
        applicants,
        applicant_info,
        ipc_all_raw,
        inventors_raw,
        text_loader=None,
        claim_length_loader=None,
    ):
        self.ids, self.ptype, self.app_year, self.grant_year, self.ipc_main = ids, ptype, app_year, grant_year, ipc_main
        self.province, self.city, self.status, self.claims, self.citations = province, city, status, claims, citations
        self.synthetic, self.applicants, self.applicant_info = synthetic, applicants, applicant_info
        self._ipc_all_raw, self._inventors_raw, self.text_loader = ipc_all_raw, inventors_raw, text_loader
        self.claim_length_loader = claim_length_loader
        self._ipc_all = self._inventors = self._texts = None

    def first_claim_lengths(self, ids: list[str]) -> dict[str, int]:
        """Length of the first claim of some records (read on demand: only key patents show it)."""
        return self.claim_length_loader(ids) if self.claim_length_loader else {}

    def ipc_breadth(self) -> list[int]:
        """Number of distinct IPC subclasses of each record."""
        out = []
        for raw, main in zip(self._ipc_all_raw, self.ipc_main):
            if isinstance(raw, str):
                subs = set(_SUBCLASS_IN_JSON.findall(raw))
            else:
                subs = {c[:4] for c in (raw or []) if c}
            if not subs and main:
                subs = {main[:4]}
            out.append(len(subs))
        return out

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def ipc_all(self) -> list[list[str]]:
        if self._ipc_all is None:
            self._ipc_all = [v or ([m] if m else []) for v, m in zip(_json_lists(self._ipc_all_raw), self.ipc_main)]
        return self._ipc_all

    @property
    def inventors(self) -> list[list[str]]:
        if self._inventors is None:
            self._inventors = [[n for n in v if n] if v else [] for v in _json_lists(self._inventors_raw)]
        return self._inventors

    @property
    def texts(self) -> list[str]:
        if self._texts is None:
            self._texts = self.text_loader() if self.text_loader else [""] * len(self.ids)
        return self._texts


def patent_model():
    from ipplatform.patents.models import Patent

    return Patent


def raw_rows(qs: QuerySet) -> list[tuple]:
    """Rows of a values_list queryset straight from the database cursor (no per-value Django converters)."""
    from django.db import connections

    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


FRAME_COLUMNS = (
    "id",
    "patent_type",
    "application_date",
    "grant_date",
    "publication_date",
    "ipc_main",
    "ipc_all",
    "inventors",
    "province_code",
    "city_code",
    "legal_status",
    "claims_count",
    "citation_count",
    "is_synthetic",
)


def load_frame(*, patents: QuerySet | Iterable[str], texts: bool = False) -> Frame:
    """Read the analysed columns of a patent set (a Patent queryset, or patent ids) in a few queries.

    With `texts`, titles and abstracts (for the technology–effect matrix) come in the same pass."""
    from ipplatform.patents.models import PatentApplicant

    Patent = patent_model()
    extra = ("title", "abstract") if texts else ()
    if isinstance(patents, QuerySet):
        qs_list = [patents.order_by()]
        link_qs = [PatentApplicant.objects.filter(patent_id__in=patents.order_by().values("pk"))]
    else:
        ids = sorted(set(patents))
        qs_list = [Patent.objects.filter(pk__in=chunk).order_by() for chunk in chunks(ids)]
        link_qs = [PatentApplicant.objects.filter(patent_id__in=chunk) for chunk in chunks(ids)]
    rows = []
    for qs in qs_list:
        rows.extend(raw_rows(qs.values_list(*FRAME_COLUMNS, *extra)))
    rows.sort(key=lambda r: r[0])
    index = {r[0]: i for i, r in enumerate(rows)}
    applicants: list[list[int]] = [[] for _ in rows]
    links = []
    for qs in link_qs:
        links.extend(
            raw_rows(
                qs.order_by().values_list(
                    "patent_id", "applicant_id", "order", "applicant__name", "applicant__entity_type"
                )
            )
        )
    links.sort(key=lambda r: (r[0], r[2]))
    info = {}
    for pid, aid, _order, name, et in links:
        i = index.get(pid)
        if i is not None:
            applicants[i].append(aid)
            info[aid] = (name, et)
    ordered_ids = [r[0] for r in rows]
    grant_year = []
    for r in rows:
        y = _year(r[3])
        if y is None and r[1] in ("utility", "design"):
            y = _year(r[4])  # utility models and designs are published on grant
        grant_year.append(y)
    text_col = [f"{r[14] or ''}。{r[15] or ''}" for r in rows] if texts else None

    def claim_lengths(some: list[str]) -> dict[str, int]:
        out = {}
        for chunk in chunks(list(some)):
            out.update(
                dict(
                    raw_rows(
                        Patent.objects.filter(pk__in=chunk)
                        .order_by()
                        .annotate(n=Length("first_claim"))
                        .values_list("pk", "n")
                    )
                )
            )
        return {k: v or 0 for k, v in out.items()}

    def load_texts():
        if text_col is not None:
            return text_col
        by_id = {}
        for chunk in chunks(ordered_ids):
            by_id.update(
                {
                    pk: f"{t or ''}。{a or ''}"
                    for pk, t, a in raw_rows(
                        Patent.objects.filter(pk__in=chunk).order_by().values_list("pk", "title", "abstract")
                    )
                }
            )
        return [by_id.get(pk, "") for pk in ordered_ids]

    return Frame(
        ids=ordered_ids,
        ptype=[r[1] for r in rows],
        app_year=[_year(r[2]) for r in rows],
        grant_year=grant_year,
        ipc_main=[r[5] or "" for r in rows],
        ipc_all_raw=[r[6] for r in rows],
        inventors_raw=[r[7] for r in rows],
        province=[r[8] or "" for r in rows],
        city=[r[9] or "" for r in rows],
        status=[r[10] or "unknown" for r in rows],
        claims=[r[11] for r in rows],
        citations=[r[12] for r in rows],
        synthetic=sum(1 for r in rows if r[13]),
        applicants=applicants,
        applicant_info=info,
        text_loader=load_texts,
        claim_length_loader=claim_lengths,
    )
