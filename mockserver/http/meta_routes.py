"""The OpenAPI document, served from the models that parse requests (``/openapi.json``, also under
``/api``): what a client generator, Schemathesis or Prism reads is what the server enforces."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.http.assets import packaged_asset
from mockserver.core import templates
from mockserver.http.framework import Ctx, Routes


routes = Routes("/", "/docs", "/openapi.json", "/favicon.ico", auth="none")


@routes("GET", "/openapi.json", summary="This OpenAPI document", tag="meta", auth="none", response=dict[str, Any])
async def openapi_document(ctx: Ctx) -> Response:
    return Response(ctx.request.app.state.openapi(), media_type="application/json",
                    headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"})


# ----------------------------------------------------------------------------- API reference, offline
_ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "application/javascript"}


@routes("GET", "/docs", summary="The API reference (Swagger UI over /openapi.json, served offline)", tag="meta",
       auth="none", api=False, response=str, media="text/html")
async def docs(ctx: Ctx) -> Response:
    return Response(templates.render("docs.html"), media_type="text/html", headers={"Cache-Control": "no-cache"})


@routes("GET", "/docs/assets/{name}", summary="The API reference's own files (shipped with the package)", tag="meta",
       auth="none", api=False, response=str, media="application/javascript")
async def docs_asset(ctx: Ctx) -> Response:
    # swagger-ui-dist 5 (Apache-2.0), vendored in mockserver/data/swagger-ui: it reads OpenAPI 3.1
    return packaged_asset(ctx, "swagger-ui", _ASSETS)


@routes("GET", "/", summary="Where to start: the dashboard, the API reference, the OpenAPI document", tag="meta",
       auth="none", api=False, response=str, media="text/html")
async def root(ctx: Ctx) -> Response:
    html = templates.render("start.html")
    return Response(html, media_type="text/html", headers={"Cache-Control": "no-cache"})


@routes("GET", "/favicon.ico", summary="No icon (browsers ask; pages answer without a 404)", tag="meta", auth="none",
       api=False, status=204)
async def favicon(ctx: Ctx) -> Response:
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})
