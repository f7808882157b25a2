"""An agent's web-service connections to insurers (the SDK's ``agents/me/insurance-companies``
family): which insurer, which product branches, which credentials."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.core.clock import iso
from mockserver.core.errors import Duplicate, FieldError, InputValidation, NotFound, field_error
from mockserver.domain.catalog import Insurer, catalog, sample_credentials
from mockserver.validators.common import isdigits
from mockserver.wire.catalog import ConnectionOut
from mockserver.wire.render import Const, From, renderer

if TYPE_CHECKING:
    from mockserver.wire.catalog import BranchesRequest, ConnectionRequest, ConnectionUpdateRequest
    from mockserver.domain.tenant import Agent, Connection


def connect_all(agent: "Agent") -> None:
    from mockserver.domain.tenant import Connection

    now = agent.now()
    for insurer in catalog().for_market(agent.market):
        branches = insurer.connection_branches()
        if not branches:
            continue
        cid = agent.ids.object_id(now)
        agent.connections[cid] = Connection(cid, insurer.id, branches, sample_credentials(insurer), now, now, now)


def from_fixture(agent: "Agent", bodies: list[dict[str, Any]]) -> None:
    """An agent fixture's ``connections``: each is checked as ``add`` checks it (errors name
    ``connections[i].…``); one replaces the connection ``connectAllInsurers`` made to the same
    insurer. Without ``branches`` it covers every branch the insurer offers; without
    ``connection`` it uses valid sample credentials."""
    for i, body in enumerate(bodies):  # (each as its ConnectionFixture model parsed it)
        try:
            insurer = _insurer_for(agent, body.get("insuranceCompanyId"))
            for old in [c for c in agent.connections.values() if c.insurance_company_id == insurer.id]:
                del agent.connections[old.id]
            connect(agent, insurer.id, body.get("branches", insurer.connection_branches()),
                    body.get("connection", sample_credentials(insurer)))
        except InputValidation as exc:
            raise InputValidation(f"connections[{i}] is invalid.", codes=exc.codes, field_errors=[
                FieldError(f"connections[{i}].{e.property_name}", e.message, e.attempted_value)
                for e in exc.field_errors]) from None


def _insurer_for(agent: "Agent", insurer_id: Any) -> Insurer:
    if isinstance(insurer_id, bool) or not isinstance(insurer_id, (int, str)) or not isdigits(str(insurer_id)):
        raise field_error("insuranceCompanyId", "is required and must be an integer insurer id", insurer_id)
    insurer = catalog().get(str(insurer_id))
    if insurer is None or insurer.market != agent.market:
        raise field_error("insuranceCompanyId", f"no insurer with id {insurer_id} in the {agent.market} catalogue",
                          insurer_id, code="INSURANCE_COMPANY_NOT_FOUND")
    return insurer


def _check_branches(insurer: Insurer, branches: Any, path: str = "branches") -> list[str]:
    allowed = insurer.connection_branches()
    if not isinstance(branches, list) or not branches:
        raise field_error(path, f"must be a non-empty list of product branches; {insurer.name} offers: "
                          f"{', '.join(allowed) or 'none'}", None)
    errors = []
    out: list[str] = []
    for i, b in enumerate(branches):
        name = str(b).upper() if isinstance(b, str) else b
        if name not in allowed:
            kind = "web-service" if insurer.integration_type == "WEB_SERVICE" else "robot"
            errors.append(FieldError(f"{path}[{i}]", f"{insurer.name} has no live {kind} product in branch "
                                     f"{b!r}; allowed: {', '.join(allowed) or 'none'}", b if isinstance(b, str) else None))
        elif name not in out:
            out.append(name)
    if errors:
        raise InputValidation("One or more branches are not offered by this insurer over web service.",
                              codes=["INSURANCE_COMPANY_BRANCH_NOT_SUPPORTED"], field_errors=errors)
    return out


def _credentials(req: "ConnectionUpdateRequest") -> tuple[dict[str, Any], str]:
    values, key = req.credentials_sent()
    if values is None:
        raise field_error(key, "must be an object of credential field values", None)
    return values, key


def add(agent: "Agent", req: "ConnectionRequest") -> "Connection":
    """``POST agents/me/insurance-companies`` from its parsed request."""
    values, key = _credentials(req)
    return connect(agent, req.insuranceCompanyId, req.branch_names, values, key)


def connect(agent: "Agent", insurer_id: Any, branches: Any, values: dict[str, Any], key: str = "connection") -> "Connection":
    """A new web-service connection: the insurer (the agency's market's), the branches it offers over web
    service, and credentials its connection fields accept (errors named under ``key``)."""
    from mockserver.domain.tenant import Connection

    insurer = _insurer_for(agent, insurer_id)
    if any(c.insurance_company_id == insurer.id for c in agent.connections.values()):
        raise Duplicate(f"The agent already has a web-service connection to {insurer.name}.",
                        codes=["AGENT_INSURANCE_COMPANY_ALREADY_EXISTS"],
                        suggestions=["Update it with PUT agents/me/insurance-companies/{id}/connection."])
    branches = _check_branches(insurer, branches)
    errors = insurer.validate_credentials(values, key)
    if errors:
        raise InputValidation(f"The web-service credentials for {insurer.name} are incomplete or malformed.",
                              codes=["CONNECTION_FIELDS_INVALID"], field_errors=errors)
    now = agent.now()
    conn = Connection(agent.ids.object_id(now), insurer.id, branches, {k: str(v) for k, v in values.items()},
                      now, now, now)
    agent.connections[conn.id] = conn
    return conn


def get(agent: "Agent", ref: str) -> "Connection":
    conn = agent.connections.get(ref)
    if conn is None and isdigits(ref):
        conn = next((c for c in agent.connections.values() if c.insurance_company_id == int(ref)), None)
    if conn is None:
        raise NotFound(f"No insurance-company connection '{ref}' for this agent.",
                       codes=["AGENT_INSURANCE_COMPANY_NOT_FOUND"])
    return conn


def remove(agent: "Agent", ref: str) -> None:
    del agent.connections[get(agent, ref).id]


def update_connection(agent: "Agent", ref: str, req: "ConnectionUpdateRequest") -> "Connection":
    conn = get(agent, ref)
    insurer = catalog().by_id[conn.insurance_company_id]
    values, key = _credentials(req)
    merged = {**conn.fields, **{k: v for k, v in values.items()}}
    errors = insurer.validate_credentials(merged, key)
    if errors:
        raise InputValidation(f"The web-service credentials for {insurer.name} are incomplete or malformed.",
                              codes=["CONNECTION_FIELDS_INVALID"], field_errors=errors)
    conn.fields = {k: str(v) for k, v in merged.items()}
    conn.updated_at = agent.now()
    return conn


def update_branches(agent: "Agent", ref: str, req: "BranchesRequest") -> "Connection":
    conn = get(agent, ref)
    insurer = catalog().by_id[conn.insurance_company_id]
    conn.branches = _check_branches(insurer, req.branch_names)
    conn.updated_at = agent.now()
    return conn


def resync(agent: "Agent", ref: str) -> "Connection":
    conn = get(agent, ref)
    conn.last_sync_at = agent.now()
    return conn


def _insurer(conn: "Connection", _ctx: Any = None) -> Any:
    return catalog().by_id[conn.insurance_company_id]


def _fields(conn: "Connection", ctx: tuple[str, bool]) -> dict[str, str] | None:
    """The credentials as entered, secrets masked: only where the answer shows them."""
    if not ctx[1]:
        return None
    secret = {f.key for f in _insurer(conn).fields if f.secret}
    return {k: ("********" if k in secret else v) for k, v in conn.fields.items()}


_render = renderer(  # ctx: (base URL, with the credentials)
    ConnectionOut, None,
    insuranceCompanyName=lambda c, ctx: _insurer(c).name,
    insuranceCompanyLogo=lambda c, ctx: ctx[0] + _insurer(c).logo_path(),
    integrationType=lambda c, ctx: _insurer(c).integration_type, enabled=Const(True), syncStatus=Const("SUCCEEDED"),
    lastSyncAt=From(convert=iso), createdAt=From(convert=iso), updatedAt=From(convert=iso),
    connection=From(_fields, optional=True),
)


def wire(conn: "Connection", base_url: str, *, with_fields: bool = False) -> dict[str, Any]:
    """``ConnectionOut``; with the credentials (secrets masked) when ``with_fields``."""
    return _render(conn, (base_url, with_fields))
