"""Agency administration: an admin invites a user who accepts and logs in with two factors; roles
limit what a user may call and see (All, Own, Branch); branches form a tree whose names reach
GraphQL; deactivated users and revoked OAuth clients are refused; the CLI's no-content calls answer
204 and its GETs a JSON body."""

from __future__ import annotations

import json

import pytest

from tests.conftest import fresh_phone, fresh_tckn

GQL_USERS = """query($first: Int, $after: String, $filter: QueryAgentUserResultFilterInput) {
  agentUsersNew(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { id email fullName status isTwoFactorEnabled roleName agentBranches { name }
      name state roles { id name isAdmin } branches { name level hierarchy } } }
    pageInfo { hasNextPage endCursor } } }"""


def _invite_mail(sb, agent_id: str, email: str) -> dict:
    box = sb.http.get(f"/__sandbox/agents/{agent_id}/outbox", headers=sb.control_headers(agent_id)).json()
    return [m for m in box if m["kind"] == "agent-user-invite" and m["to"] == email][-1]


def _user_token(sb, agent_id: str, email: str, password: str) -> str:
    r = sb.http.post("/api/authentication:agent-user/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    body = r.json()
    if body["requiresTwoFactor"]:
        code = sb.http.get(f"/__sandbox/agents/{agent_id}/sms", headers=sb.control_headers(agent_id)).json()[-1]["code"]
        r = sb.http.post("/api/authentication:agent-user/verify-mfa", json={"userId": body["userId"], "code": code})
        assert r.status_code == 200, r.text
        body = r.json()
    return body["accessToken"]


@pytest.fixture
def owner(sb, agent):
    return sb.bearer(sb.service_token(agent))


def invite_and_accept(sb, agent, owner, email: str, *, role_id=None, branches=None, two_factor=False,
                      password="Parola-2026!") -> str:
    body = {"email": email, "firstName": "Zeynep", "lastName": "Şahin", "phoneNumber": "5321112233",
            "isTwoFactorEnabled": two_factor}
    if role_id:
        body["roleId"] = role_id
    if branches:
        body["agentBranchIds"] = branches
    r = sb.http.post("/api/agent-users/invite", headers=owner, json=body)
    assert r.status_code == 204 and r.content == b"", r.text
    user_id = r.headers["location"].rsplit("/", 1)[1]
    code = _invite_mail(sb, agent.id, email)["inviteCode"]
    assert sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": password}).status_code == 204
    return user_id


def test_an_admin_invites_a_user_who_accepts_and_logs_in_with_two_factors(sb, agent, owner):
    email = f"zeynep.{agent.id[:6]}@acente.test"
    r = sb.http.post("/api/agent-users/invite", headers=owner, json={
        "email": email, "firstName": "Zeynep", "lastName": "Şahin", "phoneNumber": "5321112233",
        "isTwoFactorEnabled": True})
    assert r.status_code == 204, r.text
    user_id = r.headers["location"].rsplit("/", 1)[1]
    pending = sb.http.get(f"/api/agent-users/{user_id}", headers=owner).json()
    assert pending["status"] == "Pending" and pending["roleId"] is None and pending["isTwoFactorEnabled"] is True
    # a pending user cannot log in; the invitation names who it is for (a JSON body, as the CLI needs)
    assert sb.http.post("/api/authentication:agent-user/login",
                        json={"email": email, "password": ""}).status_code == 422
    first = _invite_mail(sb, agent.id, email)["inviteCode"]
    seen = sb.http.get("/api/agent-users/check-invite-code", params={"code": first})
    assert seen.status_code == 200 and seen.json()["email"] == email and seen.json()["firstName"] == "Zeynep"
    # re-sending replaces the code
    assert sb.http.post(f"/api/agent-users/{user_id}/re-send-invite", headers=owner).status_code == 204
    code = _invite_mail(sb, agent.id, email)["inviteCode"]
    assert code != first
    stale = sb.http.get("/api/agent-users/check-invite-code", params={"code": first})
    assert stale.status_code == 404 and stale.json()["codes"] == ["AGENT_USER_INVITE_NOT_FOUND"]
    weak = sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": "kisa"})
    assert weak.status_code == 422 and weak.json()["validationErrors"][0]["propertyName"] == "password"
    assert sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": "Parola-2026!"}).status_code == 204
    again = sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": "Parola-2026!"})
    assert again.status_code == 404
    # the login asks for the SMS code sent to the user's phone
    login = sb.http.post("/api/authentication:agent-user/login", json={"email": email, "password": "Parola-2026!"}).json()
    assert login["requiresTwoFactor"] is True and login["accessToken"] is None
    sms = sb.http.get(f"/__sandbox/agents/{agent.id}/sms", headers=sb.control_headers(agent.id)).json()[-1]
    assert sms["to"].endswith("5321112233")
    token = sb.http.post("/api/authentication:agent-user/verify-mfa",
                         json={"userId": login["userId"], "code": sms["code"]}).json()["accessToken"]
    me = sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).json()
    assert me["id"] == user_id and me["status"] == "Active" and me["role"] is None and me["permissions"] == []
    # with no role the user may read only themself
    denied = sb.http.get("/api/proposals", headers=sb.bearer(token))
    assert denied.status_code == 403 and denied.json()["codes"] == ["AGENT_ROLE_PERMISSION_REQUIRED"]
    assert "proposals:read" in denied.json()["detail"]
    # the user list (GraphQL, as the CLI lists it) shows both users
    listed = sb.graphql(sb.service_token(agent), GQL_USERS, {"first": 10})["data"]["agentUsersNew"]
    assert listed["totalCount"] == 2 and {e["node"]["email"] for e in listed["edges"]} >= {email}
    assert all(e["cursor"] for e in listed["edges"]) and listed["pageInfo"]["hasNextPage"] is False
    mine = next(e["node"] for e in listed["edges"] if e["node"]["email"] == email)
    assert mine["status"] == mine["state"] == "ACTIVE" and mine["fullName"] == mine["name"] == "Zeynep Şahin"
    assert mine["roles"] == []  # (invited without a role)
    owner_node = next(e["node"] for e in listed["edges"] if e["node"]["email"] != email)
    assert owner_node["roles"] == [{"id": "owner", "name": "Acente Sahibi", "isAdmin": True}]
    # only a pending user can be deleted; the others are deactivated, and then their tokens answer 403
    assert sb.http.delete(f"/api/agent-users/{user_id}", headers=owner).json()["codes"] == ["AGENT_USER_NOT_PENDING"]
    assert sb.http.post(f"/api/agent-users/{user_id}/deactivate", headers=owner).status_code == 204
    dead = sb.http.get("/api/agent-users/me", headers=sb.bearer(token))
    assert dead.status_code == 403 and dead.json()["codes"] == ["AGENT_USER_INACTIVE"]
    assert sb.http.post("/api/authentication:agent-user/login",
                        json={"email": email, "password": "Parola-2026!"}).status_code == 403
    assert sb.http.post(f"/api/agent-users/{user_id}/activate", headers=owner).status_code == 204
    assert sb.http.get("/api/agent-users/me", headers=sb.bearer(token)).status_code == 200


