from django.test import Client


def test_openapi_schema_generates(users, password):
    client = Client()
    client.post("/login/", {"username": "admin", "password": password})
    r = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "知识产权公共服务平台 API"
    assert "/api/v1/me" in schema["paths"]


def test_me_reports_scope(users, password):
    client = Client()
    client.post("/login/", {"username": "city371200", "password": password})
    data = client.get("/api/v1/me").json()
    assert data == {
        "username": "city371200",
        "role": "city_officer",
        "organization": "莱芜市知识产权局",
        "scope": "city",
        "region_prefix": "3712",
    }


def test_api_errors_are_chinese_json(users, ipc_data):
    r = Client().get("/api/v1/me")
    assert r.status_code == 403 and "error" in r.json()
    r = Client().get("/api/v1/reference/ipc/Z99Z")
    assert r.status_code == 404 and r.json() == {"error": "IPC分类号“Z99Z”不存在"}
    r = Client().get("/api/v1/reference/ipc/H01M")
    assert r.status_code == 200 and r.json()["title_zh"].startswith("用于直接转变化学能为电能")
