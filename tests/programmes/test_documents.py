"""The 公示名单 and decision notices as Word documents in the formal layout (A4, page numbers)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm

from ipplatform.programmes import documents, flows

from .conftest import ON


def _layout(data: bytes):
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    footer_xml = section.footer._element.xml
    return doc, section, footer_xml


def test_decision_notice_is_a4_with_page_numbers(make_call, make_patent, subsidy_application, to_decision, users):
    call = make_call()
    app = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    doc, section, footer = _layout(documents.decision_docx(call))
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert "PAGE" in footer and "fldChar" in footer
    assert doc.tables[0].rows[1].cells[1].text == app.organization.name
    assert doc.tables[0].rows[-1].cells[3].text == "4000.00"


def test_notice_document_lists_the_noticed_applications(make_call, users, client, owners):
    from ipplatform.programmes.enums import AppStatus
    from ipplatform.programmes.models import Application

    call = make_call("patent_award", quotas={"一等奖": 1})
    app = Application.objects.create(
        call=call,
        organization=owners["qilu_ent"],
        region_code="370100",
        title="锂电池专利",
        status=AppStatus.ACTIVE,
        stage="notice",
        score=81,
        rank=1,
    )
    flows.publish_notice(call=call, by=users["guihua"], start=ON)
    call.refresh_from_db()
    response = client.get(f"/programmes/calls/{call.pk}/notice.docx")  # public, like the notice page
    assert response.status_code == 200
    doc, section, footer = _layout(b"".join(response.streaming_content) if response.streaming else response.content)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "拟授奖名单的公示" in text
        and "2015年9月15日至2015年9月21日（5个工作日）" in text
        and "匿名异议不予受理" in text
    )
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["1", app.organization.name, "锂电池专利", ""]
    assert "PAGE" in footer
    assert text.rstrip().endswith("山东省知识产权局\n2015年9月15日")  # dated the day the 公示 is published
