"""The web-sales plan: its modules (flows a partner drives) and its rules (checks over the
session's recorded, redacted traffic). Evaluation is a pure function of the evidence, so a report
can be re-made offline from the same evidence and says the same."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PLAN_ID, PLAN_VERSION = "web-sales", "1"
RESULTS = ("PASSED", "FAILED", "WARNING", "REVIEW", "SKIPPED", "NOT_EXERCISED")


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    how: str
    branch: str | None = None
    payment: str | None = None


MODULES = [
    Module("kasko-3d-secure", "Kasko bought by 3-D Secure", "Quote kasko and buy a product with a card on the bank's "
           "page (any Luhn-valid card).", "KASKO", "ASYNC_3D_SECURE"),
    Module("trafik-insurer-page", "Trafik bought on the insurer's page", "Quote trafik and buy with "
           "insurance-company-redirect.", "TRAFIK", "ASYNC_INSURANCE_COMPANY_REDIRECT"),
    Module("declined-then-good", "A declined card, then a good one", "Pay with 4000000000000002, see the failure, "
           "then pay the same product with a good card."),
    Module("retry-failed-quote", "A quote that fails and is retried", "Use coverage group fa1100000000000000000000 "
           "(every product fails once) and retry a failed product."),
    Module("lying-callback", "A callback that claims success while the payment failed", "Steer it with certify "
           "steer --lying-callback, then pay with 4000000000000002: the callback says success=true."),
    Module("long-session", "A session kept past the access token's lifetime", "Keep the customer signed in for "
           "more than ten minutes of the agent's clock: refresh before the access token expires. `certify steer "
           "--advance 900` skips ten minutes at once; a site cannot see that jump, so the first call each token makes "
           "after it may be refused with TOKEN_EXPIRED: refresh and carry on (that call is not held against it)."),
]
MODULE_IDS = {m.id for m in MODULES}


@dataclass
class Outcome:
    result: str  # PASSED FAILED WARNING REVIEW SKIPPED NOT_EXERCISED
    message: str
    evidence: list[str] = field(default_factory=list)  # request ids (trace ids) and event sequences


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    ref: str  # the guide's section
    guide: str  # the guide's words
    severity: str  # failure | warning | review
    module: str | None  # the module whose traffic it needs (None: any traffic)
    check: Callable[["Evidence"], Outcome]
    applies: Callable[[dict[str, Any]], bool] = lambda scope: True


RULES: list[Rule] = []


def rule(id: str, title: str, ref: str, guide: str, severity: str = "failure", module: str | None = None,
         applies: Callable[[dict[str, Any]], bool] | None = None):
    def register(fn: Callable[["Evidence"], Outcome]) -> Callable[["Evidence"], Outcome]:
        RULES.append(Rule(id, title, ref, guide, severity, module, fn, applies or (lambda scope: True)))
        return fn

    return register


# ----------------------------------------------------------------------------- evidence
_PRODUCT = re.compile(r"^/(?:api/)?proposals/([^/]+)/products/([^/]+)(/.*)?$")
_PROPOSAL = re.compile(r"^/(?:api/)?proposals/([^/]+)$")


class Evidence:
    """The session's requests (oldest first), domain events and payments, with lookups the rules share."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.requests: list[dict[str, Any]] = data.get("requests", [])
        self.events: list[dict[str, Any]] = data.get("events", [])
        self.payments: list[dict[str, Any]] = data.get("payments", [])
        self.jumps: list[dict[str, Any]] = data.get("clockJumps", [])
        self.scope: dict[str, Any] = data.get("scope") or {}

    def calls(self, method: str, pattern: str) -> list[dict[str, Any]]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r["method"] == method and rx.search(r["path"])]

    def events_named(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["event"] == name]

    @staticmethod
    def code(request: dict[str, Any]) -> list[str]:
        body = request.get("response")
        return list(body.get("codes") or []) if isinstance(body, dict) else []


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [str(i.get("id", i.get("sequence"))) for i in items][:20]


