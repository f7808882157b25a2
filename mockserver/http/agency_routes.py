"""The agency's people and settings over REST: its users (``/agent-users``, the caller's own account
included), branches, roles, OAuth clients and ``PUT agents/me`` (reference A.4, the CLI's agent-users,
agent-branches, agent-roles, oauth-clients and agents commands). The CLI's "no-content" calls answer 204; its GETs always answer a
JSON body (``check-invite-code`` included)."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.errors import AccessDenied
from mockserver.domain import agency, branches, roles, users
from mockserver.http.framework import SERVICE_ACCOUNT, Ctx, no_content, ok, Routes
from mockserver.security.tokens import AGENT_USER
from mockserver.wire import models as w


routes = Routes("/agents", "/agent-users", "/agent-branches", "/agent-roles", "/oauth-clients", auth="agent")

U = "/agent-users/{agentUserId}"
B = "/agent-branches/{branchId}"
R = "/agent-roles/{roleId}"
O = "/oauth-clients/{clientId}"


def _me(ctx: Ctx):
    agent, principal = ctx.require_agent()
    if principal.kind == SERVICE_ACCOUNT:
        raise AccessDenied("This call is for an agent user's own account; the token is a service account's.",
                           codes=["AGENT_USER_TOKEN_REQUIRED"])
    return agent, users.user(agent, principal.subject)


def _acting(ctx: Ctx) -> str | None:
    return ctx.principal.subject if ctx.principal is not None else None


def _granter(ctx: Ctx, agent):
    """The agent user making an administrative call (None: a service account, owner-level)."""
    p = ctx.principal
    return agent.agent_users.get(p.subject) if p is not None and p.kind == AGENT_USER else None


def _caller_account(ctx: Ctx) -> str | None:
    p = ctx.principal
    return p.subject if p is not None and p.kind == SERVICE_ACCOUNT else None


# ----------------------------------------------------------------------------- the caller
@routes("GET", "/agent-users/me", resource="me", permission=None, summary="The logged-in agent user or service account", tag="agents",
       auth="agent", response=w.AgentUserMe)
async def agent_user_me(ctx: Ctx) -> Response:
    agent, principal = ctx.authenticate()
    if principal.kind == SERVICE_ACCOUNT:
        account = next(a for a in agent.service_accounts.values() if a.id == principal.subject)
        return ok(users.render_caller(users.Caller(agent, None, account)))
    return ok(users.render_caller(users.Caller(agent, agent.agent_users[principal.subject], None)))


@routes("PUT", "/agent-users/me", resource="me", summary="Change the caller's own name, phone or two-factor setting", tag="agents",
       auth="agent", request=w.AgentUserUpdate, status=204)
async def update_me(ctx: Ctx) -> Response:
    agent, u = _me(ctx)
    users.update_user(agent, u, await ctx.model(), self_service=True)
    return no_content()


@routes("PUT", "/agent-users/me/password", resource="me", summary="Change the caller's password (the current one is asked)",
       tag="agents", auth="agent", request=w.PasswordChange, status=204)
async def change_password(ctx: Ctx) -> Response:
    agent, u = _me(ctx)
    users.change_password(agent, u, await ctx.model())
    return no_content()


@routes("GET", "/agent-users/me/robot-code", resource="me", summary="The caller's robot code (stable per user)", tag="agents",
       auth="agent", response=w.RobotCode)
async def robot_code(ctx: Ctx) -> Response:
    agent, u = _me(ctx)
    return ok(users.robot_code(agent, u))


# ----------------------------------------------------------------------------- invitations
def _invited(ctx: Ctx, code: object):
    """The agency an invitation code belongs to (the call is then its, in its journal)."""
    agent = ctx.sandbox.agent_of_invite(code)
    if agent is None:
        raise users.invite_unknown()
    ctx.bind(agent)
    return agent


@routes("POST", "/agent-users/invite", permission="agent-users:manage", summary="Invite an agent user (an e-mail with a code; pending until accepted)",
       tag="agents", auth="agent", request=w.AgentUserInvite, status=204)
async def invite(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    made = users.invite(agent, await ctx.model(), ctx.base_url(), _granter(ctx, agent))
    response = no_content()
    response.headers["Location"] = f"/api/agent-users/{made.id}"
    return response


@routes("GET", "/agent-users/check-invite-code", summary="What an invitation code is for (the accept page reads it)",
       tag="agents", auth="none", query=w.InviteCodeQuery, response=w.InviteCheck)
async def check_invite(ctx: Ctx) -> Response:
    code = ctx.q.code
    return ok(users.check_invite(_invited(ctx, code), code))


@routes("POST", "/agent-users/accept-invite", summary="Accept an invitation: set the password; the user is active",
       tag="agents", auth="none", request=w.AcceptInvite, status=204)
async def accept_invite(ctx: Ctx) -> Response:
    req = await ctx.model()
    users.accept_invite(_invited(ctx, req.code), req)
    return no_content()


@routes("POST", U + "/re-send-invite", permission="agent-users:manage", summary="Send a pending user's invitation again (a new code)", tag="agents",
       auth="agent", status=204)
async def resend_invite(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    users.resend(agent, users.user(agent, ctx.params["agentUserId"]), ctx.base_url())
    return no_content()


# ----------------------------------------------------------------------------- users
@routes("GET", U, permission="agent-users:manage", summary="One agent user", tag="agents", auth="agent", response=w.AgentUserOut)
async def get_user(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(users.user_wire(agent, users.user(agent, ctx.params["agentUserId"])))


@routes("PUT", U, permission="agent-users:manage", summary="Change an agent user's name, phone, two-factor, role or branches", tag="agents",
       auth="agent", request=w.AgentUserUpdate, status=204)
async def update_user(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    users.update_user(agent, users.user(agent, ctx.params["agentUserId"]), await ctx.model(), self_service=False,
                      acting=_granter(ctx, agent))
    return no_content()


@routes("DELETE", U, permission="agent-users:manage", summary="Delete a pending agent user (others are deactivated)", tag="agents", auth="agent",
       status=204)
async def delete_user(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    users.delete_user(agent, users.user(agent, ctx.params["agentUserId"]))
    return no_content()


@routes("POST", U + "/activate", permission="agent-users:manage", summary="Activate a passive agent user (their rights come back)", tag="agents",
       auth="agent", status=204)
async def activate(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    users.set_active(agent, users.user(agent, ctx.params["agentUserId"]), True, _acting(ctx), _granter(ctx, agent))
    return no_content()


@routes("POST", U + "/deactivate", permission="agent-users:manage", summary="Deactivate an agent user: no login; live tokens answer 403", tag="agents",
       auth="agent", status=204)
async def deactivate(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    users.set_active(agent, users.user(agent, ctx.params["agentUserId"]), False, _acting(ctx), _granter(ctx, agent))
    return no_content()


# ----------------------------------------------------------------------------- the agency
@routes("GET", "/agents/me", resource="me", summary="The caller's agency", tag="agents", response=w.AgentOut)
async def agent_me(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(agency.render(agent))


@routes("PUT", "/agents/me", resource="me", permission="agency:manage", summary="Change the agency's settings: profile, SMS and call-center options, case "
       "representative assignment, case priority rules", tag="agents", auth="agent", request=w.AgentUpdate, status=204)
async def update_agency(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    agency.update(agent, await ctx.model())
    return no_content()


# ----------------------------------------------------------------------------- branches
@routes("GET", "/agent-branches", summary="The agency's branches (a tree: parentId)", tag="agents", auth="agent",
       response=list[w.AgentBranchOut])
async def list_branches(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([branches.branch_wire(agent, b) for b in agent.branches.values()])


@routes("POST", "/agent-branches", permission="agent-users:manage", summary="Create a branch (answers its id as a JSON string)", tag="agents",
       auth="agent", request=w.AgentBranchRequest, response=str)
async def create_branch(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(branches.save_branch(agent, await ctx.model()).id)


@routes("GET", B, summary="One branch", tag="agents", auth="agent", response=w.AgentBranchOut)
async def get_branch(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(branches.branch_wire(agent, branches.branch(agent, ctx.params["branchId"])))


@routes("PUT", B, permission="agent-users:manage", summary="Rename or move a branch", tag="agents", auth="agent", request=w.AgentBranchUpdate, status=204)
async def update_branch(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    branches.save_branch(agent, await ctx.model(), branches.branch(agent, ctx.params["branchId"]))
    return no_content()


@routes("DELETE", B, permission="agent-users:manage", summary="Delete a branch without sub-branches", tag="agents", auth="agent", status=204)
async def delete_branch(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    branches.delete_branch(agent, branches.branch(agent, ctx.params["branchId"]))
    return no_content()


# ----------------------------------------------------------------------------- roles
@routes("GET", "/agent-roles", permission="agent-roles:manage", summary="The agency's roles and what each permits", tag="agents", auth="agent",
       response=list[w.AgentRoleOut])
async def list_roles(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([roles.role_wire(agent, r) for r in agent.roles.values()])


@routes("POST", "/agent-roles", permission="agent-roles:manage", summary="Create a role: a name and permissions with scopes (All, Own, Branch)",
       tag="agents", auth="agent", request=w.AgentRoleRequest, status=204)
async def create_role(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    made = roles.save_role(agent, await ctx.model(), by=ctx.actor(), acting=_granter(ctx, agent))
    response = no_content()
    response.headers["Location"] = f"/api/agent-roles/{made.id}"
    return response


@routes("GET", R, permission="agent-roles:manage", summary="One role", tag="agents", auth="agent", response=w.AgentRoleOut)
async def get_role(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(roles.role_wire(agent, roles.role(agent, ctx.params["roleId"])))


@routes("PUT", R, permission="agent-roles:manage", summary="Rename a role or change its permissions (its users' calls follow at once)", tag="agents",
       auth="agent", request=w.AgentRoleUpdate, status=204)
async def update_role(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    roles.save_role(agent, await ctx.model(), roles.role(agent, ctx.params["roleId"]), by=ctx.actor(),
                    acting=_granter(ctx, agent))
    return no_content()


@routes("DELETE", R, permission="agent-roles:manage", summary="Delete a role (its users keep no rights)", tag="agents", auth="agent", status=204)
async def delete_role(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    roles.delete_role(agent, roles.role(agent, ctx.params["roleId"]), _granter(ctx, agent))
    return no_content()


# ----------------------------------------------------------------------------- OAuth clients (service accounts)
@routes("GET", "/oauth-clients", summary="The agency's OAuth clients (service accounts; secrets never shown)",
       tag="agents", auth="agent", response=list[w.ApiClientOut])
async def list_clients(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok([users.account_wire(a) for a in agent.service_accounts.values()])


@routes("POST", "/oauth-clients", permission="agent-users:manage", summary="Create an OAuth client for client_credentials (the secret is shown once)",
       tag="agents", auth="agent", request=w.ApiClientRequest, response=w.ApiClientOut, status=201)
async def create_client(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    roles.owner_only(agent, _granter(ctx, agent), "create an OAuth client (it acts with the agency's full rights)")
    made, secret = users.create_account(agent, await ctx.model())
    return ok(users.account_wire(made, secret), status=201)


@routes("GET", O, summary="One OAuth client", tag="agents", auth="agent", response=w.ApiClientOut)
async def get_client(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    return ok(users.account_wire(users.account(agent, ctx.params["clientId"])))


@routes("PUT", O, permission="agent-users:manage", summary="Rename, deactivate or reactivate an OAuth client", tag="agents", auth="agent",
       request=w.ApiClientUpdate, status=204)
async def update_client(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    roles.owner_only(agent, _granter(ctx, agent), "change an OAuth client (it acts with the agency's full rights)")
    users.update_account(agent, users.account(agent, ctx.params["clientId"]), await ctx.model(),
                         caller=_caller_account(ctx))
    return no_content()


@routes("DELETE", O, permission="agent-users:manage", summary="Revoke an OAuth client: no new tokens, live ones answer 401", tag="agents",
       auth="agent", status=204)
async def delete_client(ctx: Ctx) -> Response:
    agent, _ = ctx.require_agent()
    roles.owner_only(agent, _granter(ctx, agent), "revoke an OAuth client")
    users.delete_account(agent, users.account(agent, ctx.params["clientId"]), caller=_caller_account(ctx))
    return no_content()
