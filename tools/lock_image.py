"""Write requirements.lock: the exact versions of the package's runtime dependencies (extras included),
read from the environment it is run in, for the container image to install the same every time.

    .venv/bin/python tools/lock_image.py    # after upgrading the environment; commit the file
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def closure(requirements: list[str]) -> dict[str, str]:
    """Every distribution the requirements need (with the extras they ask for): name -> version."""
    pinned: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        key, extras = re.sub(r"[-_.]+", "-", req.name).lower(), frozenset(req.extras)
        if (key, extras) in seen:
            continue
        seen.add((key, extras))
        dist = metadata.distribution(req.name)
        pinned[key] = dist.version
        for text in dist.requires or []:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in {"", *extras}):
                todo.append(sub)
    return pinned


def main() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    pinned = closure(deps)
    lines = ["# the image's runtime dependencies, exactly (tools/lock_image.py writes this from a working environment)"]
    lines += [f"{name}=={version}" for name, version in sorted(pinned.items())]
    (ROOT / "requirements.lock").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote requirements.lock: {len(pinned)} distributions", file=sys.stderr)


if __name__ == "__main__":
    main()
