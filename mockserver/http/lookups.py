"""The records a path names, as the caller may see them: shared by the route modules that read the
same resource (a record outside the caller's reach is not found, never forbidden: the real API hides
what a caller cannot read)."""

from __future__ import annotations

from mockserver.core.errors import NotFound
from mockserver.domain import policies, proposals
from mockserver.http.framework import CUSTOMER, Ctx


def customer_scope(ctx: Ctx) -> str | None:
    """A customer caller's own id (their records only); None for agency callers."""
    return ctx.principal.subject if ctx.principal and ctx.principal.kind == CUSTOMER else None


def proposal_of(ctx: Ctx) -> proposals.Proposal:
    """``{proposalId}``'s proposal."""
    agent, _ = ctx.authenticate()
    found = proposals.get(agent, ctx.params["proposalId"], customer_scope(ctx))
    return ctx.within_role(found, "proposals:read", NotFound(f"Proposal '{found.id}' was not found.",
                                                              codes=["PROPOSAL_NOT_FOUND"]))


def product_of(ctx: Ctx) -> tuple[proposals.Proposal, proposals.ProposalProduct]:
    """``{proposalId}``'s proposal and its ``{productId}``."""
    p = proposal_of(ctx)
    return p, p.product(ctx.params["productId"])


def policy_of(ctx: Ctx) -> policies.Policy:
    """``{policyId}``'s policy."""
    agent, _ = ctx.authenticate()
    found = policies.get(agent, ctx.params["policyId"], customer_scope(ctx))
    return ctx.within_role(found, "policies:read", NotFound(f"Policy '{found.id}' was not found.",
                                                            codes=["POLICY_NOT_FOUND"]))