def test_a_role_grants_calls_and_its_scope_filters_what_the_user_sees(sb, agent, owner):
    # a branch tree: İstanbul > Kadıköy
    ist = sb.http.post("/api/agent-branches", headers=owner, json={"name": "İstanbul"})
    assert ist.status_code == 200 and isinstance(ist.json(), str)
    kad = sb.http.post("/api/agent-branches", headers=owner, json={"name": "Kadıköy", "parentId": ist.json()}).json()
    tree = {b["name"]: b for b in sb.http.get("/api/agent-branches", headers=owner).json()}
    assert tree["Kadıköy"]["parentName"] == "İstanbul" and tree["İstanbul"]["children"] == [kad]
    loop = sb.http.put(f"/api/agent-branches/{ist.json()}", headers=owner, json={"parentId": kad})
    assert loop.status_code == 422 and loop.json()["validationErrors"][0]["propertyName"] == "parentId"
    assert sb.http.delete(f"/api/agent-branches/{ist.json()}", headers=owner).json()["codes"] == ["AGENT_BRANCH_HAS_CHILDREN"]
    # a role that reads customers of its branches and may write them, nothing else
    r = sb.http.post("/api/agent-roles", headers=owner, json={"name": "Şube temsilcisi", "permissions": [
        {"permission": "customers:read", "scope": "Branch"}, "customers:write"]})
    assert r.status_code == 204, r.text
    role_id = r.headers["location"].rsplit("/", 1)[1]
    role = sb.http.get(f"/api/agent-roles/{role_id}", headers=owner).json()
    assert role["permissions"] == ["customers:read", "customers:write"]  # the SDK's string list
    assert role["permissionScopes"] == [{"permission": "customers:read", "scope": "Branch"},
                                        {"permission": "customers:write", "scope": "All"}]
    assert role["createdByName"] == "sandbox-entegrasyon" and role["updatedAt"] is None
    bad = sb.http.post("/api/agent-roles", headers=owner, json={"name": "x", "permissions": ["customers:fly"]})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "permissions[0].permission"
    email = f"temsilci.{agent.id[:6]}@acente.test"
    invite_and_accept(sb, agent, owner, email, role_id=role_id, branches=[ist.json()])
    token = _user_token(sb, agent.id, email, "Parola-2026!")
    h = sb.bearer(token)
    sb.http.put(f"/api/agent-users/{sb.http.get('/api/agent-users/me', headers=h).json()['id']}", headers=owner,
                json={"agentBranchIds": [ist.json(), kad]})
    rows = sb.graphql(sb.service_token(agent), GQL_USERS, {"first": 10})["data"]["agentUsersNew"]["edges"]
    mine = next(e["node"] for e in rows if e["node"]["email"] == email)
    assert mine["branches"] == [{"name": "İstanbul", "level": 0, "hierarchy": "İstanbul"},
                                {"name": "Kadıköy", "level": 1, "hierarchy": "İstanbul > Kadıköy"}]
    # customers: one in Kadıköy (under the user's İstanbul), one in no branch
    def customer(branch):
        body = {"$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Ece Kaya",
                "primaryPhoneNumber": {"number": fresh_phone(), "countryCode": 90}}
        if branch:
            body["agentBranchId"] = branch
        made = sb.http.post("/api/customers", headers=owner, json=body)
        assert made.status_code == 200, made.text
        return made.json()["id"]

    inside, outside = customer(kad), customer(None)
    assert sb.http.get(f"/api/customers/{inside}", headers=h).status_code == 200
    hidden = sb.http.get(f"/api/customers/{outside}", headers=h)
    assert hidden.status_code == 404 and hidden.json()["codes"] == ["CUSTOMER_NOT_FOUND"]
    listed = sb.graphql(token, "{ customersNew(first: 50) { totalCount nodes { id agentBranch { name parentName } } } }")
    nodes = listed["data"]["customersNew"]["nodes"]
    assert [n["id"] for n in nodes] == [inside] and nodes[0]["agentBranch"] == {"name": "Kadıköy", "parentName": "İstanbul"}
    # no proposals permission: REST 403 and GraphQL FORBIDDEN
    assert sb.http.get("/api/proposals", headers=h).status_code == 403
    gql = sb.graphql(token, "{ proposalsNew(first: 5) { totalCount } }")
    assert gql["errors"][0]["extensions"]["codes"] == ["AGENT_ROLE_PERMISSION_REQUIRED"]
    # the owner widens the role: the user's next call follows at once
    assert sb.http.put(f"/api/agent-roles/{role_id}", headers=owner, json={"permissions": [
        "customers:read", "proposals:read"]}).status_code == 204
    changed = sb.http.get(f"/api/agent-roles/{role_id}", headers=owner).json()
    assert changed["updatedAt"] and changed["updatedByName"] == "sandbox-entegrasyon"
    assert sb.http.get(f"/api/customers/{outside}", headers=h).status_code == 200
    assert sb.http.get("/api/proposals", headers=h).status_code == 200
    # deleting the role leaves its users without rights
    assert sb.http.delete(f"/api/agent-roles/{role_id}", headers=owner).status_code == 204
    assert sb.http.get(f"/api/customers/{inside}", headers=h).status_code == 403
    assert sb.http.get("/api/agent-users/me", headers=h).json()["role"] is None
    # the owner role itself cannot change
    assert sb.http.delete("/api/agent-roles/owner", headers=owner).json()["codes"] == ["AGENT_ROLE_OWNER"]


