"""Operations of the InsurUp API (docs and SDK path table) that this version does not implement.
They answer 501 ``feature-not-supported`` naming the operation, never a fake success, and never a
404 that would make a client think it called the wrong path."""

ALL = ("GET", "POST", "PUT", "DELETE")

OPERATIONS: list[tuple[str, tuple[str, ...], str]] = [
    ("/proposals/{proposalId}/{rest:path}", ALL, "proposal operations (representative, branch, customer document)"),
    ("/proposals/analytics/{rest:path}", ("POST",), "proposal analytics"),
    ("/coverage-choices:oss", ("GET",), "OSS coverage choices"),
    ("/coverage-choices:seyahat-saglik", ("GET",), "travel health coverage choices"),
    ("/coverage-choices:yabanci-saglik", ("GET",), "foreigner health coverage choices"),
    ("/cases/communication-automations", ("GET",), "case communication automations"),
    ("/cases/priority-templates", ("GET",), "case priority templates"),
    ("/cases/analytics/{rest:path}", ("POST",), "case analytics"),
    ("/policies/manual", ("POST",), "manual policies"),
    ("/policies/manual/{policyId}", ("PUT",), "manual policies"),
    ("/policies/analytics/{rest:path}", ("POST",), "policy analytics"),
    ("/policies/{policyId}/{rest:path}", ALL, "policy operations (representative, branch)"),
    ("/policy-transfers", ("GET", "POST"), "policy transfers"),
    ("/policy-transfers/{rest:path}", ALL, "policy transfers"),
    ("/customers/{customerId}/assets", ("GET",), "customer assets"),
    ("/customers/external-lookup", ("POST",), "customer registry lookup"),
    ("/agent-branches", ("GET", "POST"), "agent branches"),
    ("/agent-roles", ("GET", "POST"), "agent roles"),
    ("/oauth-clients", ("GET", "POST"), "OAuth clients"),
    ("/banks", ("GET",), "banks"),
    ("/financial-institutions", ("GET",), "financial institutions"),
    ("/connect/authorize", ("GET", "POST"), "browser login (authorization code + PKCE)"),
    ("/connect/userinfo", ("GET",), "OIDC userinfo"),
]
