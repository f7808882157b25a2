"""Magic values: inputs that force an outcome, like card numbers in a payment sandbox.

This module is the single source: ``GET /__sandbox/magic`` serves it, ``contracts/magic-values.json``
is generated from it (a test keeps them equal) and the README lists it.
"""

from __future__ import annotations

from typing import Any

from mockserver.validators.turkish import make_tckn, make_vkn

FIXED_OTP_CODE = "123456"
FIXED_OTP_PHONE_PREFIX = "555000"  # 555000xxxx: every OTP sent to it is 123456
SMS_FAILURE_PHONE = "5559999999"
# each outcome has a number that passes real sites' validators (checksum and a deny-list of
# repeated-digit numbers: InsurUp's own site refuses 11111111110) and the older repeated-digit one
MERNIS_DOWN_TCKNS = (make_tckn("200000000"), make_tckn("222222222"))
MERNIS_UNKNOWN_TCKNS = (make_tckn("300000000"), make_tckn("333333333"))
DOCS_TEST_TCKN = "11111111110"
# identities for tests: checksum-valid, no repeated or sequential digits, accepted by common validators
TEST_TCKNS = ("10000000146", make_tckn("387450912"), make_tckn("514092738"), make_tckn("142857369"))
TEST_VKNS = (make_vkn("418273650"), make_vkn("730591846"), make_vkn("265948173"))
TRAMER_FIXED_PLATE = (34, "ABC123")
TRAMER_NOT_FOUND_PREFIX = "ZZ"
TRAMER_DOWN_PREFIX = "ZX"
UAVT_FIXED = 1234567890
UAVT_DOWN = 1999999999
DASK_FIXED_POLICY = "12345678"
DASK_NOT_FOUND_PREFIX = "9"
PROPOSAL_FAIL_LETTERS = "HT"  # plate 34HT043: insurer 43 fails on the first attempt
PROPOSAL_SLOW_LETTERS = "YAV"  # plate 34YAV01: every insurer answers after minutes
PROPOSAL_INVESTIGATION_LETTERS = "INC"  # plate 34INC01: the first product waits for investigation

# cards (all pass Luhn); any other valid card succeeds. Outcome names are those of
# POST /__sandbox/agents/{agentId}/payments/{id}/complete
CARD_OUTCOMES = {
    "4000000000000002": "declined",
    "4000000000009995": "insufficient_funds",
    "4000000000003220": "authentication_failed",
    "4000000000000119": "issuance_failed",
    "4000000000000259": "stuck",
}
CARD_SUCCESS = ("4111111111111111", "5555555555554444", "9792000000000003")
PAYMENT_OTP_CODE = "123456"  # the one-time code every sandbox 3-D Secure page accepts


# magic coverage-group ids: they exist in every agent, fit every branch and force an outcome
MAGIC_FAIL_PREFIX = "fa11"  # fa11 + zeros + 3-digit insurer id: that insurer fails on the first attempt
MAGIC_SLOW = "5100000000000000000005e0"  # every insurer answers after minutes instead of seconds
MAGIC_INVESTIGATION = "1a7e50000000000000000000"  # the first product waits for investigation by the insurer
MAGIC_ALL_FAIL = "fa1100000000000000000000"  # every insurer fails on the first attempt


def magic_fail_id(insurer_id: int) -> str:
    return f"{MAGIC_FAIL_PREFIX}{insurer_id:020d}"