def test_the_callers_own_account_name_password_and_robot_code(sb, agent, owner):
    email = f"kendisi.{agent.id[:6]}@acente.test"
    invite_and_accept(sb, agent, owner, email)
    h = sb.bearer(_user_token(sb, agent.id, email, "Parola-2026!"))
    assert sb.http.put("/api/agent-users/me", headers=h, json={"firstName": "Elif"}).status_code == 204
    assert sb.http.get("/api/agent-users/me", headers=h).json()["firstName"] == "Elif"
    wrong = sb.http.put("/api/agent-users/me/password", headers=h, json={"currentPassword": "nope-1234",
                                                                         "newPassword": "Yeni-Parola-1"})
    assert wrong.status_code == 422 and wrong.json()["codes"] == ["AGENT_USER_PASSWORD_WRONG"]
    assert sb.http.put("/api/agent-users/me/password", headers=h, json={
        "currentPassword": "Parola-2026!", "newPassword": "Yeni-Parola-1"}).status_code == 204
    assert sb.http.post("/api/authentication:agent-user/login",
                        json={"email": email, "password": "Parola-2026!"}).status_code == 401
    _user_token(sb, agent.id, email, "Yeni-Parola-1")
    code = sb.http.get("/api/agent-users/me/robot-code", headers=h)
    assert code.status_code == 200 and code.json()["robotCode"] == sb.http.get("/api/agent-users/me/robot-code",
                                                                                headers=h).json()["robotCode"]
    # a service account has no own account to change
    assert sb.http.put("/api/agent-users/me", headers=owner, json={"firstName": "x"}).status_code == 403
    # the agency's name
    assert sb.http.put("/api/agents/me", headers=owner, json={"name": "Kadıköy Sigorta"}).status_code == 204
    assert sb.http.get("/api/agents/me", headers=owner).json()["name"] == "Kadıköy Sigorta"


