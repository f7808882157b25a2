"""What an agency's public site uses: the public files the agency uploads (``POST files/public``: logos,
documents its site links to), the languages its templates are written in (``GET languages``), and the
visitor's contact form (``POST contact-form``, read back on the control plane).

The CLI sends the file as multipart field ``file`` and reads ``{fileUrl, filePath}``; the upload is
served back at ``fileUrl`` with the type it was sent with. An agency keeps its newest
``MAX_FILES`` uploads of at most the request size limit (1 MiB) each."""

from __future__ import annotations

import re

from starlette.responses import Response

from mockserver.core.errors import NotFound
from mockserver.http.framework import Ctx, disposition, ok, Routes
from mockserver.wire import models as w
from mockserver.wire.render import renderer


_uploaded = renderer(  # the file's path; ctx: (base URL, its size)
    w.UploadedFile, None, fileUrl=lambda path, ctx: f"{ctx[0]}/__sandbox/files/{path}", filePath=".",
    size=lambda path, ctx: ctx[1])
_received = renderer(w.ContactFormOut, dict)

routes = Routes("/files", "/contact-form", "/languages", "/__sandbox/files", "/__sandbox/agents/{agentId}/contact-forms")

MAX_FILES = 50
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
LANGUAGES = [{"id": 1, "name": "Türkçe", "code": "tr", "nativeName": "Türkçe", "englishName": "Turkish"},
             {"id": 2, "name": "English", "code": "en", "nativeName": "English", "englishName": "English"}]


@routes("GET", "/languages", summary="The languages templates are written in", tag="catalog",
       response=list[w.LanguageOut])
async def languages(ctx: Ctx) -> Response:
    ctx.authenticate()
    return ok(LANGUAGES)


@routes("POST", "/files/public", auth="agent", summary="Upload a public file (multipart field 'file'); answers where it is served",
       tag="agents", response=w.UploadedFile)
async def upload(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    filename, media, data = await ctx.uploaded_file()
    name = _SAFE.sub("-", filename or "file")[:100].strip("-.") or "file"
    file_id = agent.ids.guid()
    files = agent.public_files
    files[file_id] = (name, media, data)
    while len(files) > MAX_FILES:
        del files[next(iter(files))]
    path = f"{agent.id}/{file_id}/{name}"
    return ok(_uploaded(path, (ctx.base_url(), len(data))))


@routes("GET", "/__sandbox/files/{agentId}/{fileId}/{name}", summary="An uploaded public file", tag="control",
       auth="public", api=False, response=bytes, media="application/octet-stream")
async def served(ctx: Ctx) -> Response:
    agent = ctx.sandbox.agent(ctx.params["agentId"])
    found = agent.public_files.get(ctx.params["fileId"])
    if found is None or found[0] != ctx.params["name"]:
        raise NotFound("No such uploaded file.", codes=["FILE_NOT_FOUND"])
    name, media, data = found
    return Response(data, media_type=media, headers={"Content-Disposition": disposition("inline", name),
                                                     "X-Content-Type-Options": "nosniff"})


# ----------------------------------------------------------------------------- the site's contact form
@routes("POST", "/contact-form", auth="optional", summary="A visitor's message or product request (the agency's inbox: "
       "GET /__sandbox/agents/{agentId}/contact-forms)", tag="customers",
       request=w.ContactFormRequest, response=w.ContactFormOut)
async def contact_form(ctx: Ctx) -> Response:
    from mockserver.core.clock import iso
    from mockserver.core.errors import Unauthorized, field_error

    req = await ctx.model()
    if ctx.request.headers.get("authorization", "").strip():
        agent, _ = ctx.authenticate()
    else:
        agent_id = req.agentId
        if not agent_id:
            raise Unauthorized("agentId is required without a token.", codes=["AGENT_ID_REQUIRED"])
        agent = ctx.sandbox.agent(agent_id)
        ctx.bind(agent)
    if not (req.message or req.subject or "").strip():
        raise field_error("message", "is required", None, code="CONTACT_FORM_INVALID")
    if req.email is None and req.phoneNumber is None:
        raise field_error("phoneNumber", "or email is required: how should the agency answer?", None,
                          code="CONTACT_FORM_INVALID")
    made = {"id": agent.ids.guid(), "firstName": req.firstName, "lastName": req.lastName, "email": req.email,
            "phoneNumber": req.phoneNumber.number if req.phoneNumber else None, "subject": req.subject,
            "message": req.message, "kvkkConsent": bool(req.kvkkConsent), "receivedAt": iso(agent.now())}
    agent.contact_forms.append(made)
    return ok(_received(made))


@routes("GET", "/__sandbox/agents/{agentId}/contact-forms", summary="Messages the agency's site received, newest last",
       tag="control", auth="control", api=False, response=list[w.ContactFormReceived])
async def contact_forms(ctx: Ctx) -> Response:
    return ok(list(ctx.sandbox.agent(ctx.params["agentId"]).contact_forms))
