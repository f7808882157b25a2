"""Every route of the sandbox, composed in one place (as starlette's ``Router(routes=[...])``): each
module declares its own ``routes`` (``mockserver.http.framework.Routes``) and this list is the API,
the control plane and the pages, in the order the router tries them."""

from __future__ import annotations

from mockserver.control import routes as control
from mockserver.http import (
    agency_routes, asset_routes, auth_routes, case_routes, catalog_routes, certify_routes,
    contact_routes, customer_routes, site_routes, graphql_routes, meta_routes, oidc_routes, onboarding_routes,
    pages, plugin_routes, policy_routes, proposal_routes, registry_routes, template_routes, policy_transfer_routes,
    ui_routes, webhook_routes,
)
from mockserver.http.framework import RouteSpec

MODULES = (control, registry_routes, asset_routes, auth_routes, case_routes, catalog_routes, certify_routes, customer_routes,
           graphql_routes, agency_routes, contact_routes, site_routes, onboarding_routes,
           plugin_routes, template_routes, policy_transfer_routes, meta_routes, oidc_routes, pages, proposal_routes,
           policy_routes, ui_routes, webhook_routes)

ROUTES: tuple[RouteSpec, ...] = tuple(spec for module in MODULES for spec in module.routes)