def test_oauth_clients_are_created_used_deactivated_and_revoked_through_the_api(sb, agent, owner):
    made = sb.http.post("/api/oauth-clients", headers=owner, json={"name": "CRM senkron", "scopes": ["customer:read", "me:read"]})
    assert made.status_code == 201, made.text
    client = made.json()
    assert client["clientSecret"] and client["scopes"] == ["customer:read", "me:read"]
    listed = sb.http.get("/api/oauth-clients", headers=owner).json()
    assert {c["clientId"] for c in listed} >= {client["clientId"], agent.client_id}
    assert all(c["clientSecret"] is None for c in listed)

    def token(**extra):
        return sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": client["clientId"],
                                                    "client_secret": client["clientSecret"], **extra})

    got = token()
    assert got.status_code == 200 and got.json()["scope"] == "customer:read me:read"
    assert token(scope="core-api").json()["error"] == "invalid_scope"
    h = sb.bearer(got.json()["access_token"])
    assert sb.http.get("/api/agent-users/me", headers=h).json()["clientId"] == client["clientId"]
    assert sb.http.put(f"/api/oauth-clients/{client['clientId']}", headers=owner, json={"isActive": False}).status_code == 204
    assert token().json()["error"] == "unauthorized_client"
    assert sb.http.get("/api/agent-users/me", headers=h).status_code == 403
    assert sb.http.delete(f"/api/oauth-clients/{client['clientId']}", headers=owner).status_code == 204
    assert sb.http.get("/api/agent-users/me", headers=h).status_code == 401
    assert token().status_code == 401
    assert sb.http.get(f"/api/oauth-clients/{client['clientId']}", headers=owner).status_code == 404


def test_invited_users_and_clients_do_not_outlive_a_reset(sb, agent, owner):
    email = f"gecici.{agent.id[:6]}@acente.test"
    invite_and_accept(sb, agent, owner, email)
    made = sb.http.post("/api/oauth-clients", headers=owner, json={"name": "geçici"}).json()
    assert sb.http.post(f"/__sandbox/agents/{agent.id}/reset", headers=sb.control_headers(agent.id)).status_code == 200
    assert sb.http.post("/api/authentication:agent-user/login",
                        json={"email": email, "password": "Parola-2026!"}).status_code == 401
    assert sb.http.post("/connect/token", data={"grant_type": "client_credentials", "client_id": made["clientId"],
                                                "client_secret": made["clientSecret"]}).status_code == 401
    # and the e-mail can be invited again, by another agency too
    other = sb.new_agent()
    again = sb.http.post("/api/agent-users/invite", headers=sb.bearer(sb.service_token(other)),
                         json={"email": email, "firstName": "A", "lastName": "B"})
    assert again.status_code == 204, again.text


