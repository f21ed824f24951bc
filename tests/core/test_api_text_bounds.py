"""Text at the API boundary: every writable text field of every serializer (the named classes of the project and
every request body of the OpenAPI schema, inline ones included) has a max_length and cleans its value as page input
is cleaned (core.api.Text), so over-long text is a Chinese 400 naming the field, never a database error."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from rest_framework import serializers

from ipplatform.core.api import Text


def _project_serializer_classes():
    for config in apps.get_app_configs():
        if config.name.startswith("ipplatform."):
            try:
                importlib.import_module(f"{config.name}.api")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.api":
                    raise
    seen, todo = set(), [serializers.BaseSerializer]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted((c for c in seen if c.__module__.startswith("ipplatform.")), key=lambda c: (c.__module__, c.__name__))


def _request_serializers():
    """The serializer behind every request body of the schema (inline_serializer ones have no module of their own)."""
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    names = set()
    for item in schema["paths"].values():
        for operation in item.values():
            for content in (operation.get("requestBody") or {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                if ref:
                    names.add(ref.rsplit("/", 1)[-1])
    found = {c.name: c.object for c in generator.registry._components.values() if c.name in names}
    assert set(found) == names
    return found


def _writable_text_fields(serializer, path):
    """(dotted name, field) of every writable CharField, nested serializers and list/dict children included."""
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        where = f"{path}.{name}"
        if isinstance(field, serializers.BaseSerializer):
            yield from _writable_text_fields(field, where)
            continue
        while isinstance(field, (serializers.ListField, serializers.DictField)):
            field, where = field.child, f"{where}[]"
        if isinstance(field, serializers.CharField):
            yield where, field


def _all_writable_text_fields():
    targets = [(f"{c.__module__}.{c.__name__}", c()) for c in _project_serializer_classes()]
    targets += [(f"schema:{name}", s() if isinstance(s, type) else s) for name, s in _request_serializers().items()]
    return [(where, field) for label, s in targets for where, field in _writable_text_fields(s, label)]


@pytest.fixture(scope="module")
def text_fields():
    return _all_writable_text_fields()


def test_the_walk_reaches_the_request_bodies(text_fields):
    names = {where for where, _ in text_fields}
    assert {
        "schema:ProtectionTrackIn.tracking_no",
        "schema:FinancePledgeAction.reason",
        "ipplatform.market.api.ListingCreate.summary",
        "schema:ProtectionTransition.documents[]",
    } <= names


def test_every_writable_text_field_has_a_max_length(text_fields):
    assert [where for where, field in text_fields if not field.max_length] == []


def test_every_writable_text_field_removes_control_characters(text_fields):
    assert [where for where, field in text_fields if not isinstance(field, Text)] == []


def test_response_shapes_are_read_only():
    from ipplatform.finance.api import PledgeSchema
    from ipplatform.market.api import ListingSerializer

    assert all(f.read_only for s in (PledgeSchema(), ListingSerializer()) for f in s.fields.values())


def test_a_text_field_is_cleaned_like_page_input():
    assert Text(max_length=10).clean(" a\x07b\u2028c\n ", field="x") == "abc"


def test_a_multiline_text_field_keeps_its_line_breaks():
    assert Text(max_length=10, multiline=True).clean("a\r\nb\x1b", field="x") == "a\nb"


def test_a_non_text_value_for_a_text_field_is_refused_with_its_name():
    from ipplatform.core.inputs import InputError

    with pytest.raises(InputError, match="应为文本") as info:
        Text(max_length=10).clean({"a": 1}, field="reason")
    assert info.value.field == "reason"


@pytest.mark.django_db
def test_over_long_text_in_an_api_body_is_a_400_naming_the_field():
    r = Client(raise_request_exception=False).post(
        "/api/v1/protection/track/", {"tracking_no": "W" * 25, "code": "1"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "tracking_no" and "过长：最多24字" in r.json()["error"]


@pytest.mark.django_db
def test_over_long_text_in_a_multipart_api_body_is_a_400_naming_the_field():
    c = Client(raise_request_exception=False)
    r = c.post("/api/v1/protection/track/", {"tracking_no": "W-1", "code": "9" * 41})
    assert r.status_code == 400 and r.json()["field"] == "code"


@pytest.mark.django_db
def test_over_long_text_is_refused_before_anything_is_stored(users, password):
    from ipplatform.market.models import Demand

    c = Client(raise_request_exception=False)
    c.force_login(users["admin"])
    r = c.post(
        "/api/v1/market/demands",
        {"title": "需" * 201, "field": "制冷", "problem": "如何降低冰箱除霜能耗的问题", "deadline": "2099-01-01"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "title" and not Demand.objects.exists()
