"""An agency's plugins (``/plugins``, the official CLI's ``plugins`` commands and its ``deploy``).

A plugin is a zip the CLI builds: ``plugin.json`` (``{id, version, entry, contractVersion,
runtimeType?}``) and the bundled JavaScript ``entry``. InsurUp runs it on its JavaScript engine in its
hooks; the sandbox keeps everything the management API shows and checks what the upload check checks:

* the manifest's four fields, a reverse-DNS ``id`` (the plugin's slug) and a semantic ``version``;
* the entry is in the zip, and uses none of the APIs the host's engine lacks (Node.js or browser
  globals, ``require()``, ``node:`` imports: the CLI's build refuses the same before it uploads);
* the hooks are the entry's exports named as InsurUp's hooks (``onCustomerUpdated``,
  ``validateCustomer``, …); their numbers are the contract's ``PluginHook``.

One plugin per agency and slug; an upload of a known slug adds a version (newest first), and the same
version twice is refused. ``activate`` selects a version and enables the plugin; ``config`` is the
active version's per-agency configuration; ``priority`` orders the sequential hooks.

What the sandbox cannot do is run the code: no hook is invoked, so ``logs`` is always empty, and the
version's config JSON Schema (which the host derives by running ``configSchema``) is null, so a config
is stored as given, not validated (FIDELITY.md, "Plugins").
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from mockserver.core.clock import iso
from mockserver.wire.render import Const, From, renderer
from mockserver.wire.setup import PluginDetailOut, PluginSummaryOut, PluginVersionOut
from mockserver.core.errors import BadRequest, Duplicate, FieldError, InvalidState, NotFound, field_error

if TYPE_CHECKING:
    from mockserver.wire.setup import ActivatePluginRequest, PluginConfigRequest, PluginPriorityRequest
    from mockserver.domain.tenant import Agent

# the contract's PluginHook: event hooks on{Event} (0-16), then the sequential hooks
HOOKS: dict[str, int] = {
    "onProposalCreated": 0, "onProposalProductPurchaseAttempted": 1, "onProposalProductPremiumReceived": 2,
    "onProposalProductCoverageReceived": 3, "onPolicyCreatedOrUpdated": 4, "onPolicyReceived": 5,
    "onAsyncPolicyCreationResponded": 6, "onCustomerUpdated": 7, "onAssetCreated": 8, "onAssetUpdated": 9,
    "onAssetPolicyChanged": 10, "onCaseCreated": 11, "onCaseStateChanged": 12, "onAgentCreated": 13,
    "onAgentInsuranceCompanyUpdated": 14, "onAgentInsuranceCompanyRemoved": 15, "onAgentUserCreated": 16,
    "validateCustomer": 100_000, "mutateCustomer": 200_000, "decorateIgwRequest": 300_000,
}
RUNTIMES = {1: "JavaScriptJint"}
MAX_PLUGINS, MAX_VERSIONS = 50, 50  # per agency, per plugin (README "Limits")
MAX_UNPACKED = 2 * 1024 * 1024  # what a bundle may unpack to; the upload itself is at most the body limit
MAX_ENTRIES = 200
MAX_CONFIG = 64 * 1024  # bytes of a config's JSON
LOG_LIMIT = 1000

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+", re.IGNORECASE)
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")
# globals the host's engine does not have (used as objects or called), and Node's bare markers
_MEMBER_GLOBALS = ("window", "document", "localStorage", "sessionStorage", "XMLHttpRequest", "WebSocket",
                   "navigator", "indexedDB", "process", "Buffer")
_BARE_GLOBALS = ("__dirname", "__filename")
_EXPORTS = re.compile(r"\bexport\s+(?:async\s+)?(?:function\s*\*?|const|let|var)\s+([A-Za-z_$][\w$]*)")
_EXPORT_LIST = re.compile(r"\bexport\s*\{([^}]*)\}")


@dataclass(slots=True)
class PluginVersion:
    version: str
    runtime_type: int
    contract_version: str
    hooks: list[int]
    bundle_hash: str
    entry: str
    installed_at: float
    installed_by: str


@dataclass(slots=True)
class Plugin:
    id: str
    slug: str
    created_at: float
    versions: list[PluginVersion] = field(default_factory=list)  # newest first
    active: str | None = None
    enabled: bool = True
    priority: int = 0
    config: dict[str, Any] | None = None

    def version(self, version: str) -> PluginVersion | None:
        return next((v for v in self.versions if v.version == version), None)


def _bundle_error(message: str, code: str = "PLUGIN_BUNDLE_INVALID") -> BadRequest:
    return BadRequest(f"The plugin bundle is not valid: {message}.", codes=[code],
                      field_errors=[FieldError("file", message, None)],
                      suggestions=["Build it with `insurup plugins deploy` (a zip of plugin.json and its entry)."])


_NOT_CODE = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)|'(?:\\.|[^'\\\n])*'?|\"(?:\\.|[^\"\\\n])*\"?", re.S)


def _code_only(source: str) -> str:
    """``source`` with comments and '…'/"…" strings blanked (template literals stay: they are code)."""
    return _NOT_CODE.sub(lambda m: '""' if m.group()[0] in "'\"" else " ", source)


def unsafe_apis(source: str) -> list[str]:
    """The APIs of ``source`` the host's engine lacks, sorted; empty when it may run there."""
    code = re.sub(r"typeof\s+[A-Za-z_$][\w$]*", " ", _code_only(source))
    hits = {g for g in _MEMBER_GLOBALS if re.search(rf"(?<![\w.$]){g}\s*[.\[(]", code)}
    hits |= {g for g in _BARE_GLOBALS if re.search(rf"(?<![\w.$]){g}(?![\w$])", code)}
    if re.search(r"(?<![\w.$])require\s*\(", code):
        hits.add("require()")
    if re.search(r"['\"]node:[a-z]", source):
        hits.add("node: import")
    return sorted(hits)


