"""How each GraphQL node type reads the agent's state: one getter per field, computed on demand, so
filtering touches only the filtered fields and a page resolves only the selected ones.

A ``Source`` lists the records a principal may see (customers: their own; agents: all of the
agency) and reads fields of one record. A proposal's and a policy's columns are declared by their
domain modules (``proposals.COLUMNS``, ``policies.COLUMNS``: name, type, getter), which also build the
rows their REST lists read; a proposal's node reads its cached row (its counts and state are derived
together), a policy's calls the getters of the selected fields. The transfers' nodes read the answer
their REST routes render (a dict, its model ``FilePolicyTransferOut`` or ``PolicyTransferOut``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.domain import agency, branches, references, roles, users, vehicles, webhooks
from mockserver.domain import cases as case_domain, policies as policy_domain, proposals as proposal_domain
from mockserver.domain.customers import WIRE_TYPE
from mockserver.domain.reference import address_tree
from mockserver.security.tokens import CUSTOMER, Principal

if TYPE_CHECKING:
    from mockserver.domain.tenant import Agent, Customer, Property


@dataclass
class QueryContext:
    """Per-request state shared by the resolvers: who asks, and caches of counts."""

    agent: "Agent"
    principal: Principal
    _counts: dict[str, Counter] = field(default_factory=dict)

    @property
    def customer_scope(self) -> str | None:
        return self.principal.subject if self.principal.kind == CUSTOMER else None

    def count(self, what: str, customer_id: str) -> int:
        counter = self._counts.get(what)
        if counter is None:
            a = self.agent
            if what == "vehicles":
                counter = Counter(v.customer_id for v in a.vehicles.values())
            elif what == "properties":
                counter = Counter(p.customer_id for p in a.properties.values())
            elif what == "cases":
                counter = Counter(c.customer_id for c in a.cases.values())
            else:
                store = a.proposals if what == "proposals" else a.policies
                counter = Counter()
                for item in store.values():
                    for key in {item.insured_id, item.insurer_id} - {None}:
                        counter[key] += 1
            self._counts[what] = counter
        return counter[customer_id]


class StatusValue(str):
    """A case status that remembers the main state, so ``status: {eq: IN_PROGRESS}`` can match."""

    main: str

    def __new__(cls, status: str, main: str) -> "StatusValue":
        obj = super().__new__(cls, status)
        obj.main = main
        return obj


def status_eq(actual: Any, wanted: Any) -> bool:
    if actual is None or wanted is None:
        return actual is wanted
    return case_domain.status_matches(str(actual), getattr(actual, "main", ""), wanted)


# ----------------------------------------------------------------------------- shared pieces
def _place(code: str | None, kind: str) -> tuple[str | None, str | None]:
    if not code:
        return None, None
    tree = address_tree()
    ref = (tree.city_by_code if kind == "city" else tree.district_by_code).get(code)
    return (ref.text if ref else None), code


def _branch(q: "QueryContext", branch_id: str | None) -> dict[str, Any] | None:
    """The branch with its name and parent as the agency's tree holds them now."""
    return branches.branch_ref(q.agent, branch_id) if branch_id else None


def _floor_number(floor: dict[str, Any] | None) -> int | None:
    if not floor:
        return None
    for key in ("value", "number", "min"):
        if isinstance(floor.get(key), int):
            return floor[key]
    return None


def _property_fields(p: "Property | None") -> dict[str, Any]:
    if p is None:
        return {}
    return {"propertyNumber": p.number, "propertySquareMeter": p.square_meter,
            "propertyConstructionYear": p.construction_year, "propertyDamageStatus": p.damage_status,
            "propertyFloorNumber": _floor_number(p.floor), "propertyStructure": p.structure,
            "propertyUtilizationStyle": p.utilization_style, "propertyOwnershipType": p.ownership_type,
            "propertyDaskPolicyNumber": p.dask_old_policy_number}


# ----------------------------------------------------------------------------- customers
Getter = Callable[[Any, "QueryContext"], Any]


