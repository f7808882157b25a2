"""The sandbox assembled in one place (the composition root): what a new agent starts with, what
hears the events an agent records, which handler runs each kind of scheduled work, the customer
fields whose words the lists index, and what a new sandbox holds. ``mockserver.domain.tenant`` (the
agents and the sandbox) knows none of the resource modules; this module knows them all, and nothing
below it imports it. Make a sandbox with :func:`sandbox`."""

from __future__ import annotations

import functools
from typing import Any

from mockserver.core.settings import Settings
from mockserver.domain import agency, cases, connections, coverage, oidc, payments, quoting, users, webhooks
from mockserver.domain.tenant import Agent, Sandbox, World
from mockserver.graphql.rows import CUSTOMER_FIELDS
from mockserver.security.tokens import TokenAuthority


def _seed(agent: Agent) -> None:
    agency.seed(agent)
    users.seed(agent)
    if agent.fixture.connect_all_insurers:
        connections.connect_all(agent)
    connections.from_fixture(agent, agent.fixture.connections)
    coverage.seed_defaults(agent)
    coverage.from_fixture(agent, agent.fixture.coverage_groups)


def _heard(agent: Agent, event: Any) -> None:
    if agent.webhooks:  # every subscribed webhook gets a delivery
        webhooks.enqueue(agent, event)


def _customer_field(name: str, customer: Any) -> Any:
    return CUSTOMER_FIELDS[name](customer, None)  # (a named function: agents are pickled with their indexes)


def _sandbox_seed(sandbox: Sandbox) -> None:
    sandbox.oauth_clients.update(oidc.default_clients())  # "Login with InsurUp": the sandbox's own clients


WORLD = World(
    seed=_seed,
    heard=_heard,
    due={"case.delay": cases.due_delay, "case.idle": cases.due_idle,
         "proposal.product": quoting.due_arrival,
         "payment.expire": payments.due_expiry, "payment.insurer-timeout": payments.due_insurer_timeout},
    # the customer fields a search names most (customersNew's search input), read as the lists read them
    search_fields={name: functools.partial(_customer_field, name)
                   for name in ("name", "identityNumber", "taxNumber", "primaryEmail", "primaryPhoneNumber")},
    sandbox_seed=_sandbox_seed,
)


def sandbox(settings: Settings | None = None, authority: TokenAuthority | None = None,
            entropy_key: bytes | None = None, *, drift: Any = None) -> Sandbox:
    """A sandbox with every resource module in it (``drift``: a drift profile it plays, from
    ``mockserver.http.drift.load``)."""
    return Sandbox(settings, authority, entropy_key, world=WORLD, drift=drift)
