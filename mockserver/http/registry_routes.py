"""The registries and catalogues a site or CRM reads before it creates anything: who a TCKN or VKN is
(MERNIS, the tax registry), a vehicle by plate (Tramer) or brand code, the vehicle brands and models, the
address cascade down to a UAVT code, a UAVT code's address and an old DASK policy's property. Each
answers from the sandbox's simulated registries (``mockserver.domain.registries``, ``reference``)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import NotFound, field_error
from mockserver.domain import properties, registries, vehicles
from mockserver.domain.reference import address_tree, render_ref, vehicle_catalog
from mockserver.http.framework import Ctx, ok, Routes
from mockserver.validators.common import isdigits
from mockserver.validators.turkish import is_tckn, is_vkn
from mockserver.wire import models as w
from mockserver.wire.render import renderer

_brand_model = renderer(  # a catalogue model; ctx: its brand
    w.BrandCodeModelOut, None, brandCode=lambda m, brand: brand.value, brandName=lambda m, brand: brand.text,
    modelCode="value", modelName="text")

routes = Routes("/vehicle-parameters", "/address-parameters", "/properties", "/customers/external-lookup",
                "/insurance-services", "/vehicles", resource=None)


# ----------------------------------------------------------------------------- vehicle parameters
@routes("GET", "/vehicle-parameters/brands", summary="Vehicle brands", tag="vehicles", response=list[w.ValueText])
async def brands(ctx: Ctx) -> Response:
    ctx.authenticate()
    return ok([render_ref(b) for b in vehicle_catalog().brands])


@routes("GET", "/vehicle-parameters/models", summary="Models of a brand made in a year", tag="vehicles",
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
    routes("GET", f"/address-parameters/{_level}", summary=f"Address cascade: {_level}", tag="properties",
          response=list[w.ValueText], query=w.cascade_query(_param, *_aliases) if _param else None)(
        _cascade(_level, _param, *_aliases))
routes("GET", "/address-parameters/neighborhoods", summary="Address cascade: neighbourhoods (American spelling)",
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


@routes("GET", "/properties/query-address-by-property-number", summary="UAVT address lookup", tag="properties",
       response=w.AddressOut, query=w.UavtQuery)
async def uavt_get(ctx: Ctx) -> Response:
    key = next((k for k in ("propertyNumber", "number", "uavtCode") if getattr(ctx.q, k)), "propertyNumber")
    return await _uavt(ctx, getattr(ctx.q, key), key)


@routes("POST", "/properties/query-address-by-property-number", summary="UAVT address lookup", tag="properties",
       request=w.UavtQueryRequest, response=w.AddressOut)
async def uavt_post(ctx: Ctx) -> Response:
    req = await ctx.model()
    key = next((k for k in ("propertyNumber", "number", "uavtCode") if k in req.model_fields_set), "propertyNumber")
    return await _uavt(ctx, getattr(req, key), key)


@routes("POST", "/properties/query-property-by-dask-old-policy", summary="Old DASK policy lookup", tag="properties",
       request=w.DaskQueryRequest, response=w.DaskPolicyOut)
async def dask_query(ctx: Ctx) -> Response:
    ctx.authenticate()
    req = await ctx.model()
    key = next((k for k in ("daskOldPolicyNumber", "daskPolicyNumber", "policyNumber") if k in req.model_fields_set),
               "daskOldPolicyNumber")
    return ok(registries.render_dask_policy(registries.dask_old_policy(properties.parse_policy_number(
        key, getattr(req, key)))))


# ----------------------------------------------------------------------------- registry lookups
def _person_lookup(ctx: Ctx, req: w.CustomerLookupRequest) -> dict:
    """Who the number is in the registries, and the agency's customer of that number (if the caller may
    see it): a rare answer, built as its model."""
    agent = ctx.agent
    key = "identityNumber" if req.identityNumber is not None else "taxNumber"
    text = str(getattr(req, key)).strip()
    if key == "identityNumber":
        if not is_tckn(text):
            raise field_error(key, "is not a valid TCKN (11 digits with its checksums)", None, code="IDENTITY_INVALID")
        person = registries.mernis(text)
        found = w.CustomerLookupOut(type="individual", fullName=person.full_name, title=None, gender=person.gender,
                                    cityReference=person.city, districtReference=person.district,
                                    existingCustomerId=None)
    else:
        if not is_vkn(text):
            raise field_error(key, "is not a valid VKN (10 digits with its checksum)", None, code="TAX_NUMBER_INVALID")
        found = w.CustomerLookupOut(type="company", fullName=None, title=registries.company_title(text), gender=None,
                                    cityReference=None, districtReference=None, existingCustomerId=None)
    existing = next((cid for (_, num), cid in agent.customer_index.items() if num == text), None)
    # a customer outside the caller's role scope is not the caller's to learn of
    if existing is not None and ctx.sees_customer(agent.customers[existing]):
        found.existingCustomerId = existing
    return found.model_dump(by_alias=True)


@routes("POST", "/customers/external-lookup", auth="agent", resource="customer", permission="customers:write",
        summary="Who a TCKN or VKN is, from the registries (creates nothing)",
       tag="customers", request=w.CustomerLookupRequest, response=w.CustomerLookupOut)
async def external_lookup(ctx: Ctx) -> Response:
    ctx.require_agent()
    return ok(_person_lookup(ctx, await ctx.model()))


@routes("POST", "/insurance-services/query-individual-customer", summary="MERNIS query of a TCKN (as the insurers' "
       "services answer it)", tag="customers", request=w.CustomerLookupRequest, response=w.CustomerLookupOut)
async def query_individual(ctx: Ctx) -> Response:
    ctx.authenticate()
    return ok(_person_lookup(ctx, await ctx.model()))


@routes("POST", "/vehicles/tramer-query", summary="Tramer query by plate and registration serial", tag="vehicles",
       request=w.VehicleLookupRequest, response=w.VehicleLookupOut)
async def tramer_query(ctx: Ctx) -> Response:
    agent, _ = ctx.authenticate()
    return ok(vehicles.lookup(agent, await ctx.model()))


@routes("POST", "/insurance-services/query-vehicle-by-brand-code", summary="The catalogue's models of a brand code "
       "(optionally one model, one year)", tag="vehicles", request=w.BrandCodeQueryRequest,
       response=list[w.BrandCodeModelOut])
async def query_brand_code(ctx: Ctx) -> Response:
    ctx.authenticate()
    req = await ctx.model()
    catalog = vehicle_catalog()
    code = str(req.brandCode).strip()
    brand = catalog.brand(code) or (catalog.brand(code.zfill(3)) if isdigits(code) else None)
    if brand is None:
        raise field_error("brandCode", "is not a brand of vehicle-parameters/brands", req.brandCode,
                          code="VEHICLE_BRAND_NOT_FOUND")
    year = req.year
    models = catalog.models_for(brand, year)
    if req.modelCode is not None:
        one = catalog.model(brand, str(req.modelCode))
        if one is None:
            raise field_error("modelCode", f"is not a model of brand {brand.value}", req.modelCode,
                              code="VEHICLE_MODEL_NOT_FOUND")
        models = [m for m in models if m is one]
    return ok([_brand_model(m, brand) for m in models])