def test_an_agency_holds_a_bounded_number_of_roles_and_branches(sb, agent, owner, monkeypatch):
    from mockserver.domain import branches, roles

    monkeypatch.setattr(roles, "MAX_ROLES", 3)  # the owner role and two more
    monkeypatch.setattr(branches, "MAX_BRANCHES", 2)
    for name in ("A", "B"):
        assert sb.http.post("/api/agent-roles", headers=owner, json={"name": name}).status_code == 204
        assert sb.http.post("/api/agent-branches", headers=owner, json={"name": name}).status_code == 200
    full = sb.http.post("/api/agent-roles", headers=owner, json={"name": "C"})
    assert full.status_code == 409 and full.json()["codes"] == ["AGENT_ROLE_LIMIT"]
    assert sb.http.post("/api/agent-branches", headers=owner, json={"name": "C"}).json()["codes"] == ["AGENT_BRANCH_LIMIT"]


def test_the_journal_keeps_no_invitation_code_or_password(sb, agent, owner):
    email = f"gizli.{agent.id[:6]}@acente.test"
    sb.http.post("/api/agent-users/invite", headers=owner, json={"email": email, "firstName": "G", "lastName": "Z"})
    code = _invite_mail(sb, agent.id, email)["inviteCode"]
    sb.http.get("/api/agent-users/check-invite-code", params={"code": code})
    sb.http.post("/api/agent-users/accept-invite", json={"code": code, "password": "Gizli-Parola-77"})
    journal = sb.http.get(f"/__sandbox/agents/{agent.id}/journal", headers=sb.control_headers(agent.id)).json()
    mine = [e for e in journal if e["path"] in ("/api/agent-users/check-invite-code", "/api/agent-users/accept-invite")]
    assert len(mine) == 2
    text = json.dumps(mine)
    assert code not in text and "Gizli-Parola-77" not in text


def test_the_sdks_role_and_user_shapes_role_names_and_permission_strings(sb, agent, owner):
    """CreateAgentRoleRequest {roleName, permissions}, InviteAgentUserRequest and UpdateAgentUserRequest with
    role names and twoFactorEnabled; GetAgentUserResult with roles, permissions, agentName."""
    assert sb.http.post("/api/agent-roles", headers=owner, json={
        "roleName": "Teklifçi", "permissions": ["proposals:read", "proposals:create"]}).status_code == 204
    email = f"sdk.{agent.id[:6]}@acente.test"
    assert sb.http.post("/api/agent-users/invite", headers=owner, json={
        "email": email, "firstName": "Ali", "lastName": "Veli", "roles": ["Teklifçi"]}).status_code == 204
    rows = sb.graphql(sb.service_token(agent), "{ agentUsersNew(first: 20) { nodes { id email } } }")
    uid = next(n["id"] for n in rows["data"]["agentUsersNew"]["nodes"] if n["email"] == email)
    user = sb.http.get(f"/api/agent-users/{uid}", headers=owner).json()
    assert user["roles"] == ["Teklifçi"] and user["permissions"] == ["proposals:read", "proposals:create"]
    assert user["agentName"] == sb.http.get("/api/agents/me", headers=owner).json()["name"]
    assert user["twoFactorEnabled"] is False and user["callCenterImplementation"] == "None"
    assert sb.http.put(f"/api/agent-users/{uid}", headers=owner, json={
        "id": uid, "firstName": "Ali", "lastName": "Veli", "roles": [], "twoFactorEnabled": False}).status_code == 204
    assert sb.http.get(f"/api/agent-users/{uid}", headers=owner).json()["roles"] == []
    unknown = sb.http.put(f"/api/agent-users/{uid}", headers=owner, json={"roles": ["Yok"]})
    assert unknown.status_code == 422 and unknown.json()["validationErrors"][0]["propertyName"] == "roles[0]"
    two = sb.http.put(f"/api/agent-users/{uid}", headers=owner, json={"roles": ["Teklifçi", "Acente Sahibi"]})
    assert two.status_code == 422 and "one role" in two.json()["validationErrors"][0]["errorMessage"]