# ----------------------------------------------------------------------------- modules
def exercised(ev: Evidence) -> dict[str, list[str]]:
    """Which modules the traffic shows, with the evidence of each."""
    seen: dict[str, list[str]] = {}
    bought = [p for p in ev.payments if p.get("state") == "SUCCEEDED"]
    for m in MODULES:
        if m.branch and m.payment:
            hits = [p["id"] for p in bought if p.get("type") == m.payment and p.get("branch") == m.branch]
            if hits:
                seen[m.id] = hits
    failed = [p for p in ev.payments if p.get("state") in ("FAILED", "EXPIRED") and not p.get("lying")]
    again = [p["id"] for p in bought if any(f["proposalProductId"] == p["proposalProductId"]
                                            and (f.get("completedAt") or 0) <= (p.get("completedAt") or 0) for f in failed)]
    if again:
        seen["declined-then-good"] = again
    retries = [r for r in ev.calls("POST", r"/products/[^/]+/retry$") + ev.calls("GET", r"/products/[^/]+/retry$")
               if r["status"] < 300]
    if retries:
        seen["retry-failed-quote"] = _ids(retries)
    lies = [p for p in ev.payments if p.get("lying") and p.get("state") != "SUCCEEDED"]
    if lies:
        seen["lying-callback"] = [p["id"] for p in lies]
    refreshed = [r for r in ev.calls("POST", r"/auth/customer/refresh$") if r["status"] == 200]
    logins = [r for r in ev.calls("POST", r"/auth/customer/(verify-mfa|login-or-register)$") if r["status"] == 200]
    if refreshed and logins and refreshed[-1]["at"] - logins[0]["at"] >= 600:
        seen["long-session"] = _ids(refreshed)
    return seen


def _in_scope(module: Module, scope: dict[str, Any]) -> bool:
    branches = {b.upper() for b in scope.get("branches") or ()}
    payments = {p.upper() for p in scope.get("paymentTypes") or ()}
    if module.branch and branches and module.branch not in branches:
        return False
    return not (module.payment and payments and module.payment not in payments)


# ----------------------------------------------------------------------------- rules
@rule("INS-AUTH-001", "agentId is sent on every customer login", "1.1, 1.2",
      "Her çağrıda agentId parametresinin doğru gönderilmesi gerekir... Bu ID olmadan sistem çağrıyı yetkilendirmez.")
def _agent_id(ev: Evidence) -> Outcome:
    logins = ev.calls("POST", r"/auth/customer/login-or-register$")
    if not logins:
        return Outcome("NOT_EXERCISED", "no customer login was seen")
    missing = [r for r in logins if not isinstance(r.get("body"), dict) or not r["body"].get("agentId")]
    if missing:
        return Outcome("FAILED", f"{len(missing)} of {len(logins)} logins sent no agentId", _ids(missing))
    return Outcome("PASSED", f"{len(logins)} logins, each with agentId", _ids(logins))


@rule("INS-AUTH-002", "Customers log in with the SMS code", "1.1",
      "Bu çağrı, müşteriyi kimlik doğrulaması için doğrulama kodu (MFA) aşamasına yönlendirir.")
def _otp(ev: Evidence) -> Outcome:
    logins = [r for r in ev.calls("POST", r"/auth/customer/login-or-register$") if r["status"] == 200]
    verified = [r for r in ev.calls("POST", r"/auth/customer/verify-mfa$") if r["status"] == 200]
    if not logins:
        return Outcome("NOT_EXERCISED", "no customer login was seen")
    if not verified:
        return Outcome("FAILED", "logins were never completed with verify-mfa", _ids(logins))
    return Outcome("PASSED", f"{len(verified)} SMS verifications", _ids(verified))


@rule("INS-TOK-001", "No call is made with an expired access token", "1.1.1",
      "Access token'lar kısa ömürlüdür (yaklaşık 10 dakika). Oturum süresini uzatmak için refresh çağrılır.")
