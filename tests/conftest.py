"""Shared fixtures come from the project's own pytest plugin (mockserver.testing); this file adds
small helpers used across the test modules."""

from __future__ import annotations

import itertools
import random

import pytest

from mockserver.validators.turkish import make_tckn, make_vkn

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
