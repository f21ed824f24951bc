"""Fast multi-row inserts for the importer and the synthetic generator.

Django's bulk_create spends most of its time preparing each value through the field machinery; for the
million-row imports this module writes plain tuples with one executemany per table (SQLite and PostgreSQL
alike, `ON CONFLICT DO NOTHING` where duplicates are expected). Values are adapted with the connection's own
adapters so that rows are stored exactly as the ORM would store them."""
from __future__ import annotations

import json
from functools import lru_cache
from types import SimpleNamespace

from django.db import connection, models
from django.utils import timezone


@lru_cache(maxsize=None)
def _fields(model) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField)))


@lru_cache(maxsize=None)
def defaults(model) -> dict:
    """attname -> default value for every concrete field (what Model() would set)."""
    out = {}
    for f in _fields(model):
        out[f.attname] = f.get_default() if f.has_default() else (None if f.null else ("" if isinstance(f, (models.CharField, models.TextField)) else None))
    return out


def new(model, **values) -> SimpleNamespace:
    """A light stand-in for a model instance (attribute access by attname), filled with defaults."""
    data = dict(defaults(model))
    for key, value in values.items():
        data[key] = value
    for k, v in data.items():
        if isinstance(v, (list, dict)):
            data[k] = type(v)(v)
    return SimpleNamespace(**data)


def insert(model, objs, *, ignore_conflicts: bool = False, conflict_fields: tuple = ()) -> int:
    """INSERT objects (model instances or namespaces from new()) with executemany; returns rows sent."""
    objs = list(objs)
    if not objs:
        return 0
    ops = connection.ops
    fields = _fields(model)
    now = timezone.now()
    now_db = ops.adapt_datetimefield_value(now)
    converters = []
    for f in fields:
        if isinstance(f, models.JSONField):
            converters.append(lambda v: None if v is None else json.dumps(v))
        elif isinstance(f, models.DateTimeField):
            auto = f.auto_now or f.auto_now_add
            converters.append((lambda v, a=auto: now_db if a or v is None and a else (None if v is None else ops.adapt_datetimefield_value(v))))
        elif isinstance(f, models.DateField):
            converters.append(lambda v: None if v is None else ops.adapt_datefield_value(v))
        else:
            converters.append(None)
    names = [f.attname for f in fields]
    rows = []
    for obj in objs:
        row = []
        for name, conv in zip(names, converters):
            v = getattr(obj, name, None)
            row.append(conv(v) if conv is not None else v)
        rows.append(row)
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
    if ignore_conflicts:
        target = f" ({', '.join(ops.quote_name(c) for c in conflict_fields)})" if conflict_fields else ""
        sql += f" ON CONFLICT{target} DO NOTHING"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            # COPY is several times faster than INSERT on PostgreSQL (psycopg 3 adapts each value by type)
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return len(rows)
        for i in range(0, len(rows), 5000):
            cur.executemany(sql, rows[i:i + 5000])
    return len(rows)