def _expired(ev: Evidence) -> Outcome:
    """A call with an expired token is a fault unless the token expired inside a clock jump the
    control plane made (the site could not see it): the first such call per token is excused, and
    the site must then refresh, not send that token again."""
    expired = [r for r in ev.requests if r["status"] == 401 and "TOKEN_EXPIRED" in ev.code(r)]
    excused, faults, seen = [], [], set()
    for r in sorted(expired, key=lambda r: r["at"]):
        exp = r.get("tokenExpiresAt")
        in_jump = exp is not None and any(j["from"] < exp <= j["to"] and j["to"] <= r["at"] for j in ev.jumps)
        if in_jump and exp not in seen:
            seen.add(exp)
            excused.append(r)
        else:
            faults.append(r)
    if faults:
        return Outcome("FAILED", f"{len(faults)} calls carried a token the site could know had expired (it expired "
                                 "before the last clock jump, or was sent again after TOKEN_EXPIRED)", _ids(faults))
    note = f"; {len(excused)} calls right after a clock jump met TOKEN_EXPIRED and were followed by a refresh" \
        if excused else ""
    return Outcome("PASSED", f"no call carried a token the site could know had expired{note}", _ids(excused))


@rule("INS-TOK-002", "The session is kept alive by refreshing before the token expires", "1.1.1",
      "Oturum süresini uzatmak için auth/customer/refresh endpoint'ine refreshToken gönderilir.",
      severity="warning", module="long-session")
def _refreshed(ev: Evidence) -> Outcome:
    refreshes = [r for r in ev.calls("POST", r"/auth/customer/refresh$") if r["status"] == 200]
    return Outcome("PASSED", f"{len(refreshes)} refreshes kept the session", _ids(refreshes))


@rule("INS-TOK-003", "A refresh token is used once", "1.1.1", "refresh → yeni token çifti (rotasyon)")
def _reuse(ev: Evidence) -> Outcome:
    reused = [r for r in ev.requests if "REFRESH_TOKEN_REUSED" in ev.code(r)]
    if reused:
        return Outcome("FAILED", f"{len(reused)} refreshes reused a spent refresh token", _ids(reused))
    refreshes = ev.calls("POST", r"/auth/(customer|agent-user)/refresh$|authentication:agent-user/refresh$")
    return Outcome("PASSED", f"{len(refreshes)} refreshes, none reusing a token", _ids(refreshes))


def _case_checks(ev: Evidence) -> list[dict[str, Any]]:
    return [r for r in ev.calls("POST", r"^/(api/)?graphql$")
            if isinstance(r.get("body"), dict) and re.search(r"\bcases(New)?\s*\(", str(r["body"].get("query", "")))]


@rule("INS-CASE-001", "The open sale opportunities are checked before a case is created", "2.3.1",
      "Öncelikle müşterinin ilgili branşta aktif bir satış fırsatı talebinin olup olmadığını kontrol edin.")
def _case_checked(ev: Evidence) -> Outcome:
    created = [r for r in ev.calls("POST", r"/cases:new-sale-opportunity$") if r["status"] == 200]
    if not created:
        return Outcome("NOT_EXERCISED", "no sale opportunity was created")
    checks = _case_checks(ev)
    unchecked = [c for c in created if not any(k["at"] <= c["at"] for k in checks)]
    if unchecked:
        return Outcome("FAILED", f"{len(unchecked)} cases were created without checking the open ones first",
                       _ids(unchecked))
    return Outcome("PASSED", f"{len(created)} cases, each after a GraphQL check", _ids(checks + created))


def _sale_cases(ev: Evidence) -> list[dict[str, Any]]:
    """Each sale opportunity the session opened: id, customer, branch, when it opened and closed."""
    cases: dict[str, dict[str, Any]] = {}
    for e in ev.events:
        payload = e["payload"]
        if e["event"] == "case.created" and payload.get("caseType") == "SALE_OPPORTUNITY":
            cases[payload.get("caseId")] = {"id": payload.get("caseId"), "customer": payload.get("customerId"),
                                            "branch": payload.get("productBranch"), "opened": e["at"],
                                            "closed": None, "event": e}
        elif e["event"] == "case.state_changed" and payload.get("caseId") in cases:
            case = cases[payload["caseId"]]
            active = payload.get("newMainState") in ("OPEN", "IN_PROGRESS")
            case["closed"] = None if active else (case["closed"] if case["closed"] is not None else e["at"])
    return list(cases.values())


