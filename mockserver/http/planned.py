"""Operations of the InsurUp API (docs and SDK path table) that this version does not implement.
They answer 501 ``feature-not-supported`` naming the operation, never a fake success, and never a
404 that would make a client think it called the wrong path."""

ALL = ("GET", "POST", "PUT", "DELETE")

OPERATIONS: list[tuple[str, tuple[str, ...], str]] = [
    ("/proposals", ("GET", "POST"), "proposals"),
    ("/proposals/{proposalId}", ("GET",), "proposal detail"),
    ("/proposals/{proposalId}/{rest:path}", ALL, "proposal operations"),
    ("/cases/communication-automations", ("GET",), "case communication automations"),
    ("/cases/priority-templates", ("GET",), "case priority templates"),
    ("/cases/analytics/{rest:path}", ("POST",), "case analytics"),
    ("/policies", ("GET",), "policies"),
    ("/policies/{policyId}", ("GET",), "policy detail"),
    ("/policies/{policyId}/{rest:path}", ALL, "policy documents and operations"),
    ("/coverage-choices:kasko", ("GET",), "kasko coverage choices"),
    ("/coverage-choices:konut", ("GET",), "konut coverage choices"),
    ("/coverage-choices:tss", ("GET",), "TSS coverage choices"),
    ("/coverage-choices:imm", ("GET",), "IMM coverage choices"),
    ("/coverage-groups", ("GET", "POST"), "coverage groups"),
    ("/coverage-groups/{id}", ("GET", "PUT", "DELETE"), "coverage groups"),
    ("/webhooks", ("GET", "POST"), "webhooks"),
    ("/webhooks/{rest:path}", ALL, "webhooks"),
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