def catalogue() -> dict[str, Any]:
    return {
        "otp": [
            {"value": f"{FIXED_OTP_PHONE_PREFIX}0000-{FIXED_OTP_PHONE_PREFIX}9999", "field": "phoneNumber.number",
             "outcome": f"the SMS code is always {FIXED_OTP_CODE} (for manual testing without reading the outbox)"},
            {"value": SMS_FAILURE_PHONE, "field": "phoneNumber.number",
             "outcome": "the SMS provider fails: login-or-register answers 502 upstream-service, code SMS_DELIVERY_FAILED"},
        ],
        "identity": [
            {"value": ", ".join(TEST_TCKNS), "field": "identityNumber",
             "outcome": "valid TCKNs that pass real sites' validators (checksum, no repeated digits); register normally"},
            {"value": ", ".join(TEST_VKNS), "field": "taxNumber",
             "outcome": "valid VKNs (tax numbers) for company customers; register normally"},
            {"value": DOCS_TEST_TCKN, "field": "identityNumber",
             "outcome": "the docs' test TCKN: valid, registers normally, but real sites' deny-lists refuse it"},
            {"value": " or ".join(MERNIS_DOWN_TCKNS), "field": "identityNumber",
             "outcome": "MERNIS is unreachable on first registration: 502 upstream-service, code MERNIS_UNAVAILABLE"},
            {"value": " or ".join(MERNIS_UNKNOWN_TCKNS), "field": "identityNumber",
             "outcome": "checksum-valid but unknown to MERNIS on first registration: 422, code IDENTITY_NOT_VERIFIED"},
        ],
        "vehicle": [
            {"value": "34ABC123", "field": "plate",
             "outcome": "Tramer returns RENAULT CLIO 2021, chassis VF1RJA00067123456, engine H4MD738 (the docs' test car)"},
            {"value": f"any plate whose letters start with {TRAMER_NOT_FOUND_PREFIX} (e.g. 06ZZ1234)", "field": "plate",
             "outcome": "Tramer has no record: external-lookup answers 404, code TRAMER_RECORD_NOT_FOUND"},
            {"value": f"any plate whose letters start with {TRAMER_DOWN_PREFIX} (e.g. 06ZX1234)", "field": "plate",
             "outcome": "Tramer is unreachable: external-lookup answers 502, code TRAMER_UNAVAILABLE"},
            {"value": "any other valid plate", "field": "plate",
             "outcome": "a deterministic vehicle derived from the plate (same plate, same car)"},
        ],
        "property": [
            {"value": str(UAVT_FIXED), "field": "propertyNumber",
             "outcome": "a fixed address in İSTANBUL / KÜÇÜKÇEKMECE"},
            {"value": str(UAVT_DOWN), "field": "propertyNumber",
             "outcome": "the UAVT service is unreachable: 502, code UAVT_UNAVAILABLE"},
            {"value": DASK_FIXED_POLICY, "field": "daskOldPolicyNumber",
             "outcome": f"an old DASK policy for UAVT {UAVT_FIXED}: 120 m², built 2005, 4-7 floors, 3rd floor"},
            {"value": f"any 8-digit number starting with {DASK_NOT_FOUND_PREFIX}", "field": "daskOldPolicyNumber",
             "outcome": "no such policy: 404, code DASK_POLICY_NOT_FOUND"},
        ],
        "payment": [
            *[{"value": pan, "field": "card.number", "outcome": "the payment succeeds and a policy is issued "
               "(as does any other card that passes Luhn)"} for pan in CARD_SUCCESS],
            {"value": "4000000000000002", "field": "card.number",
             "outcome": "the bank declines: purchase_failed, failureReason 'Kart işlemi banka tarafından reddedildi.'"},
            {"value": "4000000000009995", "field": "card.number",
             "outcome": "insufficient funds: purchase_failed, failureReason 'Kartın limiti yetersiz.'"},
            {"value": "4000000000003220", "field": "card.number",
             "outcome": "3-D Secure authentication fails on the bank page (whatever code is typed): purchase_failed"},
            {"value": "4000000000000119", "field": "card.number",
             "outcome": "the card is charged but the insurer cannot issue the policy: "
                        "proposal_premium.purchase_failed with a failureReason naming the insurer"},
            {"value": "4000000000000259", "field": "card.number",
             "outcome": "the insurer never answers: the product stays PURCHASING for 10 minutes of the agent's "
                        "clock, then the purchase fails with a timeout failureReason (sync purchase: 504)"},
            {"value": PAYMENT_OTP_CODE, "field": "one-time code on a sandbox 3-D Secure or payment page",
             "outcome": "authenticates; any other code is refused (three wrong codes fail the payment)"},
        ],
        "proposal": [
            {"value": f"{MAGIC_FAIL_PREFIX} + insurer id padded to 20 digits (e.g. {magic_fail_id(43)})",
             "field": "coverageGroupIds[]",
             "outcome": "that insurer's products fail on the first attempt (errorMessage names the insurer); "
                        "a retry succeeds. Usable in every agent and branch without creating the group"},
            {"value": MAGIC_ALL_FAIL, "field": "coverageGroupIds[]",
             "outcome": "every product fails on the first attempt; a retry succeeds"},
            {"value": MAGIC_SLOW, "field": "coverageGroupIds[]",
             "outcome": "every insurer is slow: products arrive after 2-40 minutes on the agent's clock"},
            {"value": MAGIC_INVESTIGATION, "field": "coverageGroupIds[]",
             "outcome": "the first product stays WAITING with needsInvestigationByCompany=true until the "
                        "proposal is settled (POST /__sandbox/agents/{agentId}/proposals/{id}/settle)"},
            {"value": f"a vehicle whose plate letters are {PROPOSAL_FAIL_LETTERS} and digits an insurer id "
                      f"(e.g. 34{PROPOSAL_FAIL_LETTERS}043: two letters take 3-4 digits)", "field": "vehicleId (the vehicle's plate)",
             "outcome": "that insurer fails on the first attempt for kasko, trafik and IMM proposals"},
            {"value": f"a vehicle whose plate letters are {PROPOSAL_SLOW_LETTERS} (e.g. 34{PROPOSAL_SLOW_LETTERS}01)",
             "field": "vehicleId (the vehicle's plate)", "outcome": "every insurer is slow (as the slow group)"},
            {"value": f"a vehicle whose plate letters are {PROPOSAL_INVESTIGATION_LETTERS} "
                      f"(e.g. 34{PROPOSAL_INVESTIGATION_LETTERS}01)", "field": "vehicleId (the vehicle's plate)",
             "outcome": "the first product waits for investigation (as the investigation group)"},
        ],
    }