@rule("INS-CASE-002", "One active sale opportunity per customer and branch", "2.3.4",
      "Aynı müşteri için aynı branşta birden fazla aktif case oluşturmaktan kaçının; önce mevcut case'leri kontrol edin.")
def _case_once(ev: Evidence) -> Outcome:
    """A case opened while the same customer had an active (OPEN or IN_PROGRESS) case in the same
    branch; a case won or lost before does not count."""
    cases = _sale_cases(ev)
    if not cases:
        return Outcome("NOT_EXERCISED", "no sale opportunity was created")
    twice = [c for c in cases if any(o["id"] != c["id"] and (o["customer"], o["branch"]) == (c["customer"], c["branch"])
                                     and o["opened"] <= c["opened"] and (o["closed"] is None or o["closed"] > c["opened"])
                                     for o in cases)]
    if twice:
        return Outcome("FAILED", f"{len(twice)} cases were opened while the customer had an active case in the "
                                 "same branch", _ids([c["event"] for c in twice]))
    return Outcome("PASSED", f"{len(cases)} cases, none opened beside an active one of the same customer and branch",
                   _ids([c["event"] for c in cases]))


_BRANCHES = {"kasko": "KASKO", "trafik": "TRAFIK", "traffic": "TRAFIK", "imm": "IMM", "konut": "KONUT", "dask": "DASK",
             "tss": "TSS"}


def _proposal_requests(ev: Evidence) -> list[dict[str, Any]]:
    """Each accepted POST /proposals: its customer, branch and asset, as the site sent them."""
    out = []
    for r in ev.calls("POST", r"^/(api/)?proposals$"):
        body = r.get("body") if isinstance(r.get("body"), dict) else {}
        if r["status"] != 200:
            continue
        kind = str(body.get("productBranch") or body.get("$type") or body.get("type") or "")
        out.append({"request": r, "customer": body.get("insurerCustomerId") or body.get("customerId"),
                    "branch": _BRANCHES.get(kind.lower(), kind.upper()),
                    "asset": body.get("vehicleId") or body.get("propertyId")})
    return out


@rule("INS-CASE-003", "Each flow's case is checked and created before its asset step", "2.3, 2.3.4",
      "Case kontrolü ve oluşturma, müşteri varlık bilgilerini girmeden önce tamamlanmalıdır.")
def _case_first(ev: Evidence) -> Outcome:
    """Each proposal's asset, where this session entered it for that proposal (its first use): a sale
    opportunity of that customer and branch was open (opened, not yet won or lost) when the asset was
    entered. A case won in an earlier flow does not cover a new one."""
    assets: dict[str, dict[str, Any]] = {}
    for r in ev.calls("POST", r"/customers/[^/]+/(vehicles|properties)$"):
        if r["status"] == 200 and isinstance(r.get("response"), dict) and r["response"].get("id"):
            assets.setdefault(r["response"]["id"], r)
    cases = _sale_cases(ev)
    used: set[str] = set()
    late, judged = [], []
    for p in _proposal_requests(ev):
        entered = assets.get(p["asset"])
        if entered is None or p["asset"] in used:
            continue  # an asset from before the session, or one an earlier flow entered
        used.add(p["asset"])
        judged.append(entered)
        if not any(c["customer"] == p["customer"] and c["branch"] == p["branch"] and c["opened"] <= entered["at"]
                   and (c["closed"] is None or c["closed"] > entered["at"]) for c in cases):
            late.append(entered)
    if not judged:
        return Outcome("NOT_EXERCISED", "no proposal quoted an asset entered in the session")
    if late:
        return Outcome("FAILED", f"{len(late)} of {len(judged)} flows entered their asset before opening the "
                                 "customer's case for that branch", _ids(late))
    return Outcome("PASSED", f"{len(judged)} flows, each with its case open before its asset was entered",
                   _ids(judged))


@rule("INS-PROP-001", "Proposals say the channel (WEBSITE, or MOBILE_APP in an app)", "3.1",
      "channel: Web satış platformu için website gönderilmelidir.")
