from mockserver.domain.catalog import catalog
from mockserver.wire import models as w


def test_insurance_companies_is_an_array_with_real_ids(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    companies = sb.http.get("/api/insurance-companies", headers=h).json()
    assert isinstance(companies, list)
    for c in companies:
        w.InsuranceCompany.model_validate(c)
    by_id = {c["id"]: c for c in companies}
    for cid, name in ((7, "Anadolu Sigorta"), (43, "Doğa Sigorta"), (54, "HDI Sigorta"), (61, "Sompo Sigorta"),
                      (95, "AXA Sigorta"), (17, "Unico Sigorta"), (57, "Bereket Sigorta"), (51, "Nippon Sigorta")):
        assert by_id[cid]["name"] == name
    assert "ASYNC_3D_SECURE" in by_id[43]["supportedPaymentOptions"]
    assert "ASYNC_INSURANCE_COMPANY_REDIRECT" not in by_id[43]["supportedPaymentOptions"]
    assert by_id[38]["supportedPaymentOptions"] == ["SYNC_CREDIT_CARD"]  # Magdeburger
    logo = sb.http.get(by_id[7]["logo"].replace("http://testserver", ""))
    assert logo.status_code == 200 and logo.headers["content-type"].startswith("image/svg+xml")


def test_real_product_ids_per_branch(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    doga = {p["productBranch"]: p["id"] for p in sb.http.get("/insurance-companies/43/products", headers=h).json()
            if p["integrationType"] == "WEB_SERVICE"}
    assert doga == {"KASKO": 1592, "TRAFIK": 1593, "DASK": 1595, "KONUT": 2223, "TSS": 3217}
    sompo_tss = [p["id"] for p in sb.http.get("/insurance-companies/61/products", headers=h).json()
                 if p["productBranch"] == "TSS" and p["integrationType"] == "WEB_SERVICE"]
    assert sompo_tss == [2763, 2764]
    robots = [p for p in sb.http.get("/products", headers=h).json() if p["integrationType"] == "ROBOT"]
    assert robots and not any(p["purchasable"] for p in robots)
    assert sb.http.get("/insurance-companies/999/products", headers=h).status_code == 404


def test_default_agent_is_connected_to_every_insurer_it_can_be(sb):
    sandbox = sb.sandbox
    agent = sandbox.default_agent
    connected = {c.insurance_company_id for c in agent.connections.values()}
    web_service = {i.id for i in catalog().for_market("TR") if i.web_service_branches()}
    robot_only = {i.id for i in catalog().for_market("TR") if not i.web_service_branches() and i.connection_branches()}
    assert connected == web_service | robot_only and len(web_service) >= 24
    assert {1, 21} <= robot_only  # Acıbadem and Corpus: seed 000 lists what they need, robots quote them


def test_connections_add_list_remove_and_validation(sb):
    a = sb.new_agent(connectAllInsurers=False)
    h = sb.bearer(sb.service_token(a))
    assert sb.http.get("/agents/me/insurance-companies", headers=h).json() == []
    fields = sb.http.get("/insurance-companies/96/connection-fields:agent-based", headers=h).json()
    assert [f["key"] for f in fields] == ["username", "password", "salesSourceCode", "customerServiceUrl", "userIp"]
    bad = sb.http.post("/agents/me/insurance-companies", headers=h, json={
        "insuranceCompanyId": 96, "branches": ["KASKO"],
        "connection": {"username": "u", "password": "p", "salesSourceCode": "S1", "customerServiceUrl": "not a url",
                       "userIp": "999.1.1.1"}})
    assert bad.status_code == 422
    assert {e["propertyName"] for e in bad.json()["validationErrors"]} == {"connection.customerServiceUrl", "connection.userIp"}
    missing = sb.http.post("/agents/me/insurance-companies", headers=h,
                           json={"insuranceCompanyId": 96, "branches": ["KASKO"], "connection": {"username": "u"}})
    assert {e["propertyName"] for e in missing.json()["validationErrors"]} == {
        "connection.password", "connection.salesSourceCode", "connection.customerServiceUrl", "connection.userIp"}
    branch = sb.http.post("/agents/me/insurance-companies", headers=h, json={"insuranceCompanyId": 96, "branches": ["KONUT"],
                                                                             "connection": {}})
    assert branch.json()["validationErrors"][0]["propertyName"] == "branches[0]"  # KONUT is still in progress
    good = sb.http.post("/agents/me/insurance-companies", headers=h, json={
        "insuranceCompanyId": 96, "branches": ["KASKO", "TRAFIK"],
        "connection": {"username": "u", "password": "secret-pass", "salesSourceCode": "S1",
                       "customerServiceUrl": "https://ws.turkiyesigorta.test/svc", "userIp": "10.1.2.3"}})
    assert good.status_code == 200, good.text
    conn = w.ConnectionOut.model_validate(good.json())
    assert conn.connection["password"] == "********"
    assert sb.http.post("/agents/me/insurance-companies", headers=h, json={
        "insuranceCompanyId": 96, "branches": ["KASKO"], "connection": {}}).status_code == 409
    assert [c["id"] for c in sb.http.get("/agents/me/insurance-companies", headers=h).json()] == [conn.id]
    assert sb.http.get(f"/agents/me/insurance-companies/{conn.id}/branches", headers=h).json() == ["KASKO", "TRAFIK"]
    assert sb.http.put(f"/agents/me/insurance-companies/{conn.id}/branches", headers=h,
                       json={"branches": ["DASK"]}).json()["branches"] == ["DASK"]
    assert sb.http.delete(f"/agents/me/insurance-companies/{conn.id}", headers=h).status_code == 204
    assert sb.http.get("/agents/me/insurance-companies", headers=h).json() == []


def test_polish_access_data_formats(sb):
    a = sb.new_agent(market="PL", connectAllInsurers=False)
    h = sb.bearer(sb.service_token(a))
    names = {c["name"] for c in sb.http.get("/insurance-companies", headers=h).json()}
    assert {"Warta", "Wiener", "Balcia", "Wefox"} <= names and "Anadolu Sigorta" not in names
    add = lambda cid, conn: sb.http.post("/agents/me/insurance-companies", headers=h,  # noqa: E731
                                         json={"insuranceCompanyId": cid, "branches": ["TRAFIK"], "connection": conn})
    assert add(1003, {"rauNumber": "123456/P", "username": "u", "password": "p"}).json()["validationErrors"][0][
        "propertyName"] == "connection.rauNumber"
    assert add(1003, {"rauNumber": "1234567/P", "username": "u", "password": "p"}).status_code == 200
    assert add(1017, {"portalLogin": "agent", "ofwcaNumber": "B0000123456"}).status_code == 422
    assert add(1017, {"portalLogin": "agent", "ofwcaNumber": "A0000123456"}).status_code == 200
    assert add(1018, {"login": "1234567"}).status_code == 422
    assert add(1019, {"pesel": "44051401358"}).status_code == 422
    assert add(1019, {"pesel": "44051401359"}).status_code == 200
    assert add(1007, {"portalLogin": "JKowal"}).status_code == 422
    assert add(1013, {"ofwcaNumber": "123456", "username": "u", "password": "p"}).status_code == 422


def test_customer_tokens_cannot_manage_connections(sb, agent):
    from tests.conftest import fresh_phone, fresh_tckn

    tokens = sb.customer_login(agent.id, fresh_tckn(), fresh_phone())
    r = sb.http.get("/agents/me/insurance-companies", headers=sb.bearer(tokens["accessToken"]))
    assert r.status_code == 403 and r.json()["type"].endswith("/access-denied")
