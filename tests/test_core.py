from datetime import UTC, datetime

import pytest

from mockserver.core.clock import VirtualClock, iso
from mockserver.core.redact import redact


def test_clock_freeze_advance_set():
    now = [1_000.0]
    clock = VirtualClock(real_time=lambda: now[0])
    clock.freeze()
    now[0] += 50
    assert clock.timestamp() == 1_000.0
    clock.advance(600)
    assert clock.timestamp() == 1_600.0
    clock.unfreeze()
    now[0] += 10
    assert clock.timestamp() == 1_610.0
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.now().year == 2030
    with pytest.raises(ValueError):
        clock.advance(-1)
    assert iso(0) == "1970-01-01T00:00:00.000Z"


def test_redact_masks_cards_and_drops_cvc_and_secrets():
    body = {"card": {"number": "4242 4242 4242 4242", "cvc": "123", "holderName": "A B"},
            "password": "hunter2", "note": "paid with 5555555555554444 today", "client_secret": "x" * 40}
    out = redact(body)
    assert out["card"]["number"] == "424242******4242"
    assert "cvc" not in out["card"]
    assert out["password"] == "***" and "x" * 40 not in str(out)
    assert "5555555555554444" not in out["note"] and "555555******4444" in out["note"]
    # a non-Luhn digit run (a TCKN, a phone) is left alone
    assert redact({"x": "11111111110"}) == {"x": "11111111110"}
