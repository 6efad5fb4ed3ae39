"""Administration through /api/v1/admin: operators manage every organisation, an organisation
administrator only the accounts of their own (never an operator), members nothing."""
from web_util import Browser, signed_in


def by_login(users):
    return {u["login"]: u for u in users}


def test_an_operator_creates_an_organisation_and_a_user_who_then_signs_in(regie):
    admin = signed_in(regie, "admin")
    orgs = admin.get("/api/v1/admin/orgs").json()
    assert [o["name"] for o in orgs] == ["default"]
    assert orgs[0]["users"] == 1 and orgs[0]["disabled"] is False
    made = admin.post("/api/v1/admin/orgs",
                      json={"name": "museum", "domains": ["museum.example"], "quota": 1 << 30})
    assert made.status_code == 201
    assert made.json()["name"] == "museum" and made.json()["domains"] == ["museum.example"]
    assert admin.post("/api/v1/admin/orgs", json={"name": "museum"}).status_code == 409
    assert admin.post("/api/v1/admin/orgs", json={"name": "Bad Name!"}).status_code == 400
    user = admin.post("/api/v1/admin/users",
                      json={"login": "ines", "org": "museum", "display_name": "Inès",
                            "email": "ines@museum.example", "quota": 5 << 20})
    assert user.status_code == 201
    password = user.json()["password"]
    assert user.json()["login"] == "ines" and len(password) >= 16
    assert admin.post("/api/v1/admin/users", json={"login": "ines", "org": "museum"}).status_code \
        == 409
    ines = Browser(regie)
    session = ines.sign_in("ines", password)
    assert session.status_code == 200
    assert session.json()["org"] == "museum" and session.json()["quota"] == 5 << 20
    listed = by_login(admin.get("/api/v1/admin/users?org=museum").json())
    assert set(listed) == {"ines"}
    assert listed["ines"]["display_name"] == "Inès" and listed["ines"]["role"] == "member"


def test_usage_is_reported_per_user_and_organisation(regie):
    regie.add_user("mila", password="Mila-pw-123")
    assert regie.put("/dav/files/mila/a.bin", data=b"x" * 10_000, user="mila").status_code == 201
    admin = signed_in(regie, "admin")
    users = by_login(admin.get("/api/v1/admin/users").json())
    assert users["mila"]["used"] == 10_000
    org = admin.get("/api/v1/admin/orgs").json()[0]
    assert org["used"] >= 10_000
    assert signed_in(regie, "mila").get("/api/v1/session").json()["used"] == 10_000


def test_an_org_admin_manages_only_their_own_organisation(regie):
    regie.cli_ok("org", "add", "museum")
    regie.add_user("head", org="museum", role="org-admin", password="Head-pw-123")
    regie.add_user("ines", org="museum", password="Ines-pw-123")
    regie.add_user("mila", password="Mila-pw-123")  # In "default".
    head = signed_in(regie, "head")
    assert [o["name"] for o in head.get("/api/v1/admin/orgs").json()] == ["museum"]
    assert set(by_login(head.get("/api/v1/admin/users").json())) == {"head", "ines"}
    assert head.get("/api/v1/admin/users?org=default").status_code == 404
    assert head.post("/api/v1/admin/orgs", json={"name": "other"}).status_code == 403
    assert head.post("/api/v1/admin/users",
                     json={"login": "x1", "org": "default"}).status_code == 404
    assert head.post("/api/v1/admin/users",
                     json={"login": "x2", "org": "museum", "role": "operator"}).status_code == 403
    assert head.request("PATCH", "/api/v1/admin/users/mila", json={"quota": 1}).status_code == 404
    assert head.post("/api/v1/admin/users/admin/password", json={}).status_code == 404
    # Within the organisation: quota, reset, disable.
    assert head.request("PATCH", "/api/v1/admin/users/ines",
                        json={"quota": 2 << 20}).status_code == 204
    assert by_login(head.get("/api/v1/admin/users").json())["ines"]["quota"] == 2 << 20
    ines = signed_in(regie, "ines")
    reset = head.post("/api/v1/admin/users/ines/password", json={})
    assert reset.status_code == 200
    assert ines.get("/api/v1/session").status_code == 401  # The reset ended her session.
    ines = signed_in(regie, "ines", reset.json()["password"])
    assert head.request("PATCH", "/api/v1/admin/users/ines",
                        json={"disabled": True}).status_code == 204
    assert ines.get("/api/v1/session").status_code == 401
    assert Browser(regie).sign_in("ines", reset.json()["password"]).status_code == 401
    assert by_login(head.get("/api/v1/admin/users").json())["ines"]["disabled"] is True


def test_members_administer_nothing(regie):
    regie.add_user("mila", password="Mila-pw-123")
    mila = signed_in(regie, "mila")
    for path in ("/api/v1/admin/orgs", "/api/v1/admin/users"):
        r = mila.get(path)
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert mila.post("/api/v1/admin/users",
                     json={"login": "x", "org": "default"}).status_code == 403
    assert mila.post("/api/v1/admin/users/admin/password", json={}).status_code == 403


def test_bad_requests_get_json_errors(regie):
    admin = signed_in(regie, "admin")
    assert admin.post("/api/v1/admin/users", json={"org": "default"}).json()["error"] == "invalid"
    assert admin.post("/api/v1/admin/users",
                      json={"login": "x", "org": "default", "quota": "lots"}).status_code == 400
    assert admin.post("/api/v1/admin/users",
                      json={"login": "x", "org": "default", "role": "king"}).status_code == 400
    assert admin.post("/api/v1/admin/users",
                      json={"login": "x", "org": "nowhere"}).status_code == 404
    assert admin.request("PATCH", "/api/v1/admin/users/admin",
                         json={"disabled": "yes"}).status_code == 400
    big = admin.post("/api/v1/admin/orgs", data=b"{" + b" " * 70_000 + b"}",
                     headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    missing = admin.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"] == "not-found"
    wrong = admin.request("PUT", "/api/v1/admin/orgs")
    assert wrong.status_code == 405 and "GET" in wrong.headers["Allow"]
    # Basic credentials work for scripts too.
    assert regie.get("/api/v1/admin/orgs").status_code == 200
