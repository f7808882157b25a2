"""Files the pages ship in ``mockserver/data`` (the API reference's and GraphiQL's scripts and styles),
served as they are stored: compressed to clients that take it."""

from __future__ import annotations

import gzip
from pathlib import Path

from starlette.responses import Response

from mockserver.core.errors import NotFound
from mockserver.http.framework import Ctx


def packaged_asset(ctx: Ctx, folder_name: str, allowed: dict[str, str]) -> Response:
    """One of the files a page ships in ``mockserver/data/<folder_name>`` (only those ``allowed`` names,
    with their media types); a file stored as ``<name>.gz`` goes out compressed to clients that take it."""
    name = ctx.params["name"]
    if name not in allowed:
        raise NotFound(f"No asset '{name}'.", codes=["ENDPOINT_NOT_FOUND"])
    folder = Path(__file__).resolve().parents[1] / "data" / folder_name
    headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    packed = folder / f"{name}.gz"
    if not packed.is_file():
        return Response((folder / name).read_bytes(), media_type=allowed[name], headers=headers)
    data = packed.read_bytes()
    if "gzip" in ctx.request.headers.get("accept-encoding", ""):
        return Response(data, media_type=allowed[name], headers={**headers, "Content-Encoding": "gzip"})
    return Response(gzip.decompress(data), media_type=allowed[name], headers=headers)