def _channel(ev: Evidence) -> Outcome:
    made = [r for r in ev.calls("POST", r"^/(api/)?proposals$") if r["status"] == 200]
    if not made:
        return Outcome("NOT_EXERCISED", "no proposal was made")
    allowed = {c.upper() for c in ev.scope.get("channels") or ("WEBSITE", "MOBILE_APP")}
    wrong = [r for r in made if str((r.get("body") or {}).get("channel", "")).upper() not in allowed]
    if wrong:
        return Outcome("FAILED", f"{len(wrong)} proposals sent no channel or one outside {sorted(allowed)}", _ids(wrong))
    return Outcome("PASSED", f"{len(made)} proposals with the channel", _ids(made))


@rule("INS-PROP-002", "Proposals name one to three coverage groups", "3.1",
      "coverageGroupIds: Teminat grubu ID'lerinin listesi (1–3 adet).")
def _groups(ev: Evidence) -> Outcome:
    """Every proposal request counts, refused ones included: a site that sends four groups and falls
    back to one on the 422 broke the rule the first time."""
    sent = ev.calls("POST", r"^/(api/)?proposals$")
    if not sent:
        return Outcome("NOT_EXERCISED", "no proposal was asked for")
    wrong = [r for r in sent if not isinstance((r.get("body") or {}).get("coverageGroupIds"), list)
             or not 1 <= len(r["body"]["coverageGroupIds"]) <= 3]
    if wrong:
        return Outcome("FAILED", f"{len(wrong)} of {len(sent)} proposal requests did not name one to three "
                                 "coverageGroupIds", _ids(wrong))
    return Outcome("PASSED", f"{len(sent)} proposal requests, each with one to three coverage groups", _ids(sent))


@rule("INS-PROP-005", "Proposals quote an asset of the customer", "3.1",
      "vehicleId: Trafik, kasko veya İMM teklifinde ilgili aracın ID'si; propertyId: Konut teklifinde ilgili konutun ID'si.")
def _asset_owned(ev: Evidence) -> Outcome:
    made = ev.calls("POST", r"^/(api/)?proposals$")
    if not made:
        return Outcome("NOT_EXERCISED", "no proposal was made")
    wrong = [r for r in made if {"PROPOSAL_ASSET_NOT_OWNED", "VEHICLE_NOT_FOUND", "PROPERTY_NOT_FOUND",
                                 "PROPOSAL_ASSET_BRANCH_MISMATCH"} & set(ev.code(r))]
    if wrong:
        return Outcome("FAILED", f"{len(wrong)} proposals named an asset that is not the customer's", _ids(wrong))
    return Outcome("PASSED", f"{len(made)} proposals, each for the customer's own asset", _ids(made))


@rule("INS-PROP-003", "Quotes are awaited by polling calmly or with the live hub, not a tight loop", "3.2, 4.1",
      "Daha gerçek zamanlı bildirim için InsurUp'un SignalR üzerinden sunduğu canlı bildirim servisi kullanılabilir.",
      severity="warning")
def _polling(ev: Evidence) -> Outcome:
    polls: dict[str, list[float]] = defaultdict(list)
    for r in ev.calls("GET", r"^/(api/)?proposals/[^/]+$"):
        polls[r["path"].rstrip("/").rsplit("/", 1)[-1]].append(r["at"])
    if not polls:
        return Outcome("NOT_EXERCISED", "no proposal was read")
    tight = [pid for pid, times in polls.items() if any(b - a < 1.0 for a, b in zip(times, times[1:], strict=False))
             and len(times) >= 5]
    if tight:
        return Outcome("WARNING", f"proposals {tight[:3]} were polled more than once a second")
    return Outcome("PASSED", f"{sum(map(len, polls.values()))} reads of {len(polls)} proposals, none in a tight loop")


@rule("INS-PROP-004", "A failed product is retried a bounded number of times", "3.2",
      "Ürünü yeniden deneme (hata alındığında): POST /proposals/{proposalId}/products/{proposalProductId}/retry",
      severity="warning", module="retry-failed-quote")
