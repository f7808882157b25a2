"""Where a scenario runs: the in-process sandbox, a sandbox over HTTP, or a real base URL, and how a
one-time code is had on each."""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

import httpx

from mockserver.contract.values import StepFailed, Vars


_AGENT_PATHS = ("/__sandbox/agents/", "/__sandbox/certifications/")  # an agent's own control token drives these


class Target:
    """Where scenarios run. ``sandbox`` targets get a fresh agent per scenario."""

    def __init__(self, client: httpx.AsyncClient, label: str, sandbox: bool):
        self.client, self.label, self.sandbox = client, label, sandbox
        # hooks of the contract suite: ``guard(method, path, vars)`` may refuse a request before it
        # is sent; ``observer(exchange)`` sees every answer (step name, method, path, status, body)
        self.guard: Any = None
        self.observer: Any = None
        self.purchases_ok = False  # a real target: both purchase opt-ins were given
        # a closed control plane: the admin token (environment) creates agents, each agent's own
        # control token drives it; both ride on control-plane requests only
        self.admin_token = os.environ.get("INSURUP_SANDBOX_ADMIN_TOKEN")
        self.control_token: str | None = None
        if sandbox:
            client.event_hooks.setdefault("request", []).append(self._sign)

    async def _sign(self, request: httpx.Request) -> None:
        if request.url.path.startswith("/__sandbox/") and "x-sandbox-token" not in request.headers:
            token = self.control_token if request.url.path.startswith(_AGENT_PATHS) else None
            token = token or self.admin_token
            if token:
                request.headers["X-Sandbox-Token"] = token

    async def setup(self, vars: Vars, spec: dict[str, Any]) -> None:
        if self.sandbox:
            if spec.get("certification") is not None:  # a certification session: its own agent, judged at the end
                body = {"partner": str(spec.get("name") or "scenario")[:120], **vars.render(spec["certification"])}
                r = await self.client.post("/__sandbox/certifications", json=body)
            else:
                r = await self.client.post("/__sandbox/agents", json=vars.render(spec.get("fixture") or {}))
            if r.status_code != 201:
                raise StepFailed(f"could not create a sandbox agent: {r.status_code} {r.text[:300]}")
            a = r.json()
            self.control_token = a.get("controlToken")
            vars.update(agentId=a["agentId"], clientId=a["serviceAccount"]["clientId"],
                        clientSecret=a["serviceAccount"]["clientSecret"], agentUserEmail=a["agentUser"]["email"],
                        agentUserPassword=a["agentUser"]["password"])
        else:
            for var, env in (("agentId", "INSURUP_AGENT_ID"), ("clientId", "INSURUP_CLIENT_ID"),
                             ("clientSecret", "INSURUP_CLIENT_SECRET"), ("agentUserEmail", "INSURUP_AGENT_USER_EMAIL"),
                             ("agentUserPassword", "INSURUP_AGENT_USER_PASSWORD")):
                if os.environ.get(env):
                    vars[var] = os.environ[env]

    async def teardown(self, vars: Vars) -> None:
        if self.sandbox and "agentId" in vars:
            await self.client.delete(f"/__sandbox/agents/{vars['agentId']}")

    async def otp(self, vars: Vars, phone: str) -> str:
        if self.sandbox:
            r = await self.client.get(f"/__sandbox/agents/{vars['agentId']}/sms", params={"to": phone})
            items = r.json() if r.status_code == 200 else []
            if not items:
                raise StepFailed(f"no SMS to {phone} in the sandbox outbox")
            return items[-1]["code"]
        return otp_from_provider(phone)


def otp_from_provider(phone: str) -> str:
    """The SMS code for a real target, from the first provider configured (never logged):
    ``INSURUP_OTP_CODE`` (a fixed code), ``INSURUP_OTP_COMMAND`` (a command given the phone number,
    printing the code), ``INSURUP_OTP_TOTP_SECRET`` (a base32 TOTP secret, for accounts whose second
    factor is an authenticator), or a prompt when a person sits at the terminal."""
    import sys

    if os.environ.get("INSURUP_OTP_CODE"):
        return os.environ["INSURUP_OTP_CODE"]
    if os.environ.get("INSURUP_OTP_COMMAND"):
        out = subprocess.run(shlex.split(os.environ["INSURUP_OTP_COMMAND"]) + [phone], capture_output=True,
                             text=True, timeout=120, check=False)
        if out.returncode != 0 or not out.stdout.strip():
            raise StepFailed(f"INSURUP_OTP_COMMAND gave no code (exit {out.returncode})")
        return out.stdout.strip()
    if os.environ.get("INSURUP_OTP_TOTP_SECRET"):
        import pyotp

        return pyotp.TOTP(os.environ["INSURUP_OTP_TOTP_SECRET"].strip()).now()
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"SMS code sent to {phone[:3]}****{phone[-2:]}: ").strip()
    raise StepFailed("set INSURUP_OTP_CODE, INSURUP_OTP_COMMAND or INSURUP_OTP_TOTP_SECRET (or run on a terminal) "
                     "to provide SMS codes from a real target")
