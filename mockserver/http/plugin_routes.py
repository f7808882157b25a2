"""``/plugins``: an agency's plugins, as the official CLI manages and deploys them
(mockserver.domain.plugins: what is checked, and what the sandbox cannot do: run them)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from mockserver.domain import plugins
from mockserver.http.framework import Ctx, no_content, ok, Routes
from mockserver.wire import models as w


routes = Routes("/plugins", auth="agent", permissions=(None, "agency:manage"))

P = "/plugins/{pluginId}"


def _plugin(ctx: Ctx) -> plugins.Plugin:
    agent, _ = ctx.require_agent()
    return plugins.get(agent, ctx.params["pluginId"])


@routes("GET", "/plugins", summary="The agency's plugins, one per slug", tag="plugins", auth="agent",
       response=list[w.PluginSummaryOut])
async def list_plugins(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([plugins.summary(p) for p in agent.plugins.values()])


@routes("POST", "/plugins", summary="Upload a plugin bundle (multipart field 'file': a zip of plugin.json and its "
       "entry); a known slug gets a new version", tag="plugins", auth="agent", request=w.FileUpload, parse=False,
       response=w.PluginDetailOut)
async def upload_plugin(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    _, _, data = await ctx.uploaded_file()
    bundle = await run_in_threadpool(plugins.read, data)  # unzipping and scanning the code: off the event loop
    return ok(plugins.detail(plugins.install(agent, bundle, by=ctx.actor()["name"] or ctx.principal.subject)))


@routes("GET", P, summary="A plugin with every installed version", tag="plugins", auth="agent",
       response=w.PluginDetailOut)
async def get_plugin(ctx: Ctx) -> Response:
    return ok(plugins.detail(_plugin(ctx)))


@routes("DELETE", P, summary="Remove a plugin and all its versions", tag="plugins", auth="agent", status=204)
async def delete_plugin(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    plugins.delete(agent, ctx.params["pluginId"])
    return no_content()


@routes("GET", P + "/logs", summary="The plugin's invocations, newest first (none: the sandbox runs no plugin code)",
       tag="plugins", auth="agent", query=w.PluginLogsQuery, response=list[w.PluginInvocationLogOut])
async def plugin_logs(ctx: Ctx) -> Response:
    plugin = _plugin(ctx)
    return ok(plugins.logs(plugin, ctx.q.limit, ctx.q.hookName or ctx.q.hook))


def _change(name: str, apply, *, body: bool = True):
    """A no-content handler that applies ``apply(plugin, request)`` to the path's plugin (the route's
    parsed request model; None for a route whose body is ignored)."""
    async def handler(ctx: Ctx) -> Response:
        plugin = _plugin(ctx)
        apply(plugin, await ctx.model() if body else None)
        return no_content()

    handler.__name__ = name
    return handler


routes("POST", P + "/activate", summary="Select the active version (and enable the plugin)", tag="plugins",
      auth="agent", request=w.ActivatePluginRequest, status=204)(_change("activate_plugin", plugins.activate))
routes("POST", P + "/enable", summary="Enable the plugin (a body, such as the CLI's {}, is ignored)", tag="plugins",
      auth="agent", status=204)(_change("enable_plugin", lambda p, _: plugins.set_enabled(p, True), body=False))
routes("POST", P + "/disable", summary="Disable the plugin: its hooks are skipped (a body is ignored)",
      tag="plugins", auth="agent", status=204)(
    _change("disable_plugin", lambda p, _: plugins.set_enabled(p, False), body=False))
routes("PUT", P + "/config", summary="The active version's per-agency config", tag="plugins", auth="agent",
      request=w.PluginConfigRequest, status=204)(_change("plugin_config", plugins.set_config))
routes("PUT", P + "/priority", summary="The plugin's order among the sequential hooks", tag="plugins", auth="agent",
      request=w.PluginPriorityRequest, status=204)(_change("plugin_priority", plugins.set_priority))