def _retries(ev: Evidence) -> Outcome:
    retries = Counter(r["path"] for r in ev.calls("POST", r"/retry$") + ev.calls("GET", r"/retry$"))
    hammered = [p for p, n in retries.items() if n > 3]
    if hammered:
        return Outcome("WARNING", f"{len(hammered)} products were retried more than three times")
    return Outcome("PASSED", f"{sum(retries.values())} retries, at most three per product")


@rule("INS-PAY-001", "Web sales pay only with the asynchronous payment types", "4.1",
      "Eğer bir web satış projesi yapılacaksa kullanılabilecek yöntemler async yöntemlerdir (1-2-3. yöntemler).")
def _async_only(ev: Evidence) -> Outcome:
    buys = ev.calls("POST", r"/purchase/(async|sync)$")
    if not buys:
        return Outcome("NOT_EXERCISED", "no purchase was attempted")
    sync = [r for r in buys if r["path"].endswith("/sync")]
    if sync:
        return Outcome("FAILED", f"{len(sync)} purchases went to purchase/sync (card data to a sync endpoint)",
                       _ids(sync))
    return Outcome("PASSED", f"{len(buys)} purchases, all asynchronous", _ids(buys))


@rule("INS-PAY-005", "The payment type is one the insurer supports", "4.1",
      "Hangi şirketin hangi ödeme yöntemini desteklediğini görmek için Ödeme Yöntemleri Listesi sayfasına bakabilirsiniz.",
      severity="warning")
def _supported(ev: Evidence) -> Outcome:
    from mockserver.domain.catalog import catalog

    if not ev.payments:
        return Outcome("NOT_EXERCISED", "no purchase was made")
    odd = [p for p in ev.payments if p.get("insurer") is not None
           and p["type"] not in catalog().by_id[p["insurer"]].payment_options]
    if odd:
        return Outcome("WARNING", f"{len(odd)} purchases used a type the insurer's documented table lacks "
                                  "(accepted here, as InsurUp's own site sends it)", [p["id"] for p in odd])
    return Outcome("PASSED", f"{len(ev.payments)} purchases, each with a type the insurer lists",
                   [p["id"] for p in ev.payments])


@rule("INS-PAY-002", "Robot products are not offered for purchase", "4.1",
      "Robot ürünlerde satın alma isteği bulunmamaktadır. Satın alma işlemi yalnızca web servis ürünlerinde mevcuttur.")
def _robots(ev: Evidence) -> Outcome:
    buys = ev.calls("POST", r"/purchase/(async|sync)$")
    if not buys:
        return Outcome("NOT_EXERCISED", "no purchase was attempted")
    robots = [r for r in buys if "PURCHASE_ROBOT_PRODUCT" in ev.code(r)]
    if robots:
        return Outcome("FAILED", f"{len(robots)} purchases of robot products were attempted", _ids(robots))
    return Outcome("PASSED", "no robot product was sent to purchase", _ids(buys))


@rule("INS-PAY-003", "The callback is not trusted: the product is read from the API before success is shown",
      "4.1, 6.8", "Yanıt geldiğinde, yine de teklif ürününü sorgulayarak ödeme durumunu doğrulamanız önerilir; "
      "callback'e yapılan manuel istekler hatalı olabilir.", module="lying-callback")
def _verified(ev: Evidence) -> Outcome:
    """Every asynchronous payment is verified: its product or proposal is read after the callback.
    A lying callback (``certify steer --lying-callback``) says success and names a policy the API never
    made; the site believed it when it asked for that policy (its detail, its document, or to send its
    document). Reading the policy list (a "Poliçelerim" page) is not belief: that list is the API's."""
    done = [p for p in ev.payments if p.get("completedAt") is not None and p.get("async")]
    unread, believed = [], []
    for p in done:
        after = [r for r in ev.requests if r["at"] >= p["completedAt"]]
        if not any(r["method"] == "GET" and _matches_product(r["path"], p) for r in after):
            unread.append(p)
        claimed = p.get("claimedPolicyId")
        if p.get("lying") and p.get("state") != "SUCCEEDED" and claimed and any(
                re.search(rf"/policies/{re.escape(claimed)}(/|$)", r["path"]) for r in after):
            believed.append(p)
    if unread or believed:
        parts = [f"{len(unread)} payments were never verified by reading the product or proposal"] if unread else []
        parts += [f"{len(believed)} lying callbacks were believed (the site asked for the policy the callback named)"] \
            if believed else []
        return Outcome("FAILED", "; ".join(parts), [p["id"] for p in unread + believed])
    return Outcome("PASSED", f"{len(done)} payments, each verified after its callback; no lying callback believed",
                   [p["id"] for p in done])


