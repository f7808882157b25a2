"""File policy transfers (``POST file-policy-transfers``, the SDK's ``createFilePolicyTransfer``): an
insurer's policy list uploaded as a file (multipart ``file`` and ``insuranceCompanyId``), each row
imported as a policy of the agency or reported with the contract's reason.

Each insurer's real export has its own layout; the sandbox reads one layout of its own, as CSV (UTF-8,
``;`` or ``,``) or XLSX (the first sheet), with a header row naming the columns in Turkish or English
(``COLUMNS``; case, spaces and Turkish letters do not matter). A row is, in this order:

* ``TRANSFER_FAILED`` with the contract's ``TransferredPolicyFailureReason``: an identity or tax number
  that fails its check digits, a company without a title, an unknown customer type, a start or end date
  that is not a date (or an end before the start), a premium that is not positive, a commission below
  zero or above the premium, an unknown payment type;
* ``TRANSFER_SKIPPED`` with its ``TransferredPolicySkipReason``: the insurer has no product in the branch
  (``PRODUCT_BRANCH_NOT_SUPPORTED``), the policy (insurer, number, renewal) is in the CRM already or
  earlier in the file (``SKIP_ALREADY_TRANSFERRED``), an endorsement whose policy is not in the CRM
  (``PREVIOUS_VERSION_NOT_FOUND``);
* ``SUCCESS``: the customer is found by identity number or made (``customer.created``), and the policy
  is made like a manual one (``policy.created``, channel MANUAL); an endorsement adds a version to its
  policy (``policiesExpanded``).

The file is read in the thread pool (``read``); the rows are applied on the event loop (``apply``)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import BadRequest, FieldError, InvalidState, NotFound, field_error
from mockserver.domain.catalog import catalog
from mockserver.validators.turkish import is_tckn, is_vkn
from mockserver.wire.policies import (FilePolicyTransferDetailOut, FilePolicyTransferOut, ManualPolicyRequest,
                                      TransferredPolicyOut)
from mockserver.wire.render import Const, From, renderer
from pydantic import ValidationError

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent

MAX_ROWS = 500  # rows of one file (README "Limits")
MAX_FILE_TRANSFERS = 200  # per agency
MAX_UNPACKED = 16 * 1024 * 1024  # what an XLSX may unpack to
PAYMENT_TYPES = ("CREDIT_CARD", "CASH", "OPEN_ACCOUNT", "BANK_TRANSFER", "INSTALLMENT", "UNKNOWN")

# column -> the header names it is found under (folded: lower case, no spaces, Turkish letters plain)
COLUMNS: dict[str, tuple[str, ...]] = {
    "policyNumber": ("policynumber", "policeno", "policenumarasi", "polno"),
    "productBranch": ("productbranch", "brans", "branch"),
    "startDate": ("startdate", "baslangictarihi", "baslangic"),
    "endDate": ("enddate", "bitistarihi", "bitis"),
    "customerType": ("customertype", "musteritipi", "tip"),
    "identityNumber": ("identitynumber", "tckn", "vkn", "kimlikno", "vergino", "tckimlikno"),
    "customerName": ("customername", "adsoyad", "unvan", "sigortaliadi", "fullname", "title"),
    "grossPremium": ("grosspremium", "brutprim", "prim"),
    "netPremium": ("netpremium", "netprim"),
    "commission": ("commission", "komisyon"),
    "paymentType": ("paymenttype", "odemetipi", "odemesekli"),
    "renewalNumber": ("renewalnumber", "yenilemeno", "yenileme"),
    "endorsementNumber": ("endorsementnumber", "zeyilno", "zeylno", "zeyil"),
}
REQUIRED = ("policyNumber", "productBranch", "startDate", "endDate", "identityNumber", "grossPremium")
_TYPES = {"individual": "individual", "bireysel": "individual", "sahis": "individual", "person": "individual",
          "company": "company", "kurumsal": "company", "tuzel": "company", "sirket": "company"}


def _fold(text: Any) -> str:
    plain = unicodedata.normalize("NFKD", ("" if text is None else str(text)).replace("ı", "i").replace("İ", "i"))
    return "".join(c for c in plain if c.isalnum() and not unicodedata.combining(c)).lower()


@dataclass(slots=True)
class Row:
    status: str
    skip_reason: str | None
    failure_reason: str | None
    branch: str | None
    number: str
    renewal: int
    endorsement: int
    product_id: int | None = None
    product_name: str | None = None
    policy_id: str | None = None


@dataclass(slots=True)
class FileTransfer:
    id: str
    insurer_id: int
    file_name: str
    created_at: float
    created_by: dict[str, Any] | None
    base_url: str  # where it was uploaded: the insurer's logo link points there
    rows: list[Row] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading (off the loop)
def _bad(message: str) -> BadRequest:
    return BadRequest(f"The policy file cannot be read: {message}.", codes=["FILE_POLICY_TRANSFER_FILE_INVALID"],
                      field_errors=[FieldError("file", message, None)],
                      suggestions=["Send CSV (UTF-8) or XLSX with a header row: " + ", ".join(COLUMNS) + "."])


def _table(name: str, data: bytes) -> list[list[Any]]:
    if data[:2] == b"PK":  # a zip: XLSX
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if sum(i.file_size for i in z.infolist()) > MAX_UNPACKED:
                    raise _bad(f"the workbook unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MiB")
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row[:40]))
                if len(rows) > MAX_ROWS + 1:
                    break
            book.close()
            return rows
        except BadRequest:
            raise
        except Exception:  # noqa: BLE001 - openpyxl's errors: not a workbook it can read
            raise _bad("it is not a readable XLSX workbook") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad("a CSV file must be UTF-8") from None
    head = text[:4096]
    delimiter = ";" if head.count(";") > head.count(",") else ","
    try:
        return [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)][: MAX_ROWS + 2]
    except csv.Error as exc:
        raise _bad(f"the CSV is malformed ({exc})") from None


def read(name: str, data: bytes) -> list[dict[str, Any]]:
    """The file's rows as ``{column: value}``; 400 naming what is wrong with the file itself."""
    table = [r for r in _table(name, data) if any(v not in (None, "") for v in r)]
    if not table:
        raise _bad("it has no rows")
    header = [_fold(h) for h in table[0]]
    where: dict[str, int] = {}
    for col, names in COLUMNS.items():
        found = next((i for i, h in enumerate(header) if h in names), None)
        if found is not None:
            where[col] = found
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        raise _bad(f"the header lacks {', '.join(missing)}")
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise _bad(f"it has more than {MAX_ROWS} rows; split it")
    return [{col: (row[i] if i < len(row) else None) for col, i in where.items()} for row in body]


