"""Plugins (``/plugins``) as the official CLI deploys and manages them: a zip of plugin.json and its
entry uploaded as multipart field ``file``, then activate, enable/disable, config, priority, logs and
delete; what the upload check refuses; the role the writes need; a restart keeps them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.test_admin import _user_token, invite_and_accept

ENTRY = """import { defineConfig } from '@insurup/plugin';
export const configSchema = defineConfig((c) => ({ greeting: c.string().default('Hello') }));
// process.env is not touched: this comment and the string below are not code
const note = "window.location";
export const onCustomerUpdated = async (ctx, event) => { ctx.log.info(`${ctx.config.greeting}`); };
async function check(ctx, customer) { return { ok: true }; }
export { check as validateCustomer };
"""


def bundle(version="1.0.0", slug="com.acme.demo", entry=ENTRY, *, manifest=None, files=None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if manifest is not False:
            z.writestr("plugin.json", json.dumps(manifest or {"id": slug, "version": version, "entry": "index.js",
                                                             "contractVersion": "1"}))
        if entry is not None:
            z.writestr("index.js", entry)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def upload(sb, h, data: bytes, name="com.acme.demo.zip"):
    return sb.http.post("/api/plugins", headers=h, files={"file": (name, data, "application/zip")})


@pytest.fixture
def owner(sb, agent):
    return sb.bearer(sb.service_token(agent))


def test_the_clis_deploy_upload_activate_and_refetch(sb, agent, owner):
    up = upload(sb, owner, bundle("1.0.0"))
    assert up.status_code == 200, up.text
    made = up.json()
    assert made["slug"] == "com.acme.demo" and made["activeVersion"] is None and made["enabled"] is True
    assert made["priority"] == 0 and made["maskedConfigJson"] is None
    (v1,) = made["versions"]
    assert v1["version"] == "1.0.0" and v1["runtimeType"] == 1 and v1["contractVersion"] == "1"
    assert v1["hooks"] == [7, 100_000]  # onCustomerUpdated, validateCustomer (exported under another name)
    assert len(v1["bundleHash"]) == 64 and v1["installedByName"] == "sandbox-entegrasyon"
    pid = made["id"]
    # deploy: activate with exactly {"version"}, then the re-fetched detail
    assert sb.http.post(f"/api/plugins/{pid}/activate", headers=owner, json={"version": "1.0.0"}).status_code == 204
    got = sb.http.get(f"/api/plugins/{pid}", headers=owner).json()
    assert got["activeVersion"] == "1.0.0" and got["createdAt"] == made["createdAt"]
    # the list is what the CLI resolves names with (slug, id)
    (row,) = sb.http.get("/api/plugins", headers=owner).json()
    assert row == {"id": pid, "slug": "com.acme.demo", "activeVersion": "1.0.0", "enabled": True, "versionCount": 1,
                   "hooks": [7, 100_000], "priority": 0}
    # the next version of the same slug is a version of the same plugin, newest first
    v2 = upload(sb, owner, bundle("1.2.0", entry="export const onCaseCreated = () => {};")).json()
    assert v2["id"] == pid and [v["version"] for v in v2["versions"]] == ["1.2.0", "1.0.0"]
    assert v2["activeVersion"] == "1.0.0"  # uploading does not switch the active version
    again = upload(sb, owner, bundle("1.2.0"))
    assert again.status_code == 409 and again.json()["codes"] == ["PLUGIN_VERSION_EXISTS"]
    assert sb.http.post(f"/api/plugins/{pid}/activate", headers=owner, json={"version": "1.2.0"}).status_code == 204
    assert sb.http.get("/api/plugins", headers=owner).json()[0]["hooks"] == [11]
    missing = sb.http.post(f"/api/plugins/{pid}/activate", headers=owner, json={"version": "9.9.9"})
    assert missing.status_code == 422 and missing.json()["validationErrors"][0]["propertyName"] == "version"
    assert "1.2.0, 1.0.0" in missing.json()["validationErrors"][0]["errorMessage"]


def test_enable_disable_config_priority_logs_and_delete(sb, agent, owner):
    pid = upload(sb, owner, bundle()).json()["id"]
    early = sb.http.put(f"/api/plugins/{pid}/config", headers=owner, json={"config": {"greeting": "Merhaba"}})
    assert early.status_code == 409 and early.json()["codes"] == ["PLUGIN_NO_ACTIVE_VERSION"]
    sb.http.post(f"/api/plugins/{pid}/activate", headers=owner, json={"version": "1.0.0"})
    assert sb.http.post(f"/api/plugins/{pid}/disable", headers=owner, json={}).status_code == 204
    assert sb.http.get(f"/api/plugins/{pid}", headers=owner).json()["enabled"] is False
    assert sb.http.post(f"/api/plugins/{pid}/enable", headers=owner).status_code == 204  # no body either
    assert sb.http.get(f"/api/plugins/{pid}", headers=owner).json()["enabled"] is True
    assert sb.http.put(f"/api/plugins/{pid}/config", headers=owner,
                       json={"config": {"greeting": "Merhaba", "şube": "Kadıköy"}}).status_code == 204
    detail = sb.http.get(f"/api/plugins/{pid}", headers=owner).json()
    assert json.loads(detail["maskedConfigJson"]) == {"greeting": "Merhaba", "şube": "Kadıköy"}
    not_object = sb.http.put(f"/api/plugins/{pid}/config", headers=owner, json={"config": ["x"]})
    assert not_object.status_code == 422 and "config" in not_object.text
    assert sb.http.put(f"/api/plugins/{pid}/priority", headers=owner, json={"priority": -5}).status_code == 204
    assert sb.http.get("/api/plugins", headers=owner).json()[0]["priority"] == -5
    bad = sb.http.put(f"/api/plugins/{pid}/priority", headers=owner, json={"priority": "high"})
    assert bad.status_code == 422 and bad.json()["validationErrors"][0]["propertyName"] == "priority"
    # the sandbox runs no plugin code: no invocation is logged, and an unknown hook name is an error
    assert sb.http.get(f"/api/plugins/{pid}/logs?limit=5&hookName=onCustomerUpdated", headers=owner).json() == []
    assert sb.http.get(f"/api/plugins/{pid}/logs?hook=onCaseCreated", headers=owner).json() == []
    unknown = sb.http.get(f"/api/plugins/{pid}/logs?hookName=onLunch", headers=owner)
    assert unknown.status_code == 422 and unknown.json()["validationErrors"][0]["propertyName"] == "hookName"
    assert sb.http.delete(f"/api/plugins/{pid}", headers=owner).status_code == 204
    gone = sb.http.get(f"/api/plugins/{pid}", headers=owner)
    assert gone.status_code == 404 and gone.json()["codes"] == ["PLUGIN_NOT_FOUND"]
    assert sb.http.get("/api/plugins", headers=owner).json() == []


@pytest.mark.parametrize("data, code, says", [
    (b"not a zip at all", "PLUGIN_BUNDLE_INVALID", "not a zip"),
    (bundle(manifest=False), "PLUGIN_BUNDLE_INVALID", "no plugin.json"),
    (bundle(manifest={"id": "com.acme.x", "version": "1.0.0", "entry": "index.js"}), "PLUGIN_MANIFEST_INVALID",
     '"contractVersion"'),
    (bundle(slug="demo"), "PLUGIN_MANIFEST_INVALID", "reverse-DNS"),
    (bundle(version="v1"), "PLUGIN_MANIFEST_INVALID", "semantic version"),
    (bundle(entry=None), "PLUGIN_BUNDLE_INVALID", "not in the zip"),
    (bundle(entry="const fs = require('fs'); process.exit(1); export const onCaseCreated = () => {};"),
     "PLUGIN_UNSAFE_API", "process, require()"),
    (bundle(entry="import fs from 'node:fs'; export const onCaseCreated = () => fs;"), "PLUGIN_UNSAFE_API",
     "node: import"),
    (bundle(entry="export const helper = () => 1;"), "PLUGIN_NO_HOOKS", "exports no hook"),
    (bundle(entry=b"\xff\xfe export".decode("latin-1").encode("latin-1")), "PLUGIN_BUNDLE_INVALID", "UTF-8"),
])
def test_the_upload_check_refuses_what_the_host_would_and_says_why(sb, agent, owner, data, code, says):
    r = upload(sb, owner, data)
    assert r.status_code == 400 and r.json()["codes"] == [code], r.text
    assert says in r.json()["detail"] and r.json()["validationErrors"][0]["propertyName"] == "file"
    assert sb.http.get("/api/plugins", headers=owner).json() == []


def test_an_upload_that_is_not_multipart_or_a_zip_bomb_is_refused(sb, agent, owner):
    r = sb.http.post("/api/plugins", headers=owner, json={"file": "x"})
    assert r.status_code == 400 and r.json()["codes"] == ["FILE_REQUIRED"]
    bomb = bundle(files={"padding.txt": "0" * (3 * 1024 * 1024)})  # compresses to a few KiB, unpacks to 3 MiB
    assert len(bomb) < 64 * 1024
    r = upload(sb, owner, bomb)
    assert r.status_code == 400 and "MiB" in r.json()["detail"]


def test_a_user_without_agency_manage_reads_plugins_but_cannot_change_them(sb, agent, owner):
    pid = upload(sb, owner, bundle()).json()["id"]
    role = sb.http.post("/api/agent-roles", headers=owner, json={"name": "Okur", "permissions": ["customers:read"]})
    role_id = role.headers["location"].rsplit("/", 1)[1]
    email = f"eklenti.{agent.id[:6]}@acente.test"
    invite_and_accept(sb, agent, owner, email, role_id=role_id)
    h = sb.bearer(_user_token(sb, agent.id, email, "Parola-2026!"))
    assert sb.http.get("/api/plugins", headers=h).status_code == 200
    for r in (upload(sb, h, bundle("2.0.0")),
              sb.http.post(f"/api/plugins/{pid}/disable", headers=h, json={}),
              sb.http.delete(f"/api/plugins/{pid}", headers=h)):
        assert r.status_code == 403 and "agency:manage" in r.json()["detail"], r.text


def test_a_restart_keeps_the_plugins_their_versions_and_settings(tmp_path):
    from tests.test_store import across_restart

    def before(c, sb):
        agent = sb.new_agent()
        h = sb.bearer(sb.service_token(agent))
        pid = upload(sb, h, bundle("1.0.0")).json()["id"]
        upload(sb, h, bundle("1.1.0"))
        c.post(f"/api/plugins/{pid}/activate", headers=h, json={"version": "1.1.0"})
        c.put(f"/api/plugins/{pid}/config", headers=h, json={"config": {"greeting": "Selam"}})
        return agent, pid, c.get(f"/api/plugins/{pid}", headers=h).json()

    def after(c, sb, carried):
        agent, pid, detail = carried
        assert c.get(f"/api/plugins/{pid}", headers=sb.bearer(sb.service_token(agent))).json() == detail

    across_restart(tmp_path, before, after)
