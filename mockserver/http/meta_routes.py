"""The OpenAPI document, served from the models that parse requests (``/openapi.json``, also under
``/api``): what a client generator, Schemathesis or Prism reads is what the server enforces."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from mockserver.http.framework import Ctx, route


@route("GET", "/openapi.json", summary="This OpenAPI document", tag="meta", auth="none", response=dict[str, Any])
async def openapi_document(ctx: Ctx) -> Response:
    from mockserver.contracts import served_document

    return Response(served_document(), media_type="application/json",
                    headers={"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"})
