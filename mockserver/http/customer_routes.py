"""Customers, health info, consents, relationships, and the agent-user profile."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import customers, relationships
from mockserver.http.answers import identified
from mockserver.http.framework import CUSTOMER, SERVICE_ACCOUNT, Ctx, for_me, no_content, not_a_customer, ok, Routes
from mockserver.wire import models as w


routes = Routes("/customers", resource="customer", permissions=("customers:read", "customers:write"))


@routes("GET", "/customers/me", summary="The logged-in customer", tag="customers", auth="customer",
       response=w.CustomerOut)
async def me(ctx: Ctx) -> Response:
    agent, principal = ctx.authenticate()
    if principal.kind != CUSTOMER:
        raise not_a_customer()
    return ok(customers.render(agent.customers[principal.subject], agent))


@routes("POST", "/customers", summary="Create a customer (agent users and service accounts)", tag="customers",
       auth="agent", request=w.CustomerCreateRequest, response=w.IdResponse)
async def create(ctx: Ctx) -> Response:
    agent, principal = ctx.require_agent()
    c = customers.create(agent, await ctx.model(), created_by=ctx.actor(),
                         channel="API" if principal.kind == SERVICE_ACCOUNT else "MANUAL")
    return ok(identified(c))


@routes("GET", "/customers/{customerId}", summary="One customer (id may be a GUID, TCKN, VKN or foreign id)",
       tag="customers", response=w.CustomerOut)
async def get_one(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok(customers.render(c, ctx.agent))


@routes("PUT", "/customers/{customerId}", summary="Update a customer (partial: absent fields are kept)",
       tag="customers", request=w.CustomerUpdateRequest, response=w.CustomerOut)
async def update(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    customers.update(ctx.agent, c, await ctx.model(), updated_by=ctx.actor())
    return ok(customers.render(c, ctx.agent))


routes("PUT", "/customers/me", summary="Update the logged-in customer (partial)", tag="customers", auth="customer",
      request=w.CustomerUpdateRequest, response=w.CustomerOut)(for_me(update))


@routes("DELETE", "/customers/{customerId}", summary="Delete a customer and its assets (irreversible)",
       tag="customers", auth="agent", status=204)
async def delete(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    customers.delete(agent, agent.customer(ctx.params["customerId"]))
    return no_content()


@routes("GET", "/customers/{customerId}/health-info", summary="Height, weight, surgeries, diseases", tag="customers",
       response=w.HealthInfo)
async def get_health(ctx: Ctx) -> Response:
    return ok(customers.wire_health(ctx.customer(ctx.params["customerId"], relatives=True)))


@routes("PUT", "/customers/{customerId}/health-info", summary="Set health info (TSS)", tag="customers",
       request=w.HealthInfoRequest, response=w.HealthInfo)
async def put_health(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"], relatives=True)
    customers.put_health(ctx.agent, c, await ctx.model())
    return ok(customers.wire_health(c))


@routes("GET", "/customers/{customerId}/consents", summary="Consents (KVKK, ETK)", tag="customers",
       response=list[w.ConsentOut])
async def get_consents(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok(customers.render(c, ctx.agent)["consents"])


@routes("POST", "/customers/{customerId}/consents", summary="Give or revoke a consent", tag="customers",
       request=w.ConsentRequest, response=list[w.ConsentOut])
async def post_consent(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    req = await ctx.model()
    active = req.isActive if "isActive" in req.model_fields_set and req.isActive is not None else (
        req.approved if req.approved is not None else True)
    default_channel = "WEB" if ctx.principal.kind == CUSTOMER else "MANUAL"
    customers.set_consent(ctx.agent, c, req.consentType, active, req.channel or default_channel)
    return ok(customers.render(c, ctx.agent)["consents"])


@routes("DELETE", "/customers/{customerId}/consents/{consentType}", summary="Revoke a consent", tag="customers",
       response=list[w.ConsentOut])
async def delete_consent(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    channel = "WEB" if ctx.principal.kind == CUSTOMER else "MANUAL"
    customers.set_consent(ctx.agent, c, ctx.params["consentType"], False, channel)
    return ok(customers.render(c, ctx.agent)["consents"])


@routes("GET", "/customers/{customerId}/relationships", summary="Family links", tag="family",
       response=list[w.RelationshipOut])
async def list_links(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    # insertion order: the order the links were made (timestamps can tie on a frozen clock)
    return ok([relationships.wire(ctx.agent, l) for l in relationships.links_of(ctx.agent, c.id)])


@routes("POST", "/customers/{customerId}/relationships", summary="Add a SPOUSE or CHILD", tag="family",
       request=w.RelationshipRequest, response=w.IdResponse)
async def add_link(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    link = relationships.add(ctx.agent, c.id, await ctx.model())
    return ok(identified(link))


@routes("DELETE", "/customers/{customerId}/relationships/{relationshipId}", summary="Remove a link and its mirror",
       tag="family", status=204)
async def remove_link(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    relationships.remove(ctx.agent, c.id, ctx.params["relationshipId"])
    return no_content()

