"""``/templates``: the texts of the messages the sandbox sends, which an agency rewrites per language
(mockserver.domain.templates: the keys, their variables, where each is used); and ``b2c/config/fields``,
the B2C site's settings form (mockserver.domain.b2c)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.domain import templates
from mockserver.http.framework import Ctx, no_content, ok, Routes
from mockserver.wire import models as w


routes = Routes("/templates", "/b2c", auth="agent", permissions=(None, "agency:manage"))


@routes("GET", "/templates", summary="Every message template in every language (the agency's version, else the "
       "default)", tag="agents", auth="agent", response=list[w.TemplateOut])
async def list_templates(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(templates.listing(agent))


@routes("GET", "/templates/definitions", summary="Each template key's variables (jsonSchema) and where it is used",
       tag="agents", auth="agent", response=list[w.TemplateDefinitionOut])
async def template_definitions(ctx: Ctx) -> Response:
    ctx.require_agent()
    return ok(templates.definitions())


@routes("GET", "/templates/{key}", summary="One template in one language, with its variables", tag="agents",
       auth="agent", query=w.TemplateQuery, response=w.TemplateDetailOut)
async def get_template(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    d = templates.definition(ctx.params["key"])
    lang = templates.language(ctx.q.languageId if ctx.q.languageId is not None else 1)
    return ok(templates.wire(agent, d, lang, schema=True))


@routes("PUT", "/templates/{key}", summary="The agency's version of a template in one language (used from the next "
       "message on)", tag="agents", auth="agent", request=w.TemplateUpdate, status=204)
async def update_template(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    templates.update(agent, ctx.params["key"], await ctx.model())
    return no_content()


@routes("DELETE", "/templates/{key}", summary="Drop the agency's version: the default is used again", tag="agents",
       auth="agent", query=w.TemplateQuery, status=204)
async def delete_template(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    templates.delete(agent, ctx.params["key"], ctx.q.languageId if ctx.q.languageId is not None else 1)
    return no_content()


# ----------------------------------------------------------------------------- the B2C site's settings form
@routes("GET", "/b2c/config/fields", summary="The B2C site's configuration fields (a tree of typed fields)",
       tag="agents", auth="agent", response=w.B2CConfigOut)
async def b2c_fields(ctx: Ctx) -> Response:
    from mockserver.domain import b2c

    agent, _ = ctx.require_agent()
    return ok(b2c.wire(agent))


@routes("PUT", "/b2c/config/fields", summary="Replace the B2C site's configuration fields", tag="agents", auth="agent",
       request=w.B2CConfig, status=204)
async def update_b2c_fields(ctx: Ctx) -> Response:
    from mockserver.domain import b2c

    agent, _ = ctx.require_agent()
    b2c.update(agent, await ctx.model())
    return no_content()
