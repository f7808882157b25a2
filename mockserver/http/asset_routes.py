"""Vehicles, properties, and the parameter lookups that build them (brands, models, address cascade)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import NotFound, field_error
from mockserver.domain import properties, registries, vehicles
from mockserver.domain.reference import address_tree, vehicle_catalog
from mockserver.http.framework import Ctx, for_me, no_content, ok, Routes
from mockserver.domain.reference import render_ref
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_property_made = renderer(w.NewPropertyResponse, None, newPropertyId="id")

routes = Routes(resource="customer", permissions=("customers:read", "customers:write"))


# ----------------------------------------------------------------------------- vehicle parameters
@routes("GET", "/vehicle-parameters/brands", resource=None, permission=None, summary="Vehicle brands", tag="vehicles", response=list[w.ValueText])
async def brands(ctx: Ctx) -> Response:
    ctx.authenticate()
    return ok([render_ref(b) for b in vehicle_catalog().brands])


@routes("GET", "/vehicle-parameters/models", resource=None, permission=None, summary="Models of a brand made in a year", tag="vehicles",
       response=list[w.ValueText], query=w.ModelsQuery)
async def models(ctx: Ctx) -> Response:
    ctx.authenticate()
    ref, year = (ctx.q.brandReference or ctx.q.brandCode or "").strip(), ctx.q.year
    if not ref:
        raise field_error("brandReference", "query parameter is required (a brand value of vehicle-parameters/brands)",
                          None)
    brand = vehicle_catalog().brand(ref)
    if brand is None:
        raise field_error("brandReference", "is not a brand value of vehicle-parameters/brands", ref)
    return ok([render_ref(m) for m in vehicle_catalog().models_for(brand, year)])


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


# ----------------------------------------------------------------------------- address cascade
def _cascade(level: str, param: str, *aliases: str):
    async def endpoint(ctx: Ctx) -> Response:
        ctx.authenticate()
        tree = address_tree()
        if level == "cities":
            return ok([c.wire() for c in tree.cities])
        q = ctx.q
        key, ref = next(((k, getattr(q, k)) for k in (param, *aliases) if getattr(q, k)), (param, None))
        if ref is None:
            raise field_error(param, "query parameter is required", None)
        ref = ref.strip()
        if level == "neighbourhoods" and key.startswith("district"):
            # the web-sales guide's cascade goes city -> district -> neighbourhood: a district stands
            # for its town (each district has one, MERKEZ)
            ref = tree.town_value(ref)
        found = getattr(tree, level)(ref)
        if found is None:
            raise NotFound(f"No {level} for {param}={ref}: Mahalle koduna ait kayıt bulunamadı."
                           if level in ("streets", "buildings", "apartments") else f"No {level} for {param}={ref}.",
                           codes=["ADDRESS_PARAMETER_NOT_FOUND"],
                           suggestions=["Use a value returned by the previous address-parameters call."])
        return ok([r.wire() for r in found])

    endpoint.__name__ = f"address_{level}"
    return endpoint


for _level, _param, _aliases in (("cities", "", ()), ("districts", "cityReference", ("cityCode",)),
                                 ("towns", "districtReference", ("districtCode",)),
                                 ("neighbourhoods", "townReference", ("townCode", "districtReference", "districtCode")),
                                 ("streets", "neighbourhoodReference", ("neighborhoodReference",)),
                                 ("buildings", "streetReference", ()), ("apartments", "buildingReference", ())):
    routes("GET", f"/address-parameters/{_level}", resource=None, permission=None, summary=f"Address cascade: {_level}", tag="properties",
          response=list[w.ValueText], query=w.cascade_query(_param, *_aliases) if _param else None)(
        _cascade(_level, _param, *_aliases))
routes("GET", "/address-parameters/neighborhoods", resource=None, permission=None, summary="Address cascade: neighbourhoods (American spelling)",
      tag="properties", response=list[w.ValueText],
      query=w.cascade_query("townReference", "townCode", "districtReference", "districtCode"),
      operation_id="get_address_neighborhoods")(_cascade("neighbourhoods", "townReference", "townCode",
                                                         "districtReference", "districtCode"))


# ----------------------------------------------------------------------------- UAVT / DASK lookups
async def _uavt(ctx: Ctx, raw, key: str) -> Response:
    ctx.authenticate()
    number = properties.parse_uavt(key, raw)
    address = registries.uavt_address(number)
    return ok(address.wire(number))


@routes("GET", "/properties/query-address-by-property-number", resource=None, permission=None, summary="UAVT address lookup", tag="properties",
       response=w.AddressOut, query=w.UavtQuery)
async def uavt_get(ctx: Ctx) -> Response:
    key = next((k for k in ("propertyNumber", "number", "uavtCode") if getattr(ctx.q, k)), "propertyNumber")
    return await _uavt(ctx, getattr(ctx.q, key), key)


@routes("POST", "/properties/query-address-by-property-number", resource=None, permission=None, summary="UAVT address lookup", tag="properties",
       request=w.UavtQueryRequest, response=w.AddressOut)
async def uavt_post(ctx: Ctx) -> Response:
    req = await ctx.model()
    key = next((k for k in ("propertyNumber", "number", "uavtCode") if k in req.model_fields_set), "propertyNumber")
    return await _uavt(ctx, getattr(req, key), key)


@routes("POST", "/properties/query-property-by-dask-old-policy", resource=None, permission=None, summary="Old DASK policy lookup", tag="properties",
       request=w.DaskQueryRequest, response=w.DaskPolicyOut)
async def dask_query(ctx: Ctx) -> Response:
    ctx.authenticate()
    req = await ctx.model()
    key = next((k for k in ("daskOldPolicyNumber", "daskPolicyNumber", "policyNumber") if k in req.model_fields_set),
               "daskOldPolicyNumber")
    return ok(registries.render_dask_policy(registries.dask_old_policy(properties.parse_policy_number(
        key, getattr(req, key)))))


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