def _consents(c: "Customer", _q: QueryContext) -> list[dict[str, Any]]:
    return [{"consentType": k.consent_type, "isActive": k.active} for k in c.consents.values()]


@dataclass(frozen=True, slots=True)
class Column:
    """One field of a GraphQL node: its name, its SDL type and how a record answers it (``get`` None:
    the record's ``graphql_row()`` holds it, or the search fills it)."""

    name: str
    type: str
    get: Getter | None = None


def _columns(*items: tuple[str, str] | tuple[str, str, Getter]) -> list[Column]:
    return [Column(*item) for item in items]


def getters(node: list[Column]) -> dict[str, Getter]:
    return {c.name: c.get for c in node if c.get is not None}


CUSTOMER_NODE = _columns(  # QueryCustomerModel
    ("id", "UUID!", lambda c, q: c.id),
    ("name", "String", lambda c, q: c.display_name),
    ("type", "CustomerType", lambda c, q: WIRE_TYPE[c.type]),
    ("identityNumber", "String", lambda c, q: c.identity_number if c.type != "company" else None),
    ("taxNumber", "String", lambda c, q: c.identity_number if c.type == "company" else None),
    ("primaryEmail", "String", lambda c, q: c.email),
    ("primaryPhoneNumber", "String", lambda c, q: c.phone.number if c.phone else None),
    ("primaryPhoneNumberCountryCode", "Int", lambda c, q: c.phone.country_code if c.phone else None),
    ("cityText", "String", lambda c, q: _place(c.city, "city")[0]),
    ("cityValue", "String", lambda c, q: c.city),
    ("districtText", "String", lambda c, q: _place(c.district, "district")[0]),
    ("districtValue", "String", lambda c, q: c.district),
    ("city", "String", lambda c, q: _place(c.city, "city")[0]),
    ("district", "String", lambda c, q: _place(c.district, "district")[0]),
    ("createdAt", "DateTime", lambda c, q: iso(c.created_at)),
    ("creationChannel", "Channel", lambda c, q: c.creation_channel),
    ("birthDate", "Date", lambda c, q: c.birth_date.isoformat() if c.birth_date else None),
    ("gender", "Gender", lambda c, q: c.gender),
    ("educationStatus", "String", lambda c, q: c.education_status),
    ("nationality", "String", lambda c, q: c.nationality),
    ("maritalStatus", "MaritalStatus", lambda c, q: c.marital_status),
    ("job", "Job", lambda c, q: c.job),
    ("passportNumber", "String", lambda c, q: c.identity_number if c.type == "foreign" else None),
    ("agentBranchId", "String", lambda c, q: c.agent_branch_id),
    ("agentBranch", "AgentBranchModel", lambda c, q: _branch(q, c.agent_branch_id)),
    ("consents", "[CustomerConsentModel!]", _consents),
    ("emailCount", "Int", lambda c, q: 1 if c.email else 0),
    ("phoneCount", "Int", lambda c, q: 1 if c.phone else 0),
    ("vehicleCount", "Int", lambda c, q: q.count("vehicles", c.id)),
    ("propertyCount", "Int", lambda c, q: q.count("properties", c.id)),
    ("proposalCount", "Int", lambda c, q: q.count("proposals", c.id)),
    ("policyCount", "Int", lambda c, q: q.count("policies", c.id)),
    ("caseCount", "Int", lambda c, q: q.count("cases", c.id)),
    ("searchScore", "Float"),
)
CUSTOMER_FIELDS = getters(CUSTOMER_NODE)  # (the indexes read a customer's searchable fields with these)

