"""The B2C site's configuration fields (``GET|PUT b2c/config/fields``): a tree of typed fields the
agency's site settings form is made of, replaced whole, checked field by field."""

from __future__ import annotations


def test_the_settings_form_is_replaced_whole_and_read_back(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    assert sb.http.get("/api/b2c/config/fields", headers=h).json() == {"fields": []}
    form = {"fields": [
        {"name": "logo", "type": 6, "labelResourceKey": "b2c.logo", "allowedExtensions": [".png", ".svg"]},
        {"name": "hero", "type": 1, "children": [{"name": "başlık", "type": 3}, {"name": "renk", "type": 7}]},
        {"name": "öneÇıkanBranşlar", "type": 2, "itemType": {"name": "branş", "type": 8}}]}
    assert sb.http.put("/api/b2c/config/fields", headers=h, json=form).status_code == 204
    got = sb.http.get("/api/b2c/config/fields", headers=h).json()["fields"]
    assert [f["name"] for f in got] == ["logo", "hero", "öneÇıkanBranşlar"]
    assert got[0]["allowedExtensions"] == [".png", ".svg"] and got[1]["children"][1] == {
        "name": "renk", "type": 7, "labelResourceKey": None, "descriptionResourceKey": None}
    assert got[2]["itemType"]["type"] == 8
    assert sb.http.put("/api/b2c/config/fields", headers=h, json={"fields": []}).status_code == 204
    assert sb.http.get("/api/b2c/config/fields", headers=h).json() == {"fields": []}


def test_a_malformed_tree_names_each_field(sb, agent):
    h = sb.bearer(sb.service_token(agent))
    deep = {"name": "d0", "type": 1, "children": []}
    node = deep
    for i in range(1, 10):
        child = {"name": f"d{i}", "type": 1, "children": []}
        node["children"].append(child)
        node = child
    r = sb.http.put("/api/b2c/config/fields", headers=h, json={"fields": [
        {"name": "a", "type": 3}, {"name": "a", "type": 4}, {"name": "dosya", "type": 6},
        {"name": "liste", "type": 2}, {"name": "x", "type": 13}, deep]})
    assert r.status_code == 422 and r.json()["codes"] == ["B2C_CONFIG_INVALID"]
    fields = {e["propertyName"] for e in r.json()["validationErrors"]}
    assert {"fields[1].name", "fields[2].allowedExtensions", "fields[3].itemType", "fields[4].type"} <= fields
    assert any(f.startswith("fields[5].children[0]") and "deep" in e["errorMessage"]
               for e in r.json()["validationErrors"] for f in [e["propertyName"]])
    assert sb.http.get("/api/b2c/config/fields", headers=h).json() == {"fields": []}  # nothing was kept
