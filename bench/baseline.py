"""The baseline: a bare Starlette JSON endpoint, served exactly as the sandbox is, answering a body of
the same shape and size as the sandbox's ``customers/me`` (so the ratio measures the sandbox's own
work, token check, tenant lookup, journal, and not the size of the JSON)."""

from starlette.applications import Starlette
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


async def me(request):
    return JSONResponse(BODY)


app = Starlette(routes=[Route("/api/customers/me", me)])
