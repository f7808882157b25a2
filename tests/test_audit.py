"""The endpoint audit, re-run: every operation the reference, the real B2C site and the official
CLI/SDK name (contracts/documented-operations.json, 243 method and path pairs) is served, never a 404
"no such endpoint" nor a 405; what answers 501 names its operation and is listed with its reason in
FIDELITY.md. Also the small reference endpoints: languages, public files, the older JWKS path."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mockserver.http import planned
from tests.conftest import fresh_phone, fresh_tckn

ROOT = Path(__file__).resolve().parents[1]
OPERATIONS = json.loads((ROOT / "contracts" / "documented-operations.json").read_text())["operations"]
FIDELITY = (ROOT / "contracts" / "FIDELITY.md").read_text()


def test_every_documented_operation_is_served_or_explained(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    customer = sb.http.post("/api/customers", headers=h, json={
        "$type": "individual", "identityNumber": fresh_tckn(), "fullName": "Denetim Müşterisi",
        "primaryPhoneNumber": {"number": fresh_phone(), "countryCode": 90}}).json()
    cid = customer.get("customerId") or customer["id"]
    outcomes: Counter = Counter()
    for op in OPERATIONS:
        path = op["path"].replace("{cid}", cid)
        for name in ("{pid}", "{ppid}", "{polid}", "{caseid}", "{vid}"):
            path = path.replace(name, "0123456789abcdef01234567")
        body = {} if op["method"] in ("POST", "PUT", "PATCH") else None
        r = sb.http.request(op["method"], path, headers=h, json=body)
        where = f"{op['method']} {op['path']}"
        assert r.status_code != 405, (where, r.text)
        assert r.status_code < 500 or r.status_code in (501, 502), (where, r.text)
        if r.status_code == 404 and "json" in r.headers.get("content-type", ""):
            assert r.json().get("codes") != ["ENDPOINT_NOT_FOUND"], where
        if r.status_code == 501:
            problem = r.json()
            assert problem["codes"] == ["SANDBOX_NOT_IMPLEMENTED"] and op["method"] in problem["detail"], where
        outcomes[r.status_code // 100 if r.status_code != 501 else 501] += 1
    # most are really served (2xx, or 4xx the rules give for the empty bodies and made-up ids)
    assert outcomes[501] <= 8 and outcomes[2] + outcomes[4] >= len(OPERATIONS) - 8, outcomes


def test_every_planned_operation_is_listed_with_its_reason_in_fidelity():
    section = FIDELITY.split("## Not simulated", 1)[1]
    for path, methods, label in planned.OPERATIONS:
        assert planned.WHY[label], label  # the 501 says why too
        for method in methods:
            assert f"`{method} {path}`" in section, f"{method} {path} ({label}) is not explained in FIDELITY.md"


def test_languages_public_files_and_the_older_jwks_path(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    assert {x["code"] for x in sb.http.get("/api/languages", headers=h).json()} == {"tr", "en"}
    up = sb.http.post("/api/files/public", headers=h, files={"file": ("logo acente.svg", b"<svg/>", "image/svg+xml")})
    assert up.status_code == 200, up.text
    got = sb.http.get(up.json()["fileUrl"])
    assert got.content == b"<svg/>" and got.headers["content-type"].startswith("image/svg+xml")
    assert up.json()["filePath"].endswith("/logo-acente.svg")
    none = sb.http.post("/api/files/public", headers=h, json={"file": "x"})
    assert none.status_code == 400 and none.json()["validationErrors"][0]["propertyName"] == "file"
    assert sb.http.get("/.well-known/jwks").json() == sb.http.get("/.well-known/openid-configuration/jwks").json()