# ----------------------------------------------------------------------------- applying (on the loop)
def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _day(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    text = _text(v)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _amount(v: Any) -> float | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    text = _text(v).replace(" ", "")
    if "," in text and "." in text:  # 1.234,56 (Turkish) or 1,234.56
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 3.000: Turkish thousands
        text = text.replace(".", "")
    else:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) < 1e12 else None


def _count(v: Any) -> int:
    text = _text(v)
    return int(text) if text.isdigit() and len(text) < 6 else 0


_REASONS = {"policyNumber": "INVALID_POLICY_NUMBER", "grossPremium": "INVALID_PREMIUM", "netPremium": "INVALID_PREMIUM",
            "commission": "INVALID_COMMISSION"}  # a row POST policies/manual would refuse, by field


def _one(agent: "Agent", insurer: Any, raw: dict[str, Any], seen: set[tuple[str, int]], by: dict[str, Any] | None,
         base_url: str, held: dict[str, Any]) -> Row:
    """One row; ``held``: the insurer's policies in the CRM by number (kept up to date as rows land)."""
    from mockserver.domain import customers, policy_transfers

    number = _text(raw.get("policyNumber"))[:100]
    renewal, endorsement = _count(raw.get("renewalNumber")), _count(raw.get("endorsementNumber"))
    branch = _fold(raw.get("productBranch")).upper() or None
    row = Row("TRANSFER_FAILED", None, None, branch, number, renewal, endorsement)

    def fail(reason: str) -> Row:
        row.failure_reason = reason
        return row

    def skip(reason: str) -> Row:
        row.status, row.skip_reason = "TRANSFER_SKIPPED", reason
        return row

    ctype = _TYPES.get(_fold(raw.get("customerType")) or "individual")
    if ctype is None:
        return fail("INVALID_CUSTOMER_TYPE")
    identity, name = _text(raw.get("identityNumber")), _text(raw.get("customerName"))[:200]
    if ctype == "individual" and not is_tckn(identity):
        return fail("INVALID_CUSTOMER_IDENTITY_NUMBER")
    if ctype == "company" and not is_vkn(identity):
        return fail("INVALID_CUSTOMER_TAX_NUMBER")
    if ctype == "company" and len(name) < 2:
        return fail("INVALID_CUSTOMER_COMPANY_TITLE")
    start, end = _day(raw.get("startDate")), _day(raw.get("endDate"))
    if start is None:
        return fail("INVALID_START_DATE")
    if end is None or end <= start:
        return fail("INVALID_END_DATE")
    gross = _amount(raw.get("grossPremium"))
    if gross is None or gross <= 0:
        return fail("INVALID_PREMIUM")
    net = _amount(raw.get("netPremium")) if _text(raw.get("netPremium")) else round(gross / 1.05, 2)
    if net is None or net <= 0 or net > gross:
        return fail("INVALID_PREMIUM")
    commission = _amount(raw.get("commission")) if _text(raw.get("commission")) else round(net * 0.1, 2)
    if commission is None or commission < 0 or commission > gross:
        return fail("INVALID_COMMISSION")
    payment = _text(raw.get("paymentType")).upper() or "UNKNOWN"
    if payment not in PAYMENT_TYPES:
        return fail("INVALID_PAYMENT_TYPE")
    if not number:
        return fail("UNKNOWN")
    product = next((p for p in insurer.products if p.branch == branch), None)
    if product is None:
        return skip("PRODUCT_BRANCH_NOT_SUPPORTED")
    row.product_id, row.product_name = product.id, product.name
    existing = held.get(number)
    if endorsement > 0:
        if existing is None:
            return skip("PREVIOUS_VERSION_NOT_FOUND")
        if (number, endorsement) in seen or any(v.endorsement_number == endorsement for v in existing.versions):
            return skip("SKIP_ALREADY_TRANSFERRED")
        from mockserver.domain.policies import Version

        seen.add((number, endorsement))
        existing.versions.append(Version(endorsement, "ENDORSEMENT", agent.now(), round(net - existing.premium["netPremium"], 2),
                                         round(gross - existing.premium["grossPremium"], 2),
                                         round(commission - existing.premium["commission"], 2), "file transfer"))
        row.status, row.policy_id = "SUCCESS", existing.id
        return row
    if existing is not None or (number, 0) in seen:
        return skip("SKIP_ALREADY_TRANSFERRED")
    try:  # the row as POST policies/manual would take it
        request = ManualPolicyRequest(insuranceCompanyId=insurer.id, productBranch=branch, policyNumber=number,
                                      startDate=start.isoformat(), endDate=end.isoformat(), grossPremium=gross,
                                      netPremium=net, commission=commission)
    except ValidationError as exc:
        return fail(_REASONS.get(str(exc.errors()[0]["loc"][0]), "UNKNOWN"))
    customer = customers.find_by_identity(agent, ctype, identity)
    if customer is None:
        customer = customers.new_customer(agent, ctype=ctype, number=identity, channel="MANUAL", created_by=by,
                                          fill_from_registry=not name)
        if name:
            if ctype == "company":
                customer.title = name
            else:
                customer.full_name = name
        agent.customers.changed(customer)
        customers.announce_created(agent, customer)
    policy = policy_transfers.manual(agent, request.model_copy(update={"insurerCustomerId": customer.id}),
                                     by=by or {}, base_url=base_url, payment_type=payment, known_new=True,
                                     renewal_number=renewal, from_transfer=True)
    held[number] = policy
    seen.add((number, 0))
    row.status, row.policy_id = "SUCCESS", policy.id
    return row


