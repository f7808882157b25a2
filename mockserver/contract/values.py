"""A scenario's values: ``${name}`` variables (seeded per scenario, the tester's own on a real target,
unique ones where a real API remembers), reading a path out of an answer, and matching an answer
against what a step expects."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import Any


from mockserver.validators.turkish import make_tckn, make_vkn


VAR = re.compile(r"\$\{([A-Za-z0-9_.:-]+)\}")


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


class StepFailed(Exception):
    pass


# a prefix the national numbering plan (BTK) assigns to no mobile operator: 50X is Türk Telekom's
# only for X in 1, 5, 6, 7; a generated phone can never reach a real subscriber
GENERATED_PHONE_PREFIX = "500"


TESTER = {"tckn": "INSURUP_TESTER_TCKN", "phone": "INSURUP_TESTER_PHONE", "birthDate": "INSURUP_TESTER_BIRTH_DATE",
          "plate": "INSURUP_TESTER_PLATE"}


_PLATE = re.compile(r"^\s*(\d{2})\s*([A-Za-z]{1,3})\s*(\d{2,4})\s*$")


class Vars(dict):
    """A scenario's variables. ``seed`` and ``scenario`` make its generated values: the same scenario
    on the same seed gets the same values, two scenarios never share them. Against a real API
    (``real``) they come from the operating system's randomness, new on every run."""

    def __init__(self, seed: int, scenario: str = "", real: bool = False):
        super().__init__()
        self.real = real
        self._rng = random.Random() if real else random.Random(f"{seed}:{scenario}")

    def generated(self, kind: str, label: str) -> str:
        key = f"{kind}:{label}"
        if key not in self:
            if kind == "tckn":
                self[key] = make_tckn(str(self._rng.randint(100000000, 899999999)))
            elif kind == "vkn":
                self[key] = make_vkn(f"{self._rng.randint(0, 999999999):09d}")
            elif kind == "phone":  # in a range no operator assigns, whatever the target
                self[key] = f"{GENERATED_PHONE_PREFIX}{self._rng.randint(0, 9999999):07d}"
            elif kind == "unique":  # a name a persistent agency does not hold yet (a branch, a group)
                self[key] = "".join(self._rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(8))
            else:
                raise StepFailed(f"unknown generator ${{{key}}}")
        return self[key]

    def tester(self, name: str) -> Any:
        """The tester's own identity (environment), or a generated one on a sandbox."""
        if name in ("plateCity", "plateCode"):
            plate = _PLATE.match(str(self._lookup("tester.plate")))
            if plate is None:
                raise StepFailed(f"{TESTER['plate']} must be a plate such as 34ABC123")
            return int(plate.group(1)) if name == "plateCity" else plate.group(2).upper() + plate.group(3)
        if name not in TESTER:
            raise StepFailed(f"unknown tester variable ${{tester.{name}}}: use one of "
                             f"{', '.join('tester.' + n for n in (*TESTER, 'plateCity', 'plateCode'))}")
        given = os.environ.get(TESTER[name], "").strip()
        if given:
            return given
        if self.real and name == "phone":
            raise StepFailed(f"${{tester.phone}} needs {TESTER['phone']}: against a real API the SMS code goes to the "
                             "tester's own phone (and INSURUP_OTP_* reads it)")
        if name == "birthDate":
            return "1990-05-17"
        if name == "plate":
            return f"34T{self._rng.randint(1000, 9999)}"
        return self.generated(name, "tester")

    def render(self, value: Any) -> Any:
        if isinstance(value, str):
            whole = VAR.fullmatch(value)
            if whole:
                return self._lookup(whole.group(1))
            return VAR.sub(lambda m: str(self._lookup(m.group(1))), value)
        if isinstance(value, dict):
            return {self.render(k): self.render(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.render(v) for v in value]
        return value

    def _lookup(self, name: str) -> Any:
        if name.startswith("tester."):
            key = f"tester.{name[7:]}"
            if key not in self:
                self[key] = self.tester(name[7:])
            return self[key]
        if ":" in name:
            kind, label = name.split(":", 1)
            if kind in ("tckn", "vkn", "phone", "unique"):
                value = self.generated(kind, label)
                return int(value) if kind == "tckn" and label.endswith("#int") else value
        if name not in self:
            raise StepFailed(f"variable ${{{name}}} is not set (saved by an earlier step?)")
        return self[name]


def dig(data: Any, path: str) -> Any:
    if "?" in path:  # a query parameter of the URL the path names
        from urllib.parse import parse_qs, urlsplit

        head, _, param = path.partition("?")
        url = dig(data, head)
        values = parse_qs(urlsplit(str(url)).query).get(param)
        if not values:
            raise StepFailed(f"{head}: {str(url)[:200]!r} has no query parameter {param!r}")
        return values[0]
    if "#" in path:  # a form field of an HTML page
        import html

        head, _, name = path.partition("#")
        page = dig(data, head)
        found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', str(page))
        if found is None:
            raise StepFailed(f"{head}: the page has no input {name!r}")
        return html.unescape(found.group(1))
    if "[*]" in path:
        head, _, rest = path.partition("[*]")
        items = dig(data, head)
        if not isinstance(items, list):
            raise StepFailed(f"{head}: expected a list, got {items!r}"[:300])
        rest = rest.lstrip(".")
        return [dig(item, rest) if rest else item for item in items]
    cur = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]|\[[^\]=]+=[^\]]*\]", path):
        if part.startswith("[") and "=" in part:  # [key=value&key2=value2]: the first element that matches
            wanted = [c.partition("=")[::2] for c in part[1:-1].split("&")]
            found = next((x for x in cur if isinstance(x, dict) and all(str(x.get(k)) == v for k, v in wanted)),
                         None) if isinstance(cur, list) else None
            if found is None:
                raise StepFailed(f"{path}: no element with {part[1:-1]}")
            cur = found
        elif part.startswith("["):
            idx = int(part[1:-1])
            if not isinstance(cur, list) or idx >= len(cur):
                raise StepFailed(f"{path}: no element {idx}")
            cur = cur[idx]
        else:
            if not isinstance(cur, dict) or part not in cur:
                raise StepFailed(f"{path}: no field {part!r}")
            cur = cur[part]
    return cur


