"""Benchmark: what a kasko proposal holds in memory, and what a long-lived agent keeps.

    python bench/bench_memory.py [--proposals 20]

Creates kasko proposals for one customer and car (every product settled), then measures the objects
reachable from each proposal that no earlier proposal already holds (the catalogue and the agent's
clock are shared by all and not counted): the first proposal of an agent, and each one after it.
Also reports what each proposal adds to the agent's event log (its ``proposal_premium.received``
payloads, kept as JSON bytes; the log keeps the last 5 000 events). The caches of built premium
plans and decoded payloads are bounded for the whole process and not counted. Writes
``bench/results/memory.json``. Bounded: a fixed number of proposals.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def deep(obj, seen: set[int]) -> int:
    """Bytes of ``obj`` and what it reaches, each object once (``seen`` carries over)."""
    from mockserver.core.clock import VirtualClock
    from mockserver.domain.catalog import Insurer, Product

    if id(obj) in seen or isinstance(obj, (Product, Insurer, VirtualClock, type)):
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, dict):
        return size + sum(deep(k, seen) + deep(v, seen) for k, v in obj.items())
    if isinstance(obj, (list, tuple, set, frozenset)):
        return size + sum(deep(x, seen) for x in obj)
    for cls in type(obj).__mro__:
        for name in cls.__dict__.get("__slots__", ()):
            if hasattr(obj, name):
                size += deep(getattr(obj, name), seen)
    if hasattr(obj, "__dict__") and not callable(obj):
        size += deep(obj.__dict__, seen)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=20)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from starlette.testclient import TestClient

    from mockserver.http.app import create_app
    from mockserver.testing import SandboxClient
    from tests.test_proposals import created, kasko_body, new_buyer, settle

    app = create_app()
    with TestClient(app) as client:
        sb = SandboxClient(client)
        agent = sb.new_agent()
        buyer = new_buyer(sb, agent.id)
        held = sb.sandbox.agents[agent.id]
        first = created(sb, buyer, kasko_body(buyer))
        settle(sb, agent.id, first)
        events_before = sum(len(e.payload.raw) for e in held.events.items)
        ids = [created(sb, buyer, kasko_body(buyer)) for _ in range(args.proposals)]
        for pid in ids:
            settle(sb, agent.id, pid)
        events = (sum(len(e.payload.raw) for e in held.events.items) - events_before) / args.proposals
        seen: set[int] = set()
        first_kb = deep(held.proposals[first], seen) / 1024
        further = [deep(held.proposals[pid], seen) / 1024 for pid in ids]
        products = len(held.proposals[first].products)
    out = {"products_per_proposal": products, "first_proposal_kb": round(first_kb, 1),
           "each_further_proposal_kb": round(statistics.mean(further), 1),
           "event_log_per_proposal_kb": round(events / 1024, 1)}
    print(f"kasko proposal with {products} products: the first of an agent {out['first_proposal_kb']} KB, each "
          f"further one {out['each_further_proposal_kb']} KB; its events add {out['event_log_per_proposal_kb']} KB "
          f"to the agent's (bounded) event log")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "memory.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
