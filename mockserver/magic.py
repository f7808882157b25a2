"""Magic values: inputs that force an outcome, like card numbers in a payment sandbox.

This module is the single source: ``GET /__sandbox/magic`` serves it, ``contracts/magic-values.json``
is generated from it (a test keeps them equal) and the README lists it.
"""

from __future__ import annotations

from typing import Any

from mockserver.validators.turkish import make_tckn

FIXED_OTP_CODE = "123456"
FIXED_OTP_PHONE_PREFIX = "555000"  # 555000xxxx: every OTP sent to it is 123456
SMS_FAILURE_PHONE = "5559999999"
MERNIS_DOWN_TCKN = make_tckn("222222222")
MERNIS_UNKNOWN_TCKN = make_tckn("333333333")
DOCS_TEST_TCKN = "11111111110"
TRAMER_FIXED_PLATE = (34, "ABC123")
TRAMER_NOT_FOUND_PREFIX = "ZZ"
TRAMER_DOWN_PREFIX = "ZX"
UAVT_FIXED = 1234567890
UAVT_DOWN = 1999999999
DASK_FIXED_POLICY = "12345678"
DASK_NOT_FOUND_PREFIX = "9"


def catalogue() -> dict[str, Any]:
    return {
        "otp": [
            {"value": f"{FIXED_OTP_PHONE_PREFIX}0000-{FIXED_OTP_PHONE_PREFIX}9999", "field": "phoneNumber.number",
             "outcome": f"the SMS code is always {FIXED_OTP_CODE} (for manual testing without reading the outbox)"},
            {"value": SMS_FAILURE_PHONE, "field": "phoneNumber.number",
             "outcome": "the SMS provider fails: login-or-register answers 502 upstream-service, code SMS_DELIVERY_FAILED"},
        ],
        "identity": [
            {"value": DOCS_TEST_TCKN, "field": "identityNumber", "outcome": "a valid TCKN (the docs' test number); registers normally"},
            {"value": MERNIS_DOWN_TCKN, "field": "identityNumber",
             "outcome": "MERNIS is unreachable on first registration: 502 upstream-service, code MERNIS_UNAVAILABLE"},
            {"value": MERNIS_UNKNOWN_TCKN, "field": "identityNumber",
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
    }
