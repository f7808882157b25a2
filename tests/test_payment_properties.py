"""Properties of the payment rules that must hold for every input, not just the examples: the card
check (Luhn, expiry on a given day, masking) and the callback URL the pages send browsers to."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.errors import InputValidation
from mockserver.core.redact import luhn_ok
from mockserver.domain.payments import Payment, callback_location, parse_card
from mockserver.wire.purchases import CardIn


def with_check_digit(body: str) -> str:
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


bodies = st.text("0123456789", min_size=15, max_size=15).map(lambda s: "4" + s[1:])
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(bodies, days, st.integers(1, 12), st.integers(0, 15))
def test_a_luhn_valid_unexpired_card_passes_and_only_its_mask_is_kept(body, today, month, years_ahead):
    number = with_check_digit(body)
    year = today.year + years_ahead
    card = CardIn.model_validate({"number": number, "cvc": "123", "expiryMonth": f"{month:02d}",
                                  "expiryYear": str(year), "holderName": "A B"})  # as a purchase's model parses it
    expired = (year, month) < (today.year, today.month)
    if expired:
        with pytest.raises(InputValidation) as info:
            parse_card(card, today)
        assert "CARD_EXPIRED" in info.value.codes
        return
    summary = parse_card(card, today)
    assert summary.masked == number[:6] + "******" + number[-4:]
    assert number not in repr(summary) and "123" not in summary.wire().values()


@settings(max_examples=300, deadline=None)
@given(bodies, st.integers(0, 15), st.integers(1, 9))
def test_changing_one_digit_always_fails_luhn_and_is_never_echoed(body, position, delta):
    number = with_check_digit(body)
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    broken = "".join(digits)
    with pytest.raises(InputValidation) as info:
        parse_card(CardIn.model_validate({"number": broken, "cvc": "123", "expiryMonth": "12", "expiryYear": "2035",
                                          "holderName": "A"}), date(2030, 1, 1))
    assert info.value.codes == ["CARD_NUMBER_INVALID"]
    assert broken not in str(info.value) and all(fe.attempted_value != broken for fe in info.value.field_errors)


urls = st.builds(lambda host, path, query, frag: f"https://{host}.example{path}{query}{frag}",
                 st.text("abcdefgh", min_size=1, max_size=8),
                 st.sampled_from(["", "/", "/purchase/Callback", "/odeme-sonuc"]),
                 st.sampled_from(["", "?type=kasko", "?type=kasko&proposalId=x", "?a=%C3%A7"]),
                 st.sampled_from(["", "#top"]))


@settings(max_examples=200, deadline=None)
@given(urls, st.sampled_from(["SUCCEEDED", "FAILED", "EXPIRED", "PROCESSING"]))
def test_callback_keeps_the_integrators_url_and_appends_the_result(url, state):
    payment = Payment(id="p1", proposal_id="prop", proposal_product_id="pp", installment=1,
                      payment_type="ASYNC_3D_SECURE", amount=1.0, currency="TURKISH_LIRA", insurer_id=43, card=None,
                      callback_url=url, outcome=None, created_at=0, expires_at=0, created_by=None, base_url="",
                      state=state, policy_id="pol" if state == "SUCCEEDED" else None,
                      failure_reason=None if state == "SUCCEEDED" else "Kart işlemi reddedildi & iade")
    location = callback_location(payment)
    original, result = urlsplit(url), urlsplit(location)
    assert (result.scheme, result.netloc, result.path, result.fragment) == \
        (original.scheme, original.netloc, original.path, original.fragment)
    assert result.query.startswith(original.query + "&" if original.query else "success=")
    params = parse_qs(result.query)
    assert params["success"][-1] == ("true" if state == "SUCCEEDED" else "false")
    assert params["proposalId"][-1] == "prop" and params["proposalProductId"][-1] == "pp"
    if state == "SUCCEEDED":
        assert params["policyId"] == ["pol"] and "error" not in params
    else:
        assert "policyId" not in params and params["error"][-1]
    if original.query:
        for key, values in parse_qs(original.query).items():
            assert params[key][: len(values)] == values