def create(agent: "Agent", insurer_id: Any, name: str, rows: list[dict[str, Any]], *, by: dict[str, Any] | None,
           base_url: str) -> FileTransfer:
    insurer = insurer_of(insurer_id)
    if len(agent.file_transfers) >= MAX_FILE_TRANSFERS:
        raise InvalidState(f"An agency holds at most {MAX_FILE_TRANSFERS} file policy transfers.",
                           codes=["FILE_POLICY_TRANSFER_LIMIT"])
    now = agent.now()
    made = FileTransfer(agent.ids.object_id(now), insurer.id, name, now, by, base_url)
    seen: set[tuple[str, int]] = set()
    held = {p.number: p for p in agent.policies.values() if p.insurance_company_id == insurer.id}  # one pass
    made.rows = [_one(agent, insurer, raw, seen, by, base_url, held) for raw in rows]
    agent.file_transfers.add(made)
    return made


def insurer_of(raw: Any) -> Any:
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    found = catalog().by_id.get(int(text)) if text.isascii() and text.isdigit() and len(text) < 6 else None
    if found is None:
        raise field_error("insuranceCompanyId", "is required: an insurer of GET /api/insurance-companies",
                          raw if isinstance(raw, (str, int)) else None, code="FILE_POLICY_TRANSFER_INVALID")
    return found