LEGACY_CUSTOMER_NODE = _columns(  # CustomerModel: the removed legacy list (its phone and city are objects)
    ("id", "UUID!", lambda c, q: c.id),
    ("name", "String", lambda c, q: c.display_name),
    ("identity", "String", lambda c, q: c.identity_number),
    ("type", "String", lambda c, q: c.type),
    ("primaryEmail", "String", lambda c, q: c.email),
    ("primaryPhoneNumber", "PhoneNumberModel",
     lambda c, q: {"number": c.phone.number, "countryCode": c.phone.country_code} if c.phone else None),
    ("passportNumber", "String", lambda c, q: c.identity_number if c.type == "foreign" else None),
    ("createdAt", "DateTime", lambda c, q: iso(c.created_at)),
    ("gender", "String", lambda c, q: c.gender),
    ("city", "InsuranceParameter", lambda c, q: {"value": c.city, "text": _place(c.city, "city")[0]} if c.city else None),
    ("district", "InsuranceParameter",
     lambda c, q: {"value": c.district, "text": _place(c.district, "district")[0]} if c.district else None),
    ("nationality", "String", lambda c, q: c.nationality),
    ("birthDate", "Date", lambda c, q: c.birth_date.isoformat() if c.birth_date else None),
    ("educationStatus", "String", lambda c, q: c.education_status),
    ("maritalStatus", "String", lambda c, q: c.marital_status),
    ("job", "String", lambda c, q: c.job),
)


# ----------------------------------------------------------------------------- cases
def _user(ref: dict[str, Any] | None, part: str) -> Any:
    if not ref:
        return None
    if part == "Type":
        return references.user_type_name(ref.get("userType"))
    return ref.get({"Name": "name", "Id": "id", "Email": "email"}[part])


def _case_customer(case: Any, q: QueryContext) -> "Customer | None":
    return q.agent.customers.get(case.customer_id)


def _case_asset(case: Any, q: QueryContext) -> dict[str, Any]:
    if case.asset_type == "VEHICLE":
        return vehicles.row_fields(q.agent.vehicles.get(case.asset_id))
    if case.asset_type == "PROPERTY":
        return _property_fields(q.agent.properties.get(case.asset_id))
    return {}


def _requested_products(case: Any, q: QueryContext) -> list[dict[str, Any]]:
    """The products of the case's proposals the customer asked to buy (a purchase was started)."""
    linked = set(case.proposal_ids)
    seen = dict.fromkeys((p.proposal_id, p.proposal_product_id) for p in q.agent.payments.values()
                         if p.proposal_id in linked)
    return [{"proposalId": pid, "proposalProductId": ppid} for pid, ppid in seen]


def _customer_part(getter: Callable[["Customer"], Any]) -> Getter:
    def read(case: Any, q: QueryContext) -> Any:
        c = _case_customer(case, q)
        return getter(c) if c else None

    return read


def _sub_type(name: str) -> Getter:
    return lambda c, q: c.sub_types()[name]


def _people(who: str, attr: str) -> list[tuple[str, str, Getter]]:
    """``{who}ByName``, ``…Id``, ``…Email`` and ``…Type`` of a case's user reference ``attr``."""
    return [(f"{who}By{part}", "UserType" if part == "Type" else "String",
             (lambda p: lambda c, q: _user(getattr(c, attr), p))(part)) for part in ("Name", "Id", "Email", "Type")]


def _asset(*items: tuple[str, str]) -> list[tuple[str, str, Getter]]:
    """Columns of the case's vehicle or property (``vehicles.row_fields``, ``_property_fields``)."""
    return [(name, t, (lambda n: lambda c, q: _case_asset(c, q).get(n))(name)) for name, t in items]


