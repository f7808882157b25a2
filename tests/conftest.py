"""Shared fixtures come from the project's own pytest plugin (mockserver.testing); this file adds
small helpers used across the test modules."""

from __future__ import annotations

import itertools
import os
import random

import pytest

from mockserver.validators.turkish import make_tckn, make_vkn

# every sandbox the tests make validates its JSON answers against their declared models
# (mockserver.http.conformance); a test whose requests got an answer that does not fit fails
os.environ.setdefault("INSURUP_SANDBOX_CHECK_RESPONSES", "1")

_counter = itertools.count(1)


def fresh_tckn() -> str:
    return make_tckn(str(random.Random(10_000 + next(_counter)).randint(100000000, 899999999)))


def fresh_vkn() -> str:
    return make_vkn(f"{random.Random(20_000 + next(_counter)).randint(0, 999999999):09d}")


def fresh_phone() -> str:
    return f"53{random.Random(30_000 + next(_counter)).randint(0, 99999999):08d}"


@pytest.fixture
def sb(insurup_sandbox):
    return insurup_sandbox


@pytest.fixture
def agent(insurup_agent):
    return insurup_agent


@pytest.fixture(autouse=True)
def answers_fit_their_declarations():
    """After each test: every answer it got fits the model its route declares (and so the served
    OpenAPI document)."""
    from mockserver.http import conformance

    conformance.MISFITS.clear()
    yield
    found = list(conformance.MISFITS)
    conformance.MISFITS.clear()
    if found:
        lines = [f"{m['operation']} ({m['status']}): " + "; ".join(m["errors"][:5]) for m in found[:10]]
        pytest.fail("answers that do not fit their declared model:\n" + "\n".join(lines), pytrace=False)