def exported_hooks(source: str) -> list[int]:
    """The hook numbers of the entry's exports named as InsurUp's hooks, in the contract's order."""
    code = _code_only(source)
    names = set(_EXPORTS.findall(code))
    for group in _EXPORT_LIST.findall(code):
        for item in group.split(","):
            parts = item.split()
            if parts:
                names.add(parts[-1])  # `a as onCaseCreated` exports onCaseCreated
    return sorted(HOOKS[n] for n in names if n in HOOKS)


def _read_bundle(data: bytes) -> tuple[dict[str, Any], str]:
    """The manifest and the entry's source of an uploaded zip (400 naming what is wrong)."""
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
        infos = bundle.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _bundle_error("is not a zip archive") from None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise _bundle_error(f"unpacks to more than {MAX_ENTRIES} files or {MAX_UNPACKED // (1024 * 1024)} MiB")

    def read(name: str) -> str:
        try:
            with bundle.open(name) as f:
                raw = f.read(MAX_UNPACKED + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, ValueError):
            raise _bundle_error(f"{name} cannot be unpacked") from None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise _bundle_error(f"{name} is not UTF-8 text") from None

    names = {i.filename for i in infos}
    if "plugin.json" not in names:
        raise _bundle_error("has no plugin.json at its root")
    try:
        manifest = orjson.loads(read("plugin.json"))
    except orjson.JSONDecodeError as exc:
        raise _bundle_error(f"plugin.json is not JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise _bundle_error("plugin.json must hold an object")
    for key in ("id", "version", "entry", "contractVersion"):
        if not isinstance(manifest.get(key), str) or not manifest[key].strip():
            raise _bundle_error(f'plugin.json is missing "{key}"', "PLUGIN_MANIFEST_INVALID")
    slug, version = manifest["id"], manifest["version"]
    if len(slug) > 200 or not _SLUG.fullmatch(slug):
        raise _bundle_error(f"plugin.json's id '{slug[:200]}' is not a reverse-DNS name (com.acme.plugin)",
                            "PLUGIN_MANIFEST_INVALID")
    if len(version) > 64 or not _SEMVER.fullmatch(version):
        raise _bundle_error(f"plugin.json's version '{version[:64]}' is not a semantic version (1.2.0)",
                            "PLUGIN_MANIFEST_INVALID")
    runtime = manifest.get("runtimeType", 1)
    if runtime not in RUNTIMES or isinstance(runtime, bool):
        raise _bundle_error(f"plugin.json's runtimeType must be one of {sorted(RUNTIMES)} (JavaScriptJint)",
                            "PLUGIN_MANIFEST_INVALID")
    if manifest["entry"] not in names:
        raise _bundle_error(f"the entry {manifest['entry'][:200]} named by plugin.json is not in the zip")
    return manifest, read(manifest["entry"])


@dataclass(slots=True, frozen=True)
class Bundle:
    """What an uploaded zip holds, checked: read off the event loop (``read``), installed on it."""

    manifest: dict[str, Any]
    hooks: list[int]
    bundle_hash: str


def read(data: bytes) -> Bundle:
    """Check an uploaded zip (400 naming the problem). Pure: it may run in a worker thread."""
    manifest, source = _read_bundle(data)
    unsafe = unsafe_apis(source)
    if unsafe:
        raise BadRequest(f"The plugin uses APIs the host's JavaScript engine does not have: {', '.join(unsafe)}.",
                         codes=["PLUGIN_UNSAFE_API"], field_errors=[FieldError("file", f"uses {', '.join(unsafe)}")],
                         suggestions=["Plugins run with no Node.js or browser globals; use the ctx the hook is given."])
    hooks = exported_hooks(source)
    if not hooks:
        raise BadRequest("The plugin's entry exports no hook.", codes=["PLUGIN_NO_HOOKS"],
                         field_errors=[FieldError("file", "exports no hook", None)],
                         suggestions=["Export at least one of: " + ", ".join(HOOKS) + "."])
    return Bundle(manifest, hooks, hashlib.sha256(data).hexdigest())


def install(agent: "Agent", bundle: Bundle, *, by: str) -> Plugin:
    """A new plugin, or a new version of the agency's plugin of the bundle's slug."""
    manifest, hooks = bundle.manifest, bundle.hooks
    slug, number = manifest["id"], manifest["version"]
    plugin = next((p for p in agent.plugins.values() if p.slug.lower() == slug.lower()), None)
    if plugin is None:
        if len(agent.plugins) >= MAX_PLUGINS:
            raise InvalidState(f"An agency holds at most {MAX_PLUGINS} plugins; delete one first.",
                               codes=["PLUGIN_LIMIT_REACHED"])
        plugin = Plugin(id=agent.ids.guid(), slug=slug, created_at=agent.now())
        agent.plugins.replace(plugin)
    elif plugin.version(number) is not None:
        raise Duplicate(f"Version {number} of {plugin.slug} is already installed; raise plugin.json's version.",
                        codes=["PLUGIN_VERSION_EXISTS"], field_errors=[FieldError("file", "holds an installed version",
                                                                                  number)])
    elif len(plugin.versions) >= MAX_VERSIONS:
        raise InvalidState(f"A plugin keeps at most {MAX_VERSIONS} versions.", codes=["PLUGIN_LIMIT_REACHED"])
    plugin.versions.insert(0, PluginVersion(
        version=number, runtime_type=manifest.get("runtimeType", 1), contract_version=manifest["contractVersion"],
        hooks=hooks, bundle_hash=bundle.bundle_hash, entry=manifest["entry"], installed_at=agent.now(),
        installed_by=by))
    return plugin


def get(agent: "Agent", plugin_id: str) -> Plugin:
    plugin = agent.plugins.get(plugin_id)
    if plugin is None:
        raise NotFound(f"No plugin {plugin_id} in this agency.", codes=["PLUGIN_NOT_FOUND"],
                       suggestions=["GET /api/plugins lists the installed ones."])
    return plugin


def delete(agent: "Agent", plugin_id: str) -> None:
    agent.plugins.remove(get(agent, plugin_id).id)


def activate(plugin: Plugin, req: "ActivatePluginRequest") -> None:
    version = req.version
    if not version:
        raise field_error("version", "is required", version, code="PLUGIN_VERSION_REQUIRED")
    if plugin.version(version) is None:
        installed = ", ".join(v.version for v in plugin.versions)
        raise field_error("version", f"is not installed (installed: {installed})", version,
                          code="PLUGIN_VERSION_NOT_FOUND")
    plugin.active, plugin.enabled = version, True


def set_enabled(plugin: Plugin, enabled: bool) -> None:
    plugin.enabled = enabled


def set_config(plugin: Plugin, req: "PluginConfigRequest") -> None:
    config = req.config
    if config is None:
        raise field_error("config", "is required, an object", None, code="PLUGIN_CONFIG_INVALID")
    if plugin.active is None:
        raise InvalidState("The config belongs to the active version, and no version is active.",
                           codes=["PLUGIN_NO_ACTIVE_VERSION"],
                           suggestions=[f"POST /api/plugins/{plugin.id}/activate with {{\"version\": …}} first."])
    if len(orjson.dumps(config)) > MAX_CONFIG:
        raise field_error("config", f"is more than {MAX_CONFIG // 1024} KiB of JSON", None, code="PLUGIN_CONFIG_INVALID")
    plugin.config = config


def set_priority(plugin: Plugin, req: "PluginPriorityRequest") -> None:
    if req.priority is None:  # (its model bounds it to 32 bits)
        raise field_error("priority", "is required, a 32-bit integer", None, code="PLUGIN_PRIORITY_INVALID")
    plugin.priority = req.priority


def logs(plugin: Plugin, limit: int | None, hook_name: str | None) -> list[dict[str, Any]]:
    """The invocations of the plugin, newest first: none, since the sandbox runs no plugin code."""
    if hook_name is not None and hook_name not in HOOKS:
        raise field_error("hookName", "is not a hook (" + ", ".join(HOOKS) + ")", hook_name, code="PLUGIN_HOOK_UNKNOWN")
    return []


# ----------------------------------------------------------------------------- the wire
def _active(plugin: Plugin) -> PluginVersion | None:
    return plugin.version(plugin.active) if plugin.active else None


def _active_hooks(plugin: Plugin, ctx: Any) -> list[int]:
    active = _active(plugin)
    return list(active.hooks) if active else []


def _masked_config(plugin: Plugin, ctx: Any) -> str | None:
    return orjson.dumps(plugin.config).decode() if plugin.config is not None and _active(plugin) else None


summary = renderer(PluginSummaryOut, Plugin, activeVersion="active", versionCount=lambda p, ctx: len(p.versions),
                   hooks=_active_hooks)
_version = renderer(PluginVersionOut, PluginVersion, hooks=From(convert=list), configSchemaJson=Const(None),
                    installedAt=From(convert=iso), installedByName="installed_by")
detail = renderer(PluginDetailOut, Plugin, activeVersion="active", maskedConfigJson=_masked_config,
                  createdAt=From(convert=iso), versions=From(each=_version))
