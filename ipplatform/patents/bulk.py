"""Fast multi-row inserts for the importer and the synthetic generator.

Django's bulk_create spends most of its time preparing each value through the field machinery; for the
million-row imports this module writes plain tuples: COPY (PostgreSQL) or one executemany (SQLite) per table,
and `INSERT … SELECT FROM unnest(arrays) ON CONFLICT` on PostgreSQL where duplicates are expected. Values are
adapted with the connection's own adapters so that rows are stored exactly as the ORM would store them."""

from __future__ import annotations

import datetime as dt
import json
import operator
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone


def among(field: str, values) -> Q:
    """`field IN (values)` with the values sent as one array parameter.

    Django prepares every value of an `__in` list through the field and writes one placeholder each; for the
    thousands of ids of an import batch that costs more than the query, and SQLite caps the placeholders.
    One JSON (SQLite) or array (PostgreSQL) parameter, unpacked by the database, avoids both."""
    values = list(values)
    if not values:
        return Q(**{f"{field}__in": []})
    if connection.vendor == "postgresql":
        cast = "bigint[]" if isinstance(values[0], int) else "text[]"
        return Q(**{f"{field}__in": RawSQL(f"SELECT unnest(%s::{cast})", (values,))})
    return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values, ensure_ascii=False),))})


@cache
def _fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField)))


@cache
def defaults(model) -> dict:
    """attname -> default value for every concrete field (what Model() would set)."""
    out = {}
    for f in _fields(model):
        out[f.attname] = (
            f.get_default()
            if f.has_default()
            else (None if f.null else ("" if isinstance(f, (models.CharField, models.TextField)) else None))
        )
    return out


@cache
def _mutable_defaults(model) -> tuple:
    return tuple(k for k, v in defaults(model).items() if isinstance(v, (list, dict)))


def new(model, **values) -> SimpleNamespace:
    """A light stand-in for a model instance (attribute access by attname), filled with defaults."""
    obj = SimpleNamespace(**defaults(model))
    obj.__dict__.update(values)
    for key in _mutable_defaults(model):
        if key not in values:  # a fresh list/dict per object, as Model() gives
            setattr(obj, key, type(getattr(obj, key))(getattr(obj, key)))
    return obj


def insert(model, objs, *, ignore_conflicts: bool = False, conflict_fields: tuple = ()) -> int:
    """INSERT objects (model instances or namespaces from new()): COPY or write_rows(); returns rows sent."""
    objs = list(objs)
    if not objs:
        return 0
    ops = connection.ops
    fields = _fields(model)
    now = timezone.now()
    now_db = ops.adapt_datetimefield_value(now)
    converting, constant = [], []  # (column index, converter) and (column index, value) for auto_now(_add) stamps
    for i, f in enumerate(fields):
        if isinstance(f, models.JSONField):
            converting.append((i, lambda v: None if v is None else json.dumps(v)))
        elif isinstance(f, models.DateTimeField):
            if f.auto_now or f.auto_now_add:
                constant.append((i, now_db))
            else:
                converting.append((i, lambda v: None if v is None else ops.adapt_datetimefield_value(v)))
        elif isinstance(f, models.DateField):
            converting.append((i, lambda v: None if v is None else ops.adapt_datefield_value(v)))
    names = [f.attname for f in fields]
    values_of = operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    rows = []
    for obj in objs:
        try:
            row = list(values_of(obj))
        except AttributeError:  # a namespace without some optional attribute: stored as NULL
            row = [getattr(obj, name, None) for name in names]
        for i, conv in converting:
            row[i] = conv(row[i])
        for i, value in constant:
            row[i] = value
        rows.append(row)
    if connection.vendor == "postgresql" and not ignore_conflicts:
        table = ops.quote_name(model._meta.db_table)
        cols = ", ".join(ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cur:
            # COPY is several times faster than INSERT on PostgreSQL (psycopg 3 adapts each value by type)
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    suffix = ""
    if ignore_conflicts:
        target = f" ({', '.join(ops.quote_name(c) for c in conflict_fields)})" if conflict_fields else ""
        suffix = f"ON CONFLICT{target} DO NOTHING"
    write_rows(
        model._meta.db_table, [f.column for f in fields], [f.db_type(connection) for f in fields], rows, suffix=suffix
    )
    return len(rows)


def write_rows(table: str, columns: list[str], db_types: list[str], rows: list, *, suffix: str = "") -> None:
    """INSERT plain rows (values adapted for the database) followed by `suffix` (an ON CONFLICT clause).

    On PostgreSQL one statement per 20,000 rows reads every column from one array (`unnest`): an executemany
    there is a bind and an execution per row in the server, which for the import's upserts cost 40–90 µs a row.
    SQLite runs executemany inside the process, where a statement per row is cheap."""
    if not rows:
        return
    ops = connection.ops
    cols = ", ".join(ops.quote_name(c) for c in columns)
    name = ops.quote_name(table)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            casts = ", ".join(f"%s::{t}[]" for t in db_types)
            sql = f"INSERT INTO {name} ({cols}) SELECT * FROM unnest({casts}) {suffix}"
            floats = [j for j, t in enumerate(db_types) if t in ("double precision", "real")]
            for i in range(0, len(rows), 20000):
                arrays = [list(column) for column in zip(*rows[i : i + 20000])]
                for j in floats:
                    # psycopg dumps a list of one Python type only: 0 and 0.5 in one column must both be floats
                    arrays[j] = [None if v is None else float(v) for v in arrays[j]]
                cur.execute(sql, arrays)
            return
        sql = f"INSERT INTO {name} ({cols}) VALUES ({', '.join(['%s'] * len(columns))}) {suffix}"
        for i in range(0, len(rows), 5000):
            cur.executemany(sql, rows[i : i + 5000])


def plain_values(queryset, fields: tuple[str, ...]) -> list[dict]:
    """`list(queryset.values(*fields))` by one cursor query that converts only dates, datetimes, JSON and booleans.

    values() sends every value of every row through the field's converters; for the index helper and the
    statistics, which read back each import batch, that cost more than the query (1M records: 20 against 9 µs
    per row). The values equal what values() returns, on SQLite and PostgreSQL alike."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    readers = [(i, r) for i, r in enumerate(_reader(queryset.model._meta.get_field(name)) for name in fields) if r]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    out = []
    for row in rows:
        row = list(row)
        for i, read in readers:
            if row[i] is not None:
                row[i] = read(row[i])
        out.append(dict(zip(fields, row)))
    return out


def _reader(field):
    """How a raw database value of `field` becomes what values() gives (None: as it comes)."""
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return lambda v: v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
    if isinstance(field, models.JSONField):
        return lambda v: json.loads(v) if isinstance(v, (str, bytes)) else v
    if isinstance(field, models.BooleanField):
        return bool
    return None


def _datetime(value):
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(value)
    if settings.USE_TZ and value.tzinfo is None:  # SQLite keeps UTC without an offset
        value = value.replace(tzinfo=dt.UTC)
    return value