CASE_NODE = _columns(  # QueryCaseModel
    ("id", "String!", lambda c, q: c.id),
    ("ref", "String", lambda c, q: c.ref),
    ("type", "CaseType", lambda c, q: c.type),
    ("status", "CaseStatus", lambda c, q: StatusValue(c.status, c.main_state)),
    ("cancelSubType", "CancelCaseSubType", _sub_type("cancelSubType")),
    ("saleOpportunitySubType", "SaleOpportunityCaseSubType", _sub_type("saleOpportunitySubType")),
    ("endorsementSubType", "EndorsementCaseSubType", _sub_type("endorsementSubType")),
    ("complaintSubType", "ComplaintCaseSubType", _sub_type("complaintSubType")),
    ("mainState", "CaseMainState", lambda c, q: c.main_state),
    ("subState", "CaseSubState", lambda c, q: c.sub_state),
    ("productBranch", "ProductBranch", lambda c, q: c.product_branch),
    ("channel", "Channel", lambda c, q: c.channel),
    ("createdAt", "DateTime", lambda c, q: iso(c.created_at)),
    *_people("created", "created_by"), *_people("represented", "represented_by"),
    ("policyEndDate", "Date", lambda c, q: c.policy_end_date),
    ("assetType", "AssetType", lambda c, q: c.asset_type),
    ("assetId", "String", lambda c, q: c.asset_id),
    ("sourceCaseId", "String", lambda c, q: c.source_case_id),
    ("policyCount", "Int", lambda c, q: len(c.policy_ids)),
    ("proposalCount", "Int", lambda c, q: len(c.proposal_ids)),
    ("lastProposalDate", "DateTime", lambda c, q: iso(c.last_proposal_at)),
    ("lastPolicyDate", "DateTime", lambda c, q: iso(c.last_policy_at)),
    ("lastUpdateDate", "DateTime", lambda c, q: iso(c.last_update)),
    *_people("lastUpdated", "last_updated_by"),
    ("priorityScore", "Float", lambda c, q: agency.score(q.agent, c)),
    ("priorityRuleHits", "[PriorityRuleHit!]", lambda c, q: agency.hits(q.agent, c)),
    ("requestedProducts", "[CaseRequestedProductModel!]", _requested_products),
    ("customerId", "UUID", lambda c, q: c.customer_id),
    ("customerName", "String", _customer_part(lambda c: c.display_name)),
    ("customerType", "CustomerType", _customer_part(lambda x: WIRE_TYPE[x.type])),
    ("customerIdentity", "String", _customer_part(lambda x: x.identity_number)),
    ("customerCityText", "String", _customer_part(lambda x: _place(x.city, "city")[0])),
    ("customerCityValue", "String", _customer_part(lambda x: x.city)),
    ("customerDistrictText", "String", _customer_part(lambda x: _place(x.district, "district")[0])),
    ("customerDistrictValue", "String", _customer_part(lambda x: x.district)),
    ("customerPrimaryPhoneNumber", "String", _customer_part(lambda x: x.phone.number if x.phone else None)),
    ("customerPrimaryPhoneCountryCode", "Int", _customer_part(lambda x: x.phone.country_code if x.phone else None)),
    ("customerPrimaryEmail", "String", _customer_part(lambda x: x.email)),
    ("customerBirthDate", "Date", _customer_part(lambda x: x.birth_date.isoformat() if x.birth_date else None)),
    ("customerPassportNumber", "String", _customer_part(lambda x: x.identity_number if x.type == "foreign" else None)),
    ("customerJob", "Job", _customer_part(lambda x: x.job)),
    *_asset(("vehiclePlateCode", "String"), ("vehiclePlateCity", "Int"), ("vehicleModelBrandText", "String"),
            ("vehicleModelBrandValue", "String"), ("vehicleModelTypeText", "String"),
            ("vehicleModelTypeValue", "String"), ("vehicleModelYear", "Int"),
            ("vehicleUtilizationStyle", "VehicleUtilizationStyle"), ("vehicleEngineNumber", "String"),
            ("vehicleChassisNumber", "String"), ("vehicleRegistrationDate", "Date"),
            ("vehicleFuelType", "VehicleFuelType"), ("vehicleSeatNumber", "Int"),
            ("vehicleDocumentSerialCode", "String"), ("vehicleDocumentSerialNumber", "String"),
            ("propertyNumber", "Long"), ("propertySquareMeter", "Int"), ("propertyConstructionYear", "Int"),
            ("propertyDamageStatus", "PropertyDamageStatus"), ("propertyFloorNumber", "Int"),
            ("propertyStructure", "PropertyStructure"), ("propertyUtilizationStyle", "PropertyUtilizationStyle"),
            ("propertyOwnershipType", "PropertyOwnershipType"), ("propertyDaskPolicyNumber", "String")),
    ("advertisingSource", "String", lambda c, q: c.advertising_source),
    ("advertisingCampaign", "String", lambda c, q: c.advertising_campaign),
    ("agentBranchId", "String", lambda c, q: c.agent_branch_id),
    ("agentBranch", "AgentBranchModel", lambda c, q: _branch(q, c.agent_branch_id)),
    ("searchScore", "Float"),
)


