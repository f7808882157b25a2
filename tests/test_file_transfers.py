"""File policy transfers (``POST file-policy-transfers``, the SDK's createFilePolicyTransfer): an
insurer's policy list as CSV or XLSX, each row imported as a policy of the agency or reported with the
contract's skip or failure reason; the detail, the list and GraphQL filePolicyTransfersNew."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.conftest import fresh_tckn

DOGA = 96  # Türkiye Sigorta: KASKO, TRAFIK, DASK, ...
HEADER = "Poliçe No;Branş;Başlangıç Tarihi;Bitiş Tarihi;Müşteri Tipi;TCKN;Ad Soyad;Brüt Prim;Komisyon;Zeyil No"


@pytest.fixture
def h(sb, agent):
    return sb.bearer(sb.service_token(agent))


def _upload(sb, h, data: bytes, name="police-listesi.csv", insurer=DOGA):
    return sb.http.post("/api/file-policy-transfers", headers=h, data={"insuranceCompanyId": str(insurer)},
                        files={"file": (name, data, "text/csv")})


def test_each_row_is_imported_or_reported_with_its_reason(sb, agent, h):
    tckn = fresh_tckn()
    lines = [HEADER,
             f"TS-1001;Kasko;01.03.2026;01.03.2027;Bireysel;{tckn};Ayşe Yılmaz;12.345,60;1.234,50;0",
             f"TS-1001;Kasko;01.03.2026;01.03.2027;Bireysel;{tckn};Ayşe Yılmaz;12.345,60;1.234,50;0",  # twice
             f"TS-1001;Kasko;01.06.2026;01.03.2027;Bireysel;{tckn};Ayşe Yılmaz;13.000,00;1.300,00;1",  # endorsement
             "TS-1002;Trafik;2026-03-01;2027-03-01;Bireysel;12345678901;Hatalı Kimlik;3.000;300;0",
             f"TS-1003;Trafik;2026-03-01;2026-02-01;Bireysel;{tckn};Ayşe Yılmaz;3.000;300;0",
             f"TS-1004;Uçak;2026-03-01;2027-03-01;Bireysel;{tckn};Ayşe Yılmaz;3.000;300;0",
             f"TS-1005;Trafik;2026-03-01;2027-03-01;Bireysel;{tckn};Ayşe Yılmaz;-5;0;0",
             f"TS-1006;Trafik;2026-03-01;2027-03-01;Bireysel;{tckn};Ayşe Yılmaz;3.000;300;2",  # no base policy
             "TS-1007;Trafik;2026-03-01;2027-03-01;Kurumsal;1234567891;Moda A.Ş.;3.000;300;0"]
    r = _upload(sb, h, "\n".join(lines).encode("utf-8-sig"))
    assert r.status_code == 204, r.text
    detail = sb.http.get(r.headers["location"], headers=h).json()
    rows = detail["transferredPolicies"]
    assert [(x["status"], x["skipReason"] or x["failureReason"]) for x in rows] == [
        ("SUCCESS", None), ("TRANSFER_SKIPPED", "SKIP_ALREADY_TRANSFERRED"), ("SUCCESS", None),
        ("TRANSFER_FAILED", "INVALID_CUSTOMER_IDENTITY_NUMBER"), ("TRANSFER_FAILED", "INVALID_END_DATE"),
        ("TRANSFER_SKIPPED", "PRODUCT_BRANCH_NOT_SUPPORTED"), ("TRANSFER_FAILED", "INVALID_PREMIUM"),
        ("TRANSFER_SKIPPED", "PREVIOUS_VERSION_NOT_FOUND"), ("TRANSFER_FAILED", "INVALID_CUSTOMER_TAX_NUMBER")]
    assert (detail["succeededPolicyCount"], detail["skippedPolicyCount"], detail["failedPolicyCount"]) == (2, 3, 4)
    assert detail["fileName"] == "police-listesi.csv" and detail["insuranceCompanyId"] == DOGA
    first = rows[0]
    assert first["insuranceCompanyPolicyNumber"] == "TS-1001" and first["productBranch"] == "KASKO"
    assert first["productId"] and first["insuranceCompanyName"] and rows[2]["endorsementNumber"] == 1
    # the imported policy is the agency's, with its customer (made from the row) and its endorsement
    policy = sb.http.get(f"/api/policies/{first['transferredPolicyId']}", headers=h).json()
    assert policy["insuranceCompanyPolicyNumber"] == "TS-1001" and policy["startDate"] == "2026-03-01"
    # the SDK's GetPolicyDetailResult: the endorsement is the current version, from a policy transfer
    assert policy["currentVersion"] == 1 and policy["insuranceCompanyEndorsementNumber"] == 1
    assert [v["versionType"] for v in policy["versions"]] == ["INITIAL", "UPDATE"]
    assert {v["source"] for v in policy["versions"]} == {"POLICY_TRANSFER"}
    assert policy["snapshot"]["productBranch"] == "KASKO" and policy["snapshot"]["isInsuredCustomerSameAsInsurerCustomer"]
    found = sb.http.get(f"/api/customers/{tckn}", headers=h)
    assert found.status_code == 200 and found.json()["fullName"] == "Ayşe Yılmaz"
    versions = sb.graphql(sb.service_token(agent), """query($f: filtering_QueryPoliciesExpandedResultFilterInput) {
        policiesExpanded(first: 10, filter: $f) { nodes { endorsementNumber grossPremiumChange } } }""",
                          {"f": {"id": {"eq": first["transferredPolicyId"]}}})
    changes = {n["endorsementNumber"]: n["grossPremiumChange"] for n in versions["data"]["policiesExpanded"]["nodes"]}
    assert changes.get(1) == pytest.approx(13000.0 - 12345.6)
    # the lists: REST and GraphQL
    (listed,) = sb.http.get("/api/file-policy-transfers", headers=h).json()
    assert listed["totalPolicyCount"] == 9 and listed["completedPolicyCount"] == 2 and listed["failedPolicyCount"] == 4
    gql = sb.graphql(sb.service_token(agent), "{ filePolicyTransfersNew(first: 5) { totalCount nodes { id fileName "
                                              "insuranceCompanyName completedPolicyCount } } }")["data"]
    assert gql["filePolicyTransfersNew"]["totalCount"] == 1
    assert gql["filePolicyTransfersNew"]["nodes"][0]["completedPolicyCount"] == 2
    events = sb.http.get(f"/__sandbox/agents/{agent.id}/events", params={"event": "policy.created"}).json()
    (created,) = [e["payload"] for e in events if e["payload"].get("policyId") == first["transferredPolicyId"]]
    assert created["fromPolicyTransfer"] is True and created["insuranceCompanyPolicyNo"] == "TS-1001"


def test_an_xlsx_with_english_headers_and_a_second_upload_of_it(sb, agent, h):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["policyNumber", "productBranch", "startDate", "endDate", "identityNumber", "customerName",
                  "grossPremium", "paymentType"])
    tckn = fresh_tckn()
    import datetime as dt
    sheet.append(["X-77", "DASK", dt.datetime(2026, 5, 1), dt.datetime(2027, 5, 1), tckn, "Can Er", 850.5, "CASH"])
    sheet.append(["X-78", "DASK", dt.datetime(2026, 5, 1), dt.datetime(2027, 5, 1), tckn, "Can Er", 850.5, "BARTER"])
    out = io.BytesIO()
    book.save(out)
    first = _upload(sb, h, out.getvalue(), name="liste.xlsx")
    assert first.status_code == 204, first.text
    rows = sb.http.get(first.headers["location"], headers=h).json()["transferredPolicies"]
    assert [r["status"] for r in rows] == ["SUCCESS", "TRANSFER_FAILED"], rows
    assert rows[1]["failureReason"] == "INVALID_PAYMENT_TYPE"
    again = sb.http.get(_upload(sb, h, out.getvalue(), name="liste.xlsx").headers["location"], headers=h).json()
    assert again["transferredPolicies"][0]["skipReason"] == "SKIP_ALREADY_TRANSFERRED"


@pytest.mark.parametrize("data, says", [
    (b"", "no rows"),
    ("Poliçe No;Branş\nA;Kasko".encode(), "header lacks"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b"PK\x03\x04 not really a workbook", "XLSX"),
    (("policyNumber,productBranch,startDate,endDate,identityNumber,grossPremium\n" + "x,KASKO,2026-01-01,2027-01-01,1,1\n" * 501).encode(), "500 rows"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(sb, agent, h, data, says):
    r = _upload(sb, h, data)
    assert r.status_code == 400 and r.json()["codes"] == ["FILE_POLICY_TRANSFER_FILE_INVALID"], r.text
    assert says in r.json()["detail"] and r.json()["validationErrors"][0]["propertyName"] == "file"
    assert sb.http.get("/api/file-policy-transfers", headers=h).json() == []


def test_the_insurer_must_be_named_and_a_missing_transfer_is_404(sb, agent, h):
    r = _upload(sb, h, HEADER.encode(), insurer="uçak")
    assert r.status_code == 422 and r.json()["validationErrors"][0]["propertyName"] == "insuranceCompanyId"
    gone = sb.http.get("/api/file-policy-transfers/0123456789abcdef01234567", headers=h)
    assert gone.status_code == 404 and gone.json()["codes"] == ["FILE_POLICY_TRANSFER_NOT_FOUND"]


def test_a_restart_keeps_the_import_and_its_policies(tmp_path):
    from tests.test_store import across_restart

    def before(c, sb):
        agent = sb.new_agent()
        h = sb.bearer(sb.service_token(agent))
        line = f"R-1;Kasko;01.03.2026;01.03.2027;Bireysel;{fresh_tckn()};Deniz Ak;5.000,00;500,00;0"
        where = _upload(sb, h, f"{HEADER}\n{line}".encode()).headers["location"]
        return agent, where, c.get(where, headers=h).json()

    def after(c, sb, carried):
        agent, where, detail = carried
        assert c.get(where, headers=sb.bearer(sb.service_token(agent))).json() == detail

    across_restart(tmp_path, before, after)
