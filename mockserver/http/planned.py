"""Operations of the InsurUp API (docs and SDK path table) that this version does not implement.

They answer 501 ``feature-not-supported`` naming the operation, never a fake success, and never a
404 that would make a client think it called the wrong path. Each claims exactly the methods its
sources document, so any other method on the path is a 405 with ``Allow`` (no catch-all: a PUT
on a path the API only reads is a wrong method, not a missing feature).
"""

OPERATIONS: list[tuple[str, tuple[str, ...], str]] = [
    # proposals (reference A.4, SDK; the real B2C site's unwired document paths)
    ("/proposals/{proposalId}/representative", ("POST",), "proposal representative"),
    ("/proposals/{proposalId}/branch", ("POST",), "proposal branch"),
    ("/proposals/{proposalId}/customer-document-pdf", ("GET",), "proposal customer document"),
    ("/proposals/{proposalId}/products/{productId}/documents/clarificationtext", ("GET",),
     "proposal clarification text document"),
    ("/proposals/{proposalId}/products/{productId}/documents/policy", ("GET",), "proposal policy document"),
    ("/proposals/analytics/conversion-trend", ("POST",), "proposal analytics"),
    ("/coverage-choices:oss", ("GET",), "OSS coverage choices"),
    ("/coverage-choices:seyahat-saglik", ("GET",), "travel health coverage choices"),
    ("/coverage-choices:yabanci-saglik", ("GET",), "foreigner health coverage choices"),
    # cases (CLI)
    ("/cases/communication-automations", ("GET",), "case communication automations"),
    ("/cases/priority-templates", ("GET",), "case priority templates"),
    ("/cases/analytics/sales-opportunity-funnel", ("POST",), "case analytics"),
    ("/cases/analytics/open-case-backlog-pivot", ("POST",), "case analytics"),
    ("/cases/analytics/failed-cases-reason-distribution", ("POST",), "case analytics"),
    # policies (reference A.4, CLI)
    ("/policies/manual", ("POST",), "manual policies"),
    ("/policies/manual/{policyId}", ("PUT",), "manual policies"),
    ("/policies/{policyId}/representative", ("POST",), "policy representative"),
    ("/policies/{policyId}/branch", ("POST",), "policy branch"),
    ("/policies/analytics/count-and-premium", ("POST",), "policy analytics"),
    ("/policies/analytics/renewal", ("POST",), "policy analytics"),
    ("/policies/analytics/distribution-by-branch", ("POST",), "policy analytics"),
    ("/policies/analytics/representative-earnings", ("POST",), "policy analytics"),
    ("/policy-transfers", ("GET", "POST"), "policy transfers"),
    ("/policy-transfers/{transferId}", ("GET",), "policy transfers"),
    ("/policy-transfers/{transferId}/trigger", ("POST",), "policy transfers"),
    ("/policy-transfers/{transferId}/triggers/{triggerId}", ("GET",), "policy transfers"),
    # customers (reference A.4)
    # agency administration (reference A.4, CLI)
    ("/banks", ("GET",), "banks"),
    ("/financial-institutions", ("GET",), "financial institutions"),
]
