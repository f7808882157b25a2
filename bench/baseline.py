"""The baseline: a bare Starlette app, served exactly as the sandbox is, answering what the sandbox
answers. Each route holds the parsed JSON body the sandbox sent and renders it on every request with
Starlette's ``JSONResponse``, as a bare app renders the data it holds; ``bench/budget.py`` checks the
bytes are the sandbox's own. So a ratio measures the sandbox's own work (token check, tenant lookup,
the journal, rendering from its records) and not the size of the JSON.

``BENCH_BODIES`` names a JSON file ``{"METHOD /path": body, ...}`` (``bench/budget.py`` writes it);
without it the app answers ``GET /api/customers/me`` with a customer of the sandbox's shape.
"""

import json
import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BODY = {
    "$type": "individual", "type": "INDIVIDUAL", "id": "0b1df115-553d-41d4-a8b3-592ad427f1ca",
    "identityNumber": "11111111110", "fullName": "HÜRMET SAKARYA", "firstName": "HÜRMET", "lastName": "SAKARYA",
    "birthDate": "1990-01-01", "gender": "FEMALE", "maritalStatus": None, "educationStatus": None,
    "nationality": "TURKISH", "job": None, "primaryEmail": None,
    "primaryPhoneNumber": {"number": "5550001234", "countryCode": 90, "areaCode": "555", "numberWithoutAreaCode": "0001234"},
    "city": {"value": "34", "text": "İSTANBUL"}, "district": {"value": "1823", "text": "KÜÇÜKÇEKMECE"},
    "createdAt": "2026-11-22T16:21:48.164Z", "updatedAt": "2026-11-22T16:21:48.164Z", "createdBy": None,
    "representedBy": None, "creationChannel": "WEBSITE", "agentBranchId": None, "consents": [], "vehicleCount": 0,
    "propertyCount": 0, "proposalCount": 0, "policyCount": 0, "caseCount": 0, "emailCount": 0, "phoneCount": 1,
}


def _answering(body: object):
    async def endpoint(request: Request) -> JSONResponse:
        if request.method == "POST":
            await request.body()  # a bare app reads what it is sent
        return JSONResponse(body)

    return endpoint


def _routes() -> list[Route]:
    bodies = {"GET /api/customers/me": BODY}
    if os.environ.get("BENCH_BODIES"):
        with open(os.environ["BENCH_BODIES"], encoding="utf-8") as f:
            bodies = json.load(f)
    return [Route(key.split(" ", 1)[1], _answering(body), methods=[key.split(" ", 1)[0]])
            for key, body in bodies.items()]


app = Starlette(routes=_routes())