def match(expected: Any, actual: Any, where: str = "body") -> None:
    if isinstance(expected, str) and expected.startswith("$"):
        ok = {
            "$any": True, "$string": isinstance(actual, str), "$int": isinstance(actual, int) and not isinstance(actual, bool),
            "$number": isinstance(actual, (int, float)) and not isinstance(actual, bool), "$bool": isinstance(actual, bool),
            "$null": actual is None, "$uuid": isinstance(actual, str) and bool(_UUID.match(actual)),
            "$objectid": isinstance(actual, str) and bool(re.fullmatch(r"[0-9a-f]{24}", actual)),
            "$jwt": isinstance(actual, str) and actual.count(".") == 2,
            "$nonempty": bool(actual),
        }.get(expected)
        if expected.startswith("$len:"):
            ok = isinstance(actual, (list, str, dict)) and len(actual) == int(expected[5:])
        elif expected.startswith("$contains:"):
            ok = isinstance(actual, str) and expected[10:] in actual
        if ok is None:
            raise StepFailed(f"{where}: unknown matcher {expected}")
        if not ok:
            raise StepFailed(f"{where}: expected {expected}, got {actual!r}"[:400])
        return
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            raise StepFailed(f"{where}: expected an object, got {actual!r}"[:400])
        for k, v in expected.items():
            if v == "$absent":
                if k in actual:
                    raise StepFailed(f"{where}.{k}: expected absent, got {actual[k]!r}"[:400])
                continue
            if k not in actual:
                raise StepFailed(f"{where}.{k}: missing")
            match(v, actual[k], f"{where}.{k}")
        return
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) < len(expected):
            raise StepFailed(f"{where}: expected a list of at least {len(expected)}, got {actual!r}"[:400])
        for i, v in enumerate(expected):
            match(v, actual[i], f"{where}[{i}]")
        return
    if expected != actual:
        raise StepFailed(f"{where}: expected {expected!r}, got {actual!r}"[:400])


def scenario_vars(spec: dict[str, Any], path: Path, seed: int, real: bool) -> Vars:
    """The scenario's starting variables: its ``vars``, each overridable as ``INSURUP_VAR_<name>``."""
    vars = Vars(seed, path.stem, real)
    for name, value in (spec.get("vars") or {}).items():
        vars[name] = os.environ.get(f"INSURUP_VAR_{name}", value)
    return vars
