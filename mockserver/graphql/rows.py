"""How each GraphQL node type reads the agent's state: one getter per field, computed on demand, so
filtering touches only the filtered fields and a page resolves only the selected ones.

A ``Source`` lists the records a principal may see (customers: their own; agents: all of the
agency) and reads fields of one record. Proposals and policies are stored by their own domain
modules as objects that expose ``graphql_row()`` (a dict of node fields); until those exist the
lists are empty, but their types, filters and paging work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.domain import agency, branches, references, roles, users, vehicles
from mockserver.domain import cases as case_domain
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
                    fields = row(item)
                    for key in {fields.get("insuredCustomerId"), fields.get("insurerCustomerId")} - {None}:
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


CUSTOMER_FIELDS: dict[str, Getter] = {
    "id": lambda c, q: c.id,
    "name": lambda c, q: c.display_name,
    "type": lambda c, q: WIRE_TYPE[c.type],
    "identityNumber": lambda c, q: c.identity_number if c.type != "company" else None,
    "taxNumber": lambda c, q: c.identity_number if c.type == "company" else None,
    "primaryEmail": lambda c, q: c.email,
    "primaryPhoneNumber": lambda c, q: c.phone.number if c.phone else None,
    "primaryPhoneNumberCountryCode": lambda c, q: c.phone.country_code if c.phone else None,
    "cityText": lambda c, q: _place(c.city, "city")[0],
    "cityValue": lambda c, q: c.city,
    "districtText": lambda c, q: _place(c.district, "district")[0],
    "districtValue": lambda c, q: c.district,
    "city": lambda c, q: _place(c.city, "city")[0],
    "district": lambda c, q: _place(c.district, "district")[0],
    "createdAt": lambda c, q: iso(c.created_at),
    "creationChannel": lambda c, q: c.creation_channel,
    "birthDate": lambda c, q: c.birth_date.isoformat() if c.birth_date else None,
    "gender": lambda c, q: c.gender,
    "educationStatus": lambda c, q: c.education_status,
    "nationality": lambda c, q: c.nationality,
    "maritalStatus": lambda c, q: c.marital_status,
    "job": lambda c, q: c.job,
    "passportNumber": lambda c, q: c.identity_number if c.type == "foreign" else None,
    "agentBranchId": lambda c, q: c.agent_branch_id,
    "agentBranch": lambda c, q: _branch(q, c.agent_branch_id),
    "consents": _consents,
    "emailCount": lambda c, q: 1 if c.email else 0,
    "phoneCount": lambda c, q: 1 if c.phone else 0,
    "vehicleCount": lambda c, q: q.count("vehicles", c.id),
    "propertyCount": lambda c, q: q.count("properties", c.id),
    "proposalCount": lambda c, q: q.count("proposals", c.id),
    "policyCount": lambda c, q: q.count("policies", c.id),
    "caseCount": lambda c, q: q.count("cases", c.id),
}

LEGACY_CUSTOMER_FIELDS: dict[str, Getter] = {
    "id": lambda c, q: c.id,
    "name": lambda c, q: c.display_name,
    "identity": lambda c, q: c.identity_number,
    "type": lambda c, q: c.type,
    "primaryEmail": lambda c, q: c.email,
    "primaryPhoneNumber": lambda c, q: {"number": c.phone.number, "countryCode": c.phone.country_code} if c.phone else None,
    "passportNumber": lambda c, q: c.identity_number if c.type == "foreign" else None,
    "createdAt": lambda c, q: iso(c.created_at),
    "gender": lambda c, q: c.gender,
    "city": lambda c, q: {"value": c.city, "text": _place(c.city, "city")[0]} if c.city else None,
    "district": lambda c, q: {"value": c.district, "text": _place(c.district, "district")[0]} if c.district else None,
    "nationality": lambda c, q: c.nationality,
    "birthDate": lambda c, q: c.birth_date.isoformat() if c.birth_date else None,
    "educationStatus": lambda c, q: c.education_status,
    "maritalStatus": lambda c, q: c.marital_status,
    "job": lambda c, q: c.job,
}


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


CASE_FIELDS: dict[str, Getter] = {
    "id": lambda c, q: c.id,
    "ref": lambda c, q: c.ref,
    "type": lambda c, q: c.type,
    "status": lambda c, q: StatusValue(c.status, c.main_state),
    "mainState": lambda c, q: c.main_state,
    "subState": lambda c, q: c.sub_state,
    "productBranch": lambda c, q: c.product_branch,
    "channel": lambda c, q: c.channel,
    "createdAt": lambda c, q: iso(c.created_at),
    "policyEndDate": lambda c, q: c.policy_end_date,
    "assetType": lambda c, q: c.asset_type,
    "assetId": lambda c, q: c.asset_id,
    "sourceCaseId": lambda c, q: c.source_case_id,
    "policyCount": lambda c, q: len(c.policy_ids),
    "proposalCount": lambda c, q: len(c.proposal_ids),
    "lastProposalDate": lambda c, q: iso(c.last_proposal_at),
    "lastPolicyDate": lambda c, q: iso(c.last_policy_at),
    "lastUpdateDate": lambda c, q: iso(c.last_update),
    "requestedProducts": _requested_products,
    "priorityScore": lambda c, q: agency.score(q.agent, c),
    "priorityRuleHits": lambda c, q: agency.hits(q.agent, c),
    "customerId": lambda c, q: c.customer_id,
    "customerName": _customer_part(lambda c: c.display_name),
    "customerType": _customer_part(lambda x: WIRE_TYPE[x.type]),
    "customerIdentity": _customer_part(lambda x: x.identity_number),
    "customerCityText": _customer_part(lambda x: _place(x.city, "city")[0]),
    "customerCityValue": _customer_part(lambda x: x.city),
    "customerDistrictText": _customer_part(lambda x: _place(x.district, "district")[0]),
    "customerDistrictValue": _customer_part(lambda x: x.district),
    "customerPrimaryPhoneNumber": _customer_part(lambda x: x.phone.number if x.phone else None),
    "customerPrimaryPhoneCountryCode": _customer_part(lambda x: x.phone.country_code if x.phone else None),
    "customerPrimaryEmail": _customer_part(lambda x: x.email),
    "customerBirthDate": _customer_part(lambda x: x.birth_date.isoformat() if x.birth_date else None),
    "customerPassportNumber": _customer_part(lambda x: x.identity_number if x.type == "foreign" else None),
    "customerJob": _customer_part(lambda x: x.job),
    "advertisingSource": lambda c, q: c.advertising_source,
    "advertisingCampaign": lambda c, q: c.advertising_campaign,
    "agentBranchId": lambda c, q: c.agent_branch_id,
    "agentBranch": lambda c, q: _branch(q, c.agent_branch_id),
}
for _field in case_domain.SUB_TYPE_FIELD.values():
    CASE_FIELDS[_field] = (lambda f: lambda c, q: c.sub_types()[f])(_field)
for _who, _attr in (("created", "created_by"), ("represented", "represented_by"), ("lastUpdated", "last_updated_by")):
    for _part in ("Name", "Id", "Email", "Type"):
        CASE_FIELDS[f"{_who}By{_part}"] = (lambda a, p: lambda c, q: _user(getattr(c, a), p))(_attr, _part)
for _name in ("vehiclePlateCode", "vehiclePlateCity", "vehicleModelBrandText", "vehicleModelBrandValue",
              "vehicleModelTypeText", "vehicleModelTypeValue", "vehicleModelYear", "vehicleUtilizationStyle",
              "vehicleEngineNumber", "vehicleChassisNumber", "vehicleRegistrationDate", "vehicleFuelType",
              "vehicleSeatNumber", "vehicleDocumentSerialCode", "vehicleDocumentSerialNumber", "propertyNumber",
              "propertySquareMeter", "propertyConstructionYear", "propertyDamageStatus", "propertyFloorNumber",
              "propertyStructure", "propertyUtilizationStyle", "propertyOwnershipType", "propertyDaskPolicyNumber"):
    CASE_FIELDS[_name] = (lambda n: lambda c, q: _case_asset(c, q).get(n))(_name)


# ----------------------------------------------------------------------------- sources
def row(item: Any) -> dict[str, Any]:
    """Node fields of a stored proposal or policy."""
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
        return [i for i in items if scope in (row(i).get("insuredCustomerId"), row(i).get("insurerCustomerId"))]

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


# QueryAgentUserResult: the sandbox's names (as agent-users/{id} answers) and the CLI's
AGENT_USER_FIELDS: dict[str, Getter] = {
    "id": lambda u, q: u.id, "email": lambda u, q: u.email, "firstName": lambda u, q: u.first_name,
    "lastName": lambda u, q: u.last_name, "fullName": lambda u, q: f"{u.first_name} {u.last_name}",
    "name": lambda u, q: f"{u.first_name} {u.last_name}", "phoneNumber": lambda u, q: u.phone or None,
    "phoneNumberCountryCode": lambda u, q: 90 if u.phone else None,
    "status": lambda u, q: users.status(u).upper(), "state": lambda u, q: users.status(u).upper(),
    "isActive": lambda u, q: u.active and bool(u.password), "isTwoFactorEnabled": lambda u, q: u.two_factor,
    "roleId": lambda u, q: u.role_id, "roleName": lambda u, q: getattr(_user_role(u, q), "name", None),
    "isOwner": lambda u, q: bool(getattr(_user_role(u, q), "is_owner", False)),
    "roles": lambda u, q: [{"id": r.id, "name": r.name, "isAdmin": r.is_owner} for r in [_user_role(u, q)] if r],
    "agentBranchIds": lambda u, q: list(u.branch_ids),
    "agentBranches": lambda u, q: [branches.branch_ref(q.agent, b) for b in u.branch_ids],
    "branches": lambda u, q: [branches.branch_path(q.agent, b) for b in u.branch_ids],
    "createdAt": lambda u, q: iso(u.created_at),
    "lastLoginAt": lambda u, q: iso(u.last_login_at) if u.last_login_at else None,
}


def _transfers(q: QueryContext) -> Iterable[Any]:
    from mockserver.domain.policy_transfers import transfer_wire

    return [] if q.customer_scope is not None else [transfer_wire(q.agent, t) for t in q.agent.policy_transfers.values()]


def _file_transfers(q: QueryContext) -> Iterable[Any]:
    from mockserver.domain.file_policy_transfers import summary

    return [] if q.customer_scope is not None else [summary(t) for t in q.agent.file_transfers.values()]


SOURCES: dict[str, Source] = {
    "QueryCustomerModel": Source(_customers, _fields_reader(CUSTOMER_FIELDS),
                                 sort_fields={"createdAt": lambda c, q: c.created_at}),
    "CustomerModel": Source(_customers, _fields_reader(LEGACY_CUSTOMER_FIELDS),
                            sort_fields={"createdAt": lambda c, q: c.created_at}),
    "QueryCaseModel": Source(_cases, _fields_reader(CASE_FIELDS), {"status": status_eq},
                             sort_fields={"createdAt": lambda c, q: c.created_at,
                                          "lastUpdateDate": lambda c, q: c.last_update,
                                          "lastProposalDate": lambda c, q: c.last_proposal_at,
                                          "lastPolicyDate": lambda c, q: c.last_policy_at}),
    # instants order by their value, not their millisecond text (the REST lists order the same way)
    "QueryProposalsResult": Source(_parties("proposals"), _row_get, sort_fields={"createdAt": lambda p, q: p.created_at}),
    "QueryPoliciesResult": Source(_parties("policies"), _row_get, sort_fields={"createdAt": lambda p, q: p.created_at}),
    "QueryPoliciesExpandedResult": Source(_expanded, _row_get),
    "QueryWebhookDeliveryResult": Source(_deliveries, _row_get, sort_fields={"createdAt": lambda d, q: d.created_at}),
    "QueryPolicyTransfersResult": Source(_transfers, _row_get),
    "QueryFilePolicyTransfersResult": Source(_file_transfers, _row_get),
    "QueryAgentUserResult": Source(_agent_users, _fields_reader(AGENT_USER_FIELDS), sort_fields={"createdAt": lambda u, q: u.created_at}),
}
