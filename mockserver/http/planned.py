"""Operations of the InsurUp API (docs and SDK path table) that this version does not implement.

They answer 501 ``feature-not-supported`` naming the operation, never a fake success, and never a
404 that would make a client think it called the wrong path. Each claims exactly the methods its
sources document, so any other method on the path is a 405 with ``Allow`` (no catch-all: a PUT
on a path the API only reads is a wrong method, not a missing feature). Each is listed with the
reason in FIDELITY.md, "Not simulated".
"""

OPERATIONS: list[tuple[str, tuple[str, ...], str]] = [  # (path, methods, operation): its reason is in WHY
    # another InsurUp client's OTP login (reference A.1): no source shows its body
    ("/authentication:customer/send-otp", ("POST",), "the OTP-only customer login"),
    # cases (CLI): the SDK gives the shape, no source one automation
    ("/cases/communication-automations", ("GET",), "case communication automations"),
    # InsurUp's own content (CLI): no source gives one entry
    ("/resource-keys", ("GET",), "resource keys"),
    ("/release-notes", ("GET",), "release notes"),
    # the real B2C site's dead code (coded, never called): older purchase paths
    ("/proposals/{proposalId}/payment", ("POST",), "the older proposal payment call"),
    ("/proposals/{proposalId}/products/{productId}/purchase", ("POST",), "the older product purchase call"),
    ("/proposals/{proposalId}/products/{productId}/purchase:3d-secure", ("POST",),
     "the older 3-D Secure purchase call"),
    ("/proposals/{proposalId}/products/{productId}/send-preinfo-form", ("POST",), "the older pre-information form call"),
]

# why each is not simulated (the 501's detail says it; FIDELITY.md, "Not simulated", says it at length)
WHY: dict[str, str] = {
    "the OTP-only customer login": "only another client shows it, with no body; use auth/customer/login-or-register",
    "case communication automations": "the SDK gives their shape ({id, name, arguments}) but no source names one "
                                      "automation, what it sends or how an agency turns it on",
    "resource keys": "InsurUp's own localisation strings ({languageId, key, value}); no source gives one key",
    "release notes": "InsurUp's product news: nothing to simulate",
    "the older proposal payment call": "the real site's dead code; buy with …/products/{id}/purchase/async or /sync",
    "the older product purchase call": "the real site's dead code; buy with …/purchase/async or …/purchase/sync",
    "the older 3-D Secure purchase call": "the real site's dead code; buy with …/purchase/async",
    "the older pre-information form call": "the real site's dead code; send it with …/information-form/send",
}
