"""A customer's vehicles and properties, and both together (``assets``); the catalogues and registries
that build them are ``registry_routes``."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import field_error
from mockserver.domain import properties, vehicles
from mockserver.http.framework import Ctx, for_me, no_content, ok, Routes
from mockserver.wire import models as w
from mockserver.wire.render import From, renderer


_property_made = renderer(w.NewPropertyResponse, None, newPropertyId="id")
_assets = renderer(  # a customer's; ctx: the agent
    w.CustomerAssetsOut, None, customerId="id",
    vehicles=From(lambda c, agent: agent.indexes.of(agent, "vehicles", "customerId", c.id), each=vehicles.wire),
    properties=From(lambda c, agent: agent.indexes.of(agent, "properties", "customerId", c.id), each=properties.wire))

C = "/customers/{customerId}"
routes = Routes(C + "/vehicles", C + "/properties", C + "/assets", resource="customer",
                permissions=("customers:read", "customers:write"))


# ----------------------------------------------------------------------------- vehicles
@routes("GET", "/customers/me/vehicles", summary="The logged-in customer's vehicles", tag="vehicles",
       auth="customer", response=list[w.VehicleOut])
async def my_vehicles(ctx: Ctx) -> Response:
    c = ctx.customer("me")
    return ok([vehicles.wire(v) for v in ctx.agent.indexes.of(ctx.agent, "vehicles", "customerId", c.id)])


@routes("GET", "/customers/{customerId}/vehicles", summary="A customer's vehicles", tag="vehicles",
       response=list[w.VehicleOut])
async def list_vehicles(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok([vehicles.wire(v) for v in ctx.agent.indexes.of(ctx.agent, "vehicles", "customerId", c.id)])


@routes("POST", "/customers/{customerId}/vehicles/external-lookup", summary="Tramer lookup by plate and serial",
       tag="vehicles", request=w.VehicleLookupRequest, response=w.VehicleLookupOut)
async def lookup(ctx: Ctx) -> Response:
    ctx.customer(ctx.params["customerId"])
    return ok(vehicles.lookup(ctx.agent, await ctx.model()))


@routes("POST", "/customers/{customerId}/vehicles", summary="Add a vehicle", tag="vehicles",
       request=w.VehicleRequest, response=w.VehicleOut)
async def add_vehicle(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok(vehicles.wire(vehicles.create(ctx.agent, c, await ctx.model(), by=ctx.actor())))


routes("POST", "/customers/me/vehicles", summary="Add a vehicle to the logged-in customer", tag="vehicles",
      auth="customer", request=w.VehicleRequest, response=w.VehicleOut)(for_me(add_vehicle))


@routes("GET", "/customers/{customerId}/vehicles/{vehicleId}", summary="One vehicle", tag="vehicles",
       response=w.VehicleOut)
async def get_vehicle(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok(vehicles.wire(vehicles.get(ctx.agent, c.id, ctx.params["vehicleId"])))


@routes("PUT", "/customers/{customerId}/vehicles/{vehicleId}", summary="Update a vehicle (partial)", tag="vehicles",
       request=w.VehicleUpdateRequest, response=w.VehicleOut)
async def put_vehicle(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    v = vehicles.get(ctx.agent, c.id, ctx.params["vehicleId"])
    return ok(vehicles.wire(vehicles.update(ctx.agent, v, await ctx.model(), by=ctx.actor())))


@routes("DELETE", "/customers/{customerId}/vehicles/{vehicleId}", summary="Delete a vehicle", tag="vehicles",
       status=204)
async def delete_vehicle(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    vehicles.delete(ctx.agent, vehicles.get(ctx.agent, c.id, ctx.params["vehicleId"]))
    return no_content()


# ----------------------------------------------------------------------------- properties
@routes("GET", "/customers/me/properties", summary="The logged-in customer's properties", tag="properties",
       auth="customer", response=list[w.PropertyOut])
async def my_properties(ctx: Ctx) -> Response:
    c = ctx.customer("me")
    return ok([properties.wire(p) for p in ctx.agent.indexes.of(ctx.agent, "properties", "customerId", c.id)])


@routes("GET", "/customers/{customerId}/properties", summary="A customer's properties (?usage=DASK|Konut accepted)",
       tag="properties", response=list[w.PropertyOut])
async def list_properties(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok([properties.wire(p) for p in ctx.agent.indexes.of(ctx.agent, "properties", "customerId", c.id)])


@routes("POST", "/customers/{customerId}/properties", summary="Add a property by UAVT code", tag="properties",
       request=w.PropertyRequest, response=w.NewPropertyResponse)
async def add_property(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    req = await ctx.model()
    if req.customerId not in (None, "", c.id):
        raise field_error("customerId", f"does not match the customer in the path ({c.id})", req.customerId)
    prop = properties.create(ctx.agent, c, req, by=ctx.actor())
    return ok(_property_made(prop))


routes("POST", "/customers/me/properties", summary="Add a property to the logged-in customer", tag="properties",
      auth="customer", request=w.PropertyRequest, response=w.NewPropertyResponse)(for_me(add_property))


@routes("GET", "/customers/{customerId}/properties/{propertyId}", summary="One property", tag="properties",
       response=w.PropertyOut)
async def get_property(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    return ok(properties.wire(properties.get(ctx.agent, c.id, ctx.params["propertyId"])))


@routes("PUT", "/customers/{customerId}/properties/{propertyId}", summary="Update a property (partial)",
       tag="properties", request=w.PropertyUpdateRequest, response=w.PropertyOut)
async def put_property(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    p = properties.get(ctx.agent, c.id, ctx.params["propertyId"])
    return ok(properties.wire(properties.update(ctx.agent, p, await ctx.model(), by=ctx.actor())))


@routes("DELETE", "/customers/{customerId}/properties/{propertyId}", summary="Delete a property", tag="properties",
       status=204)
async def delete_property(ctx: Ctx) -> Response:
    c = ctx.customer(ctx.params["customerId"])
    properties.delete(ctx.agent, properties.get(ctx.agent, c.id, ctx.params["propertyId"]))
    return no_content()


# ----------------------------------------------------------------------------- both
@routes("GET", C + "/assets", summary="The customer's vehicles and properties", tag="customers",
       response=w.CustomerAssetsOut)
async def assets(ctx: Ctx) -> Response:
    return ok(_assets(ctx.customer(ctx.params["customerId"]), ctx.agent))