def test_branches_take_and_give_the_sdks_parent_branch_id(sb, agent, owner):
    root = sb.http.post("/api/agent-branches", headers=owner, json={"name": "Bursa"}).json()
    child = sb.http.post("/api/agent-branches", headers=owner, json={"name": "Nilüfer", "parentBranchId": root}).json()
    got = sb.http.get(f"/api/agent-branches/{child}", headers=owner).json()
    assert got["parentBranchId"] == got["parentId"] == root and got["parentName"] == "Bursa"
    loop = sb.http.put(f"/api/agent-branches/{root}", headers=owner, json={"id": root, "name": "Bursa",
                                                                          "parentBranchId": child})
    assert loop.status_code == 422 and loop.json()["validationErrors"][0]["propertyName"] == "parentBranchId"
    langs = sb.http.get("/api/languages", headers=owner).json()
    assert {(x["code"], x["nativeName"], x["englishName"]) for x in langs} == {("tr", "Türkçe", "Turkish"),
                                                                             ("en", "English", "English")}


@pytest.mark.parametrize("body, field, words", [
    ({"phoneNumber": "2125551234"}, "phoneNumber", "Turkish mobile"),  # a landline cannot take the SMS code
    ({"phoneNumber": 0}, "phoneNumber", "Turkish mobile"),  # digits sent as a number are checked as the text is
    ({"phoneNumber": {"number": "2125551234", "countryCode": 90}}, "phoneNumber.number", "Turkish mobile"),
    ({"phoneNumber": {"number": "5321112233", "countryCode": "doksan"}}, "phoneNumber.countryCode", "such as 90"),
    ({"email": "zeynep.acente.test"}, "email", "e-mail address"),
    ({"firstName": "   "}, "firstName", "not be blank"),
    ({"roles": ["Operasyon", "Muhasebe"]}, "roles", "one role"),
])
def test_an_invitation_names_the_field_it_refuses(sb, owner, body, field, words):
    sent = {"email": "davet@acente.test", "firstName": "Zeynep", "lastName": "Şahin", **body}
    r = sb.http.post("/api/agent-users/invite", headers=owner, json=sent)
    assert r.status_code == 422, r.text
    [error] = r.json()["validationErrors"]
    assert error["propertyName"] == field and words in error["errorMessage"], error


def test_an_invitation_takes_the_sdks_phone_object_and_a_prefixed_number(sb, agent, owner):
    for email, phone in (("nesli@acente.test", {"number": 5321112233, "countryCode": "+90"}),
                         ("oya@acente.test", "+90 532 111 22 34")):
        r = sb.http.post("/api/agent-users/invite", headers=owner, json={
            "email": email.upper(), "firstName": "Nesli", "lastName": "Er", "phoneNumber": phone})
        assert r.status_code == 204, r.text
        made = sb.http.get(r.headers["location"], headers=owner).json()
        assert made["email"] == email and made["phoneNumber"] in ("5321112233", "5321112234")


@pytest.mark.parametrize("body, field", [
    ({"clientType": "Secret"}, "clientType"),  # the SDK's OAuthClientType: 0/1 or Confidential/Public
    ({"grantTypes": []}, "grantTypes"),
    ({"grantTypes": ["Implicit"]}, "grantTypes[0]"),
    ({"clientSecret": "short"}, "clientSecret"),
    ({"clientId": "with space"}, "clientId"),
    ({"grantTypes": [0], "redirectUris": ["not-a-url"]}, "redirectUris[0]"),
])
def test_an_oauth_client_request_names_the_field_it_refuses(sb, owner, body, field):
    r = sb.http.post("/api/oauth-clients", headers=owner, json={"displayName": "CRM", **body})
    assert r.status_code == 422, r.text
    assert [e["propertyName"] for e in r.json()["validationErrors"]] == [field]


def test_an_oauth_client_takes_the_sdks_enum_names(sb, owner):
    r = sb.http.post("/api/oauth-clients", headers=owner, json={
        "displayName": "Mobil", "clientType": "Public", "applicationType": "Native",
        "grantTypes": ["AuthorizationCode", "refresh_token"], "redirectUris": ["http://127.0.0.1/cb"]})
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["clientType"], made["applicationType"], made["grantTypes"]) == (1, 1, [0, 2])