# ----------------------------------------------------------------------------- proposals, policies, rows
# (a row answers every column but agentBranch, which is named from the agency's branches)


PROPOSAL_NODE = [  # QueryProposalsResult: its columns are proposals.COLUMNS; the resolvers read the cached row
    *(Column(name, kind) for name, kind, _ in proposal_domain.COLUMNS), Column("searchScore", "Float")]

POLICY_NODE = [  # QueryPoliciesResult: the policy's own columns (one declaration: policies.COLUMNS)
    *(Column(name, kind, get) for name, kind, get in policy_domain.COLUMNS if name != "agentBranch"),
    Column("agentBranch", "AgentBranchModel", lambda p, q: _branch(q, p.agent_branch_id)),
    Column("searchScore", "Float")]

def _last_attempt(get: Getter, none: Any = None) -> Getter:
    return lambda d, q: get(d.attempts[-1], q) if d.attempts else none


WEBHOOK_DELIVERY_NODE = _columns(  # QueryWebhookDeliveryResult
    ("id", "String!", lambda d, q: d.id), ("webhookId", "String", lambda d, q: d.webhook_id),
    ("webhookName", "String", lambda d, q: d.webhook_name),
    ("event", "WebhookEvent", lambda d, q: webhooks.sdk_name(d.event)),
    ("state", "WebhookDeliveryState", lambda d, q: d.state),
    ("responseStatusCode", "Int", lambda d, q: d.status_code), ("createdAt", "DateTime", lambda d, q: iso(d.created_at)),
    ("completedAt", "DateTime", lambda d, q: iso(d.completed_at)), ("retryCount", "Int", lambda d, q: d.retry_count),
    # the SDK's names for the latest attempt (@insurup/contracts QueryWebhookDeliveryResult)
    ("sentAt", "DateTime", lambda d, q: iso(d.attempts[-1].at if d.attempts else d.created_at)),
    ("statusCode", "Int", lambda d, q: d.status_code), ("response", "String", _last_attempt(lambda a, q: a.response)),
    ("errorMessage", "String", _last_attempt(lambda a, q: a.error)),
    ("payload", "String", lambda d, q: d.body.decode()),
    ("durationMs", "Int", _last_attempt(lambda a, q: round(a.duration_ms), 0)),
    ("isSuccess", "Boolean", lambda d, q: d.state == "SUCCESS"))

POLICY_TRANSFER_NODE = _columns(
    ("id", "String!"), ("startDate", "Date"), ("endDate", "Date"), ("insuranceCompanyCount", "Int"),
    ("policyTransferTriggerCount", "Int"), ("policyCount", "Int"), ("createdAt", "DateTime"))

FILE_POLICY_TRANSFER_NODE = _columns(
    ("id", "String!"), ("insuranceCompanyId", "Int"), ("insuranceCompanyName", "String"),
    ("insuranceCompanyLogo", "String"), ("fileName", "String"), ("fileUrl", "String"), ("createdAt", "DateTime"),
    ("totalPolicyCount", "Int"), ("succeededPolicyCount", "Int"), ("completedPolicyCount", "Int"),
    ("failedPolicyCount", "Int"), ("skippedPolicyCount", "Int"), ("sourceType", "FilePolicyTransferSourceType"),
    ("createdBy", "UserReference"), ("createdByName", "String!"))

POLICY_VERSION_NODE = [  # QueryPoliciesExpandedResult: a row per version (policies.graphql_versions)
    *(Column(c.name, c.type) for c in POLICY_NODE[:-1]),
    *(Column(name, kind) for name, kind, _ in policy_domain.VERSION_COLUMNS if name.endswith("Change")),
    Column("searchScore", "Float")]