def _matches_product(path: str, payment: dict[str, Any]) -> bool:
    m = _PRODUCT.match(path)
    if m and m.group(1) == payment["proposalId"] and m.group(2) == payment["proposalProductId"] and not m.group(3):
        return True
    m = _PROPOSAL.match(path)
    return bool(m and m.group(1) == payment["proposalId"])


@rule("INS-POL-001", "The policy document is fetched or sent through the API", "4.2",
      "Poliçe belgesi (PDF) indirme: GET /policies/{policyId}/document", severity="warning")
def _document(ev: Evidence) -> Outcome:
    issued = ev.events_named("policy.created")
    if not issued:
        return Outcome("NOT_EXERCISED", "no policy was issued")
    docs = ev.calls("GET", r"/policies/[^/]+/document$") + ev.calls("POST", r"/policies/[^/]+/document/send$")
    if not docs:
        return Outcome("WARNING", f"{len(issued)} policies, no document fetched or sent", _ids(issued))
    return Outcome("PASSED", f"{len(docs)} document calls", _ids(docs))


def _driven(module_id: str) -> Callable[[Evidence], Outcome]:
    def check(ev: Evidence) -> Outcome:
        return Outcome("PASSED", "driven to the end", exercised(ev).get(module_id, []))

    return check


for _id, _module, _ref, _guide in (
        ("INS-FLOW-001", "kasko-3d-secure", "4.1", "3D Secure ($type = 3d-secure): Kart bilgileri acentenin web "
                                                   "sitesinde toplanır; ödeme bankanın 3D Secure sayfasında doğrulanır."),
        ("INS-FLOW-002", "trafik-insurer-page", "4.1", "Insurance Company Redirect: Kart bilgileri ve doğrulama, sigorta "
                                                       "şirketinin ödeme sayfasında tamamlanır."),
        ("INS-FLOW-003", "declined-then-good", "4.1", "İşlemden sonra InsurUp, callbackUrl adresinize başarılı veya "
                                                      "başarısız yanıt gönderir.")):
    _m = next(m for m in MODULES if m.id == _module)
    RULES.append(Rule(_id, f"The flow is supported: {_m.title.lower()}", _ref, _guide, "failure", _module,
                      _driven(_module)))


# ----------------------------------------------------------------------------- evaluation
@dataclass
class RuleResult:
    rule: Rule
    outcome: Outcome


def evaluate(data: dict[str, Any]) -> tuple[dict[str, list[str]], list[RuleResult]]:
    """Modules seen and every rule's result. A rule whose module is out of the partner's scope is
    SKIPPED; one whose module (or traffic) was never seen is NOT_EXERCISED, which never passes."""
    ev = Evidence(data)
    seen = exercised(ev)
    scope = ev.scope
    out = []
    for r in RULES:
        module = next((m for m in MODULES if m.id == r.module), None)
        if module is not None and not _in_scope(module, scope):
            out.append(RuleResult(r, Outcome("SKIPPED", f"module {module.id} is outside the declared scope")))
            continue
        if not r.applies(scope):
            out.append(RuleResult(r, Outcome("SKIPPED", "outside the declared scope")))
            continue
        if module is not None and module.id not in seen:
            out.append(RuleResult(r, Outcome("NOT_EXERCISED", f"module '{module.title}' was not driven")))
            continue
        outcome = r.check(ev)
        if outcome.result == "FAILED" and r.severity == "warning":
            outcome = Outcome("WARNING", outcome.message, outcome.evidence)
        out.append(RuleResult(r, outcome))
    return seen, out
