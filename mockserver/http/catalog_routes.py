"""The insurer catalogue (reference data: insurers, products, banks) and the agency's own web-service
connections to insurers (``agents/me/insurance-companies``)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import NotFound
from mockserver.domain import connections
from mockserver.domain.catalog import catalog, render_company
from mockserver.http.framework import Ctx, no_content, ok, Routes
from mockserver.wire import models as w


routes = Routes("/insurance-companies", "/products", "/banks", "/financial-institutions",
                "/agents/me/insurance-companies")


def _insurer(ctx: Ctx, ref: str):
    agent, _ = ctx.authenticate()
    insurer = catalog().get(ref)
    if insurer is None or insurer.market != agent.market:
        raise NotFound(f"Insurance company '{ref}' was not found.", codes=["INSURANCE_COMPANY_NOT_FOUND"])
    return insurer


@routes("GET", "/insurance-companies", summary="All insurers of the agent's market", tag="insurers",
       response=list[w.InsuranceCompany])
async def companies(ctx: Ctx) -> Response:
    agent, _ = ctx.authenticate()
    base_url = ctx.base_url()
    return ok([render_company(i, base_url) for i in catalog().for_market(agent.market)])


@routes("GET", "/insurance-companies/{companyId}/products", summary="Products of an insurer", tag="insurers",
       response=list[w.ProductOut])
async def company_products(ctx: Ctx) -> Response:
    insurer = _insurer(ctx, ctx.params["companyId"])
    return ok([p.wire(insurer) for p in insurer.products])


@routes("GET", "/insurance-companies/{companyId}/connection-fields:agent-based",
       summary="Web-service credential fields an insurer requires", tag="insurers", response=list[w.CredentialFieldOut])
async def connection_fields(ctx: Ctx) -> Response:
    insurer = _insurer(ctx, ctx.params["companyId"])
    return ok([f.wire() for f in insurer.fields])


@routes("GET", "/products", summary="Every product of the agent's market", tag="insurers", response=list[w.ProductOut])
async def products(ctx: Ctx) -> Response:
    agent, _ = ctx.authenticate()
    return ok([p.wire(i) for i in catalog().for_market(agent.market) for p in i.products])


@routes("GET", "/agents/me/insurance-companies", resource="me", summary="The agency's web-service connections", tag="agents",
       auth="agent", response=list[w.ConnectionOut])
async def list_connections(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    items = sorted(agent.connections.values(), key=lambda c: (c.created_at, c.id))
    return ok([connections.wire(c, ctx.base_url()) for c in items])


@routes("POST", "/agents/me/insurance-companies", resource="me", summary="Connect an insurer over web service", tag="agents",
       auth="agent", request=w.ConnectionRequest, response=w.ConnectionOut)
async def add_connection(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    conn = connections.add(agent, await ctx.model())
    return ok(connections.wire(conn, ctx.base_url(), with_fields=True))


@routes("DELETE", "/agents/me/insurance-companies/{connectionId}", resource="me", summary="Remove a connection", tag="agents",
       auth="agent", status=204)
async def remove_connection(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    connections.remove(agent, ctx.params["connectionId"])
    return no_content()


@routes("GET", "/agents/me/insurance-companies/{connectionId}/branches", resource="me", summary="Branches of a connection",
       tag="agents", auth="agent", response=list[str])
async def connection_branches(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(connections.get(agent, ctx.params["connectionId"]).branches)


@routes("PUT", "/agents/me/insurance-companies/{connectionId}/branches", resource="me", summary="Change a connection's branches",
       tag="agents", auth="agent", request=w.BranchesRequest, response=w.ConnectionOut)
async def put_branches(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    conn = connections.update_branches(agent, ctx.params["connectionId"], await ctx.model())
    return ok(connections.wire(conn, ctx.base_url()))


@routes("GET", "/agents/me/insurance-companies/{connectionId}/connection", resource="me", summary="Credentials (secrets masked)",
       tag="agents", auth="agent", response=w.ConnectionOut)
async def get_connection(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(connections.wire(connections.get(agent, ctx.params["connectionId"]), ctx.base_url(), with_fields=True))


@routes("PUT", "/agents/me/insurance-companies/{connectionId}/connection", resource="me", summary="Change credentials",
       tag="agents", auth="agent", request=w.ConnectionUpdateRequest, response=w.ConnectionOut)
async def put_connection(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    conn = connections.update_connection(agent, ctx.params["connectionId"], await ctx.model())
    return ok(connections.wire(conn, ctx.base_url(), with_fields=True))


@routes("POST", "/agents/me/insurance-companies/{connectionId}/re-sync", resource="me", summary="Re-run the connection sync",
       tag="agents", auth="agent", response=w.ConnectionOut)
async def resync(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(connections.wire(connections.resync(agent, ctx.params["connectionId"]), ctx.base_url()))


# ----------------------------------------------------------------------------- banks (loss-payee clauses)
@routes("GET", "/banks", summary="Banks a loss-payee clause may name (EFT codes)", tag="catalog", response=list[w.NamedOut])
async def list_banks(ctx: Ctx) -> Response:
    from mockserver.domain import banks

    ctx.authenticate()
    return ok(banks.banks())


@routes("GET", "/banks/{bankId}/branches", summary="A bank's branches", tag="catalog", response=list[w.BankBranchOut])
async def bank_branches(ctx: Ctx) -> Response:
    from mockserver.domain import banks

    ctx.authenticate()
    raw = ctx.params["bankId"]
    from mockserver.validators.common import isdigits

    if not isdigits(raw) or len(raw) > 6:
        from mockserver.core.errors import field_error

        raise field_error("bankId", "must be a bank's number (GET /api/banks)", raw, code="BANK_NOT_FOUND")
    return ok(banks.branches(int(raw)))


@routes("GET", "/financial-institutions", summary="Finance and leasing companies a loss-payee clause may name",
       tag="catalog", response=list[w.NamedOut])
async def financial_institutions(ctx: Ctx) -> Response:
    from mockserver.domain import banks

    ctx.authenticate()
    return ok(banks.institutions())