# ----------------------------------------------------------------------------- sources
def row(item: Any) -> dict[str, Any]:
    """A record's row of node fields (a proposal's cached row, a policy version's, a transfer's)."""
    return item.graphql_row() if hasattr(item, "graphql_row") else item


def _row_get(item: Any, name: str, q: QueryContext) -> Any:
    if name == "agentBranch":
        return _branch(q, row(item).get("agentBranchId"))
    return row(item).get(name)


@dataclass(frozen=True)
class Source:
    records: Callable[[QueryContext], Iterable[Any]]
    read: Callable[[Any, str, QueryContext], Any]
    eq_fns: dict[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    # fields whose stored form sorts like the rendered one but is cheaper to read (instants as floats)
    sort_fields: dict[str, Getter] = field(default_factory=dict)

    def sorter(self, q: QueryContext) -> Callable[[Any, str], Any]:
        fast = self.sort_fields

        def get(item: Any, name: str) -> Any:
            getter = fast.get(name)
            return getter(item, q) if getter is not None else self.read(item, name, q)

        return get


def _fields_reader(fields: dict[str, Getter]) -> Callable[[Any, str, QueryContext], Any]:
    def read(item: Any, name: str, q: QueryContext) -> Any:
        getter = fields.get(name)
        return getter(item, q) if getter else None

    read.getters = fields  # type: ignore[attr-defined]  # (the GraphQL executor calls them directly)
    return read


def _customers(q: QueryContext) -> Iterable[Any]:
    scope = q.customer_scope
    if scope is not None:
        me = q.agent.customers.get(scope)
        return [me] if me else []
    return q.agent.customers.values()


def _cases(q: QueryContext) -> Iterable[Any]:
    scope = q.customer_scope
    items = q.agent.cases.values()
    return [c for c in items if c.customer_id == scope] if scope is not None else items


def _parties(store_name: str) -> Callable[[QueryContext], Iterable[Any]]:
    def records(q: QueryContext) -> Iterable[Any]:
        items = getattr(q.agent, store_name).values()
        scope = q.customer_scope
        if scope is None:
            return items
        return [i for i in items if scope in (i.insured_id, i.insurer_id)]

    return records


def _expanded(q: QueryContext) -> Iterable[Any]:
    out: list[Any] = []
    for item in _parties("policies")(q):
        versions = item.graphql_versions() if hasattr(item, "graphql_versions") else [row(item)]
        out.extend(versions)
    return out


def _deliveries(q: QueryContext) -> Iterable[Any]:
    return [] if q.customer_scope is not None else q.agent.deliveries.values()


def _agent_users(q: QueryContext) -> Iterable[Any]:
    return [] if q.customer_scope is not None else q.agent.agent_users.values()


def _user_role(u: Any, q: QueryContext) -> Any:
    return roles.role_of(q.agent, u)


AGENT_USER_NODE = _columns(  # QueryAgentUserResult: the sandbox's names (as agent-users/{id} answers), then the CLI's
    ("id", "UUID!", lambda u, q: u.id),
    ("email", "String", lambda u, q: u.email),
    ("firstName", "String", lambda u, q: u.first_name),
    ("lastName", "String", lambda u, q: u.last_name),
    ("fullName", "String", lambda u, q: f"{u.first_name} {u.last_name}"),
    ("phoneNumber", "String", lambda u, q: u.phone or None),
    ("status", "AgentUserStatus", lambda u, q: users.status(u).upper()),
    ("isActive", "Boolean", lambda u, q: u.active and bool(u.password)),
    ("isTwoFactorEnabled", "Boolean", lambda u, q: u.two_factor),
    ("roleId", "String", lambda u, q: u.role_id),
    ("roleName", "String", lambda u, q: getattr(_user_role(u, q), "name", None)),
    ("isOwner", "Boolean", lambda u, q: bool(getattr(_user_role(u, q), "is_owner", False))),
    ("agentBranchIds", "[String]", lambda u, q: list(u.branch_ids)),
    ("agentBranches", "[AgentBranchModel]", lambda u, q: [branches.branch_ref(q.agent, b) for b in u.branch_ids]),
    ("createdAt", "DateTime", lambda u, q: iso(u.created_at)),
    ("lastLoginAt", "DateTime", lambda u, q: iso(u.last_login_at) if u.last_login_at else None),
    ("name", "String", lambda u, q: f"{u.first_name} {u.last_name}"),
    ("phoneNumberCountryCode", "Int", lambda u, q: 90 if u.phone else None),
    ("state", "AgentUserStatus", lambda u, q: users.status(u).upper()),
    ("roles", "[AgentUserRoleModel]",
     lambda u, q: [{"id": r.id, "name": r.name, "isAdmin": r.is_owner} for r in [_user_role(u, q)] if r]),
    ("branches", "[AgentUserBranchModel]", lambda u, q: [branches.branch_path(q.agent, b) for b in u.branch_ids]),
)


def _transfers(q: QueryContext) -> Iterable[Any]:
    from mockserver.domain.policy_transfers import transfer_wire

    return [] if q.customer_scope is not None else [transfer_wire(q.agent, t) for t in q.agent.policy_transfers.values()]


def _file_transfers(q: QueryContext) -> Iterable[Any]:
    from mockserver.domain.file_policy_transfers import summary

    return [] if q.customer_scope is not None else [summary(t) for t in q.agent.file_transfers.values()]


SOURCES: dict[str, Source] = {
    "QueryCustomerModel": Source(_customers, _fields_reader(CUSTOMER_FIELDS),
                                 sort_fields={"createdAt": lambda c, q: c.created_at}),
    "CustomerModel": Source(_customers, _fields_reader(getters(LEGACY_CUSTOMER_NODE)),
                            sort_fields={"createdAt": lambda c, q: c.created_at}),
    "QueryCaseModel": Source(_cases, _fields_reader(getters(CASE_NODE)), {"status": status_eq},
                             sort_fields={"createdAt": lambda c, q: c.created_at,
                                          "lastUpdateDate": lambda c, q: c.last_update,
                                          "lastProposalDate": lambda c, q: c.last_proposal_at,
                                          "lastPolicyDate": lambda c, q: c.last_policy_at}),
    # instants order by their value, not their millisecond text (the REST lists order the same way)
    "QueryProposalsResult": Source(_parties("proposals"), _row_get, sort_fields={"createdAt": lambda p, q: p.created_at}),
    "QueryPoliciesResult": Source(_parties("policies"), _fields_reader(getters(POLICY_NODE)),
                                  sort_fields={"createdAt": lambda p, q: p.created_at}),
    "QueryPoliciesExpandedResult": Source(_expanded, _row_get),
    "QueryWebhookDeliveryResult": Source(_deliveries, _fields_reader(getters(WEBHOOK_DELIVERY_NODE)),
                                         sort_fields={"createdAt": lambda d, q: d.created_at}),
    "QueryPolicyTransfersResult": Source(_transfers, _row_get),
    "QueryFilePolicyTransfersResult": Source(_file_transfers, _row_get),
    "QueryAgentUserResult": Source(_agent_users, _fields_reader(getters(AGENT_USER_NODE)), sort_fields={"createdAt": lambda u, q: u.created_at}),
}

# every node: its columns feed the SDL (``schema.MODELS``) and the resolvers (``SOURCES``)
NODES: dict[str, list[Column]] = {
    "QueryCustomerModel": CUSTOMER_NODE, "QueryCaseModel": CASE_NODE, "QueryProposalsResult": PROPOSAL_NODE,
    "QueryPoliciesResult": POLICY_NODE, "CustomerModel": LEGACY_CUSTOMER_NODE,
    "QueryWebhookDeliveryResult": WEBHOOK_DELIVERY_NODE, "QueryAgentUserResult": AGENT_USER_NODE,
    "QueryPolicyTransfersResult": POLICY_TRANSFER_NODE, "QueryFilePolicyTransfersResult": FILE_POLICY_TRANSFER_NODE,
    "QueryPoliciesExpandedResult": POLICY_VERSION_NODE,
}
