"""Write the snapshots shipped in mockserver/data/snapshots/: agents in states a CI job wants to start
from, made through the API of an in-process sandbox. Run: python tools/make_snapshots.py"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mockserver import magic, snapshots  # noqa: E402
from mockserver.http.app import create_app  # noqa: E402

IDENTITY = "10000000146"  # the sandbox's documented test identity
PHONE = "5550001234"  # 555000xxxx: the SMS code is always 123456
CALLBACK = "http://localhost:3000/purchase/callback"


def login(c, agent_id: str) -> tuple[dict, str]:
    r = c.post("/api/auth/customer/login-or-register", json={
        "$type": "individual", "identityNumber": IDENTITY, "birthDate": "1985-04-12",
        "phoneNumber": {"number": PHONE, "countryCode": 90}, "agentId": agent_id})
    v = c.post("/api/auth/customer/verify-mfa", json={"token": r.json()["token"], "code": magic.FIXED_OTP_CODE})
    h = {"Authorization": f"Bearer {v.json()['accessToken']}"}
    return h, c.get("/api/customers/me", headers=h).json()["id"]


def car(c, h: dict, cid: str) -> str:
    r = c.post(f"/api/customers/{cid}/vehicles", headers=h, json={
        "plate": "34KL123", "documentSerialCode": "A", "documentSerialNumber": "1234567", "brandCode": "RENAULT",
        "modelCode": "CLIO", "year": 2019})
    return r.json()["id"]


def home(c, h: dict, cid: str) -> str:
    r = c.post(f"/api/customers/{cid}/properties", headers=h, json={
        "number": magic.UAVT_FIXED, "squareMeter": 120, "constructionYear": 2005, "damageStatus": "NONE",
        "structure": "STEEL_REINFORCED_CONCRETE", "utilizationStyle": "HOUSE", "ownershipType": "PROPRIETOR",
        "floor": {"totalFloors": {"min": 4, "max": 7}, "currentFloor": 3}})
    return r.json()["newPropertyId"]


def settled(c, agent_id: str, h: dict, body: dict) -> str:
    pid = c.post("/api/proposals", headers=h, json=body).json()["proposalId"]
    c.post(f"/__sandbox/agents/{agent_id}/proposals/{pid}/settle")
    return pid


def write(c, agent_id: str, name: str, description: str) -> None:
    doc = snapshots.export(c.app.state.sandbox.agents[agent_id])
    doc["description"] = description
    doc["state"]["journal"] = {"$deque": [], "maxlen": doc["state"]["journal"]["maxlen"],
                               "$id": doc["state"]["journal"]["$id"]}  # a fresh start: no request history
    import gzip

    out = snapshots.SHIPPED / f"{name}.json.gz"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gzip.compress(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS), 9, mtime=0))
    print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KiB)")


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(create_app()) as c:
        def agent() -> str:
            return c.post("/__sandbox/agents", json={"seed": 1}).json()["agentId"]

        who = f"customer {IDENTITY} (phone {PHONE}, SMS code {magic.FIXED_OTP_CODE})"
        a = agent()
        h, cid = login(c, a)
        vid = car(c, h, cid)
        settled(c, a, h, {"$type": "kasko", "vehicleId": vid, "productBranch": "KASKO", "insurerCustomerId": cid,
                          "insuredCustomerId": cid, "channel": "WEBSITE"})
        write(c, a, "kasko-quoted", f"A {who} with a car (34KL123) and a kasko proposal whose quotes have all "
                                    "arrived.")

        a = agent()
        h, cid = login(c, a)
        vid = car(c, h, cid)
        pid = settled(c, a, h, {"$type": "kasko", "vehicleId": vid, "productBranch": "KASKO",
                                "insurerCustomerId": cid, "insuredCustomerId": cid, "channel": "WEBSITE"})
        products = c.get(f"/api/proposals/{pid}", headers=h).json()["products"]
        pp = next(p for p in products if p["state"] == "ACTIVE" and p["productType"] == "WEB_SERVICE"
                  and p["insuranceCompanyId"] == 43)  # Doğa Sigorta: native 3-D Secure
        url = c.post(f"/api/proposals/{pid}/products/{pp['id']}/purchase/async", headers=h, json={
            "$type": "3d-secure", "installmentNumber": 1, "callbackUrl": CALLBACK,
            "card": {"number": magic.SUCCESS_CARD if hasattr(magic, "SUCCESS_CARD") else "4111111111111111",
                     "cvc": "000", "expiryMonth": "12", "expiryYear": "2030", "holderName": "TEST KART"}}
                      ).json()["redirectUrl"]
        c.post(url, data={"action": "confirm", "code": magic.PAYMENT_OTP_CODE}, follow_redirects=False)
        write(c, a, "kasko-policy", f"A {who} with a car and an active kasko policy of Doğa Sigorta, bought "
                                    "by 3-D Secure.")

        a = agent()
        h, cid = login(c, a)
        prop = home(c, h, cid)
        for branch in ("konut", "dask"):
            settled(c, a, h, {"$type": branch, "propertyId": prop, "productBranch": branch.upper(),
                              "insurerCustomerId": cid, "insuredCustomerId": cid, "channel": "WEBSITE"})
        write(c, a, "home-quoted", f"A {who} with a home (UAVT {magic.UAVT_FIXED}) and konut and DASK "
                                   "proposals whose quotes have all arrived.")


if __name__ == "__main__":
    main()