def get(agent: "Agent", transfer_id: str) -> FileTransfer:
    found = agent.file_transfers.get(transfer_id)
    if found is None:
        raise NotFound(f"File policy transfer '{transfer_id}' was not found.", codes=["FILE_POLICY_TRANSFER_NOT_FOUND"])
    return found


def _rows_in(status: str) -> Any:
    return lambda t, ctx: sum(r.status == status for r in t.rows)


def _insurer_name(t: FileTransfer) -> str:
    return catalog().by_id[t.insurer_id].name


def _insurer_logo(t: FileTransfer) -> str:
    return t.base_url + catalog().by_id[t.insurer_id].logo_path()


_COUNTS = dict(succeededPolicyCount=_rows_in("SUCCESS"), failedPolicyCount=_rows_in("TRANSFER_FAILED"),
               skippedPolicyCount=_rows_in("TRANSFER_SKIPPED"))
summary = renderer(  # a row of filePolicyTransfersNew (and of the REST list)
    FilePolicyTransferOut, FileTransfer, insuranceCompanyId="insurer_id",
    insuranceCompanyName=lambda t, ctx: _insurer_name(t), insuranceCompanyLogo=lambda t, ctx: _insurer_logo(t),
    fileUrl=Const(None), createdAt=From(convert=iso), totalPolicyCount=lambda t, ctx: len(t.rows),
    completedPolicyCount=_rows_in("SUCCESS"), sourceType=Const("INSURANCE_COMPANY"),
    createdByName=lambda t, ctx: (t.created_by or {}).get("name") or "", **_COUNTS)
_transferred = renderer(  # ctx: the transfer
    TransferredPolicyOut, Row, productBranch="branch", insuranceCompanyId=lambda r, t: t.insurer_id,
    endorsementNumber="endorsement", renewalNumber="renewal", insuranceCompanyName=lambda r, t: _insurer_name(t),
    insuranceCompanyLogo=lambda r, t: _insurer_logo(t), insuranceCompanyPolicyNumber="number",
    transferredPolicyId="policy_id")
detail = renderer(  # the SDK's GetFilePolicyTransferDetailResult
    FilePolicyTransferDetailOut, FileTransfer, insuranceCompanyId="insurer_id", createdAt=From(convert=iso),
    transferredPolicies=lambda t, ctx: [_transferred(r, t) for r in t.rows], **_COUNTS)
