"""Public intake, routing, tracking, reporter confidentiality and data scopes."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification, Organization
from ipplatform.protection import documents, services
from ipplatform.protection.models import Case, DocumentTemplate, Intake

pytestmark = pytest.mark.django_db
FORM = {
    "kind": "complaint",
    "subject": "门店销售仿冒我司专利的电水壶",
    "description": "详见附件照片",
    "requester_name": "张先生",
    "requester_phone": "13912345678",
    "respondent_name": "某小家电商行",
    "respondent_address": "山东省青岛市黄岛区长江路1号",
    "patent_no": "zl201510123456.7",
}


def test_public_form_without_login_routes_and_tracks(client, users):
    response = client.post("/protection/intake/", FORM, follow=True)
    page = response.content.decode()
    tracking_no = re.search(r'id="tracking-no">(\d+)<', page).group(1)
    code = re.search(r'id="tracking-code">(\w+)<', page).group(1)
    intake = Intake.objects.get(tracking_no=tracking_no)
    assert intake.requester_user is None and intake.channel == "web" and intake.patent_no == "ZL201510123456.7"
    assert (intake.region_code, intake.city_code, intake.state) == ("370211", "370200", "routed")
    assert intake.handling_org.name == "青岛市知识产权局" and "被投诉方住所地" in intake.routing_note
    assert Notification.objects.filter(user=users["city370200"], dedupe_key=f"protection:intake:{intake.pk}").exists()
    assert code not in intake.code_hash
    wrong = client.post("/protection/track/", {"tracking_no": tracking_no, "code": "000000"}).content.decode()
    assert "查询编号或查询码不正确" in wrong and FORM["subject"] not in wrong
    right = client.post("/protection/track/", {"tracking_no": tracking_no, "code": code.lower()}).content.decode()
    assert "已分派至主管部门" in right and "青岛市知识产权局" in right and "city370200" not in right
    api = client.post(
        "/api/v1/protection/track/", {"tracking_no": tracking_no, "code": code}, content_type="application/json"
    )
    assert api.status_code == 200 and api.json()["handling_org"] == "青岛市知识产权局"


def test_bad_input_gets_a_chinese_message_not_a_500(client, users):
    page = client.post("/protection/intake/", {**FORM, "requester_phone": "abc"}).content.decode()
    assert "联系电话格式不正确" in page
    page = client.post("/protection/intake/", {**FORM, "respondent_name": ""}).content.decode()
    assert "须填写“被投诉/举报对象”" in page
    assert not Intake.objects.exists()
    api = client.post("/api/v1/protection/track/", {"tracking_no": "1", "code": "x"}, content_type="application/json")
    assert api.status_code == 400 and "查询码不正确" in api.json()["error"]


def test_routing_by_place_of_infringement_and_merged_laiwu(users):
    region, org, note = services.route(infringement_place="临沂市兰山区某批发市场")
    assert (region, org.name) == ("371302", "临沂市知识产权局") and "侵权行为地" in note
    region, org, _ = services.route(respondent_address="莱芜市莱城区凤城大街")  # 莱芜 merged into 济南 in 2019
    assert region == "370116" and org.name == "济南市知识产权局"
    assert services.route(respondent_address="北京市海淀区")[1] is None


def _report_case(users, client):
    client.post(
        "/protection/intake/",
        {**FORM, "kind": "report", "requester_name": "举报人李四", "requester_phone": "13700000001"},
    )
    intake = Intake.objects.get()
    assert intake.confidential
    case = services.convert_intake(intake=intake, by=users["city370200"], case_type="infringement")
    haier = Organization.objects.get(name="海尔智家股份有限公司")
    client.force_login(users["city370200"])
    client.post(f"/protection/cases/{case.pk}/respondent/", {"respondent_org": haier.pk})
    client.logout()
    assert Notification.objects.filter(user=users["haier"], url=f"/protection/cases/{case.pk}/party/").exists()
    return Case.objects.get(pk=case.pk)


def test_reporter_identity_never_reaches_the_respondent(users, client):
    case = _report_case(users, client)
    assert (
        case.reporter_confidential
        and case.requester_name == "举报人李四"
        and case.respondent_org.name == "海尔智家股份有限公司"
    )
    client.force_login(users["haier"])  # the reported party
    assert client.get(f"/protection/cases/{case.pk}/").status_code == 403
    view = client.get(f"/protection/cases/{case.pk}/party/").content.decode()
    assert "举报人李四" not in view and "13700000001" not in view and "身份依法保密" in view
    export = client.get(f"/protection/cases/{case.pk}/party/?export=xlsx")
    cells = [str(c.value) for row in load_workbook(io.BytesIO(export.content)).active.iter_rows() for c in row]
    assert case.case_no in cells and not any("李四" in c or "13700000001" in c for c in cells)
    # the documents served on the respondent keep it out as well
    _, data = documents.generate(
        case=case, template=DocumentTemplate.objects.get(code="defence_notice"), by=users["city370200"]
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "某小家电商行" in text and "李四" not in text and "身份依法保密" in text
    # the handling officer sees who reported
    client.force_login(users["city370200"])
    assert "举报人李四" in client.get(f"/protection/cases/{case.pk}/").content.decode()


def test_scopes_city_province_departments_requester(users, make_case, client):
    qd = make_case(region_code="370211")
    jn = make_case(region_code="370102", by=users["city370100"], requester_user=users["public"])
    see = lambda name: set(services.cases_for(users[name]).values_list("pk", flat=True))  # noqa: E731
    assert see("city370200") == {qd.pk} and see("city370100") == {jn.pk}
    assert see("huangdao") == {qd.pk}  # 黄岛区 county bureau sees its county
    assert see("leader") == see("fawu") == see("jianding") == {qd.pk, jn.pk}
    assert see("guihua") == set() and see("haier") == set()
    assert see("public") == {jn.pk}
    client.force_login(users["city370200"])
    response = client.get(f"/protection/cases/{jn.pk}/")
    assert response.status_code == 403
    assert client.get("/api/v1/protection/cases/").json()["count"] == 1
    client.force_login(users["public"])
    assert client.get(f"/protection/cases/{jn.pk}/").status_code == 200
    response = client.post(f"/protection/cases/{jn.pk}/transition/", {"transition": "accept", "reason": "x"})
    assert response.status_code == 403 and Case.objects.get(pk=jn.pk).state == "requested"
    api = client.post(
        f"/api/v1/protection/cases/{jn.pk}/transition/",
        {"transition": "accept", "reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_logged_in_public_user_sees_own_requests(users, client):
    client.force_login(users["public"])
    form = client.get("/protection/intake/").content.decode()
    assert "公众用户 卫女士" in form  # prefilled
    client.post("/protection/intake/", {**FORM, "requester_name": "卫女士"})
    intake = Intake.objects.get()
    assert intake.requester_user == users["public"] and intake.channel == "web"
    page = client.get("/protection/").content.decode()
    assert intake.tracking_no in page and "青岛市知识产权局" in page
    client.force_login(users["haier"])
    assert intake.tracking_no not in client.get("/protection/").content.decode()


def test_guessing_the_verification_code_is_throttled(users):
    from django.core.cache import caches

    cache = caches["shared"]  # the counter every worker process sees
    cache.clear()
    intake, code = services.submit_intake(
        channel="web",
        kind="consultation",
        subject="咨询",
        description="如何维权",
        requester_name="王",
        requester_phone="13800000000",
    )
    for _ in range(services.TRACK_MAX_FAILURES):
        with pytest.raises(InputError, match="查询码不正确"):
            services.track(tracking_no=intake.tracking_no, code="WRONG")
    with pytest.raises(InputError, match="请10分钟后再试"):
        services.track(tracking_no=intake.tracking_no, code=code)
    cache.clear()
    assert services.track(tracking_no=intake.tracking_no, code=code) == intake
