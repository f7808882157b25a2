"""Typed settings. Every value has an embedded default, so the sandbox starts with no configuration;
each can be overridden by an ``INSURUP_SANDBOX_*`` environment variable or a CLI option."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


DOCUMENTED_PASSWORD = "sandbox-password"
DOCUMENTED_CLIENT_SECRET = "sandbox-client-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INSURUP_SANDBOX_", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    seed: int = 20240601
    default_agent_id: str | None = None
    # a file (YAML or JSON) in the POST /__sandbox/agents body format: the default agent's id, seed,
    # credentials, coverage groups with ids, connections, customerMfa, ...; default_agent_id wins
    default_agent_fixture: str | None = None
    # a drifted sandbox for the contract suite's own tests: "planted" or a YAML profile file
    # (mockserver.http.drift); never set for integrators
    drift_profile: str | None = None
    default_agent_user_email: str = "agent@sandbox.insurup.test"
    # None: the documented defaults below on an open control plane, random secrets on a closed one
    default_agent_user_password: str | None = None
    default_client_id: str = "sandbox-service-account"
    default_client_secret: str | None = None
    market: str = "TR"

    # durable state (mockserver.store): None keeps everything in memory, as before
    data_dir: str | None = None
    snapshot_every: int = Field(5000, ge=10)  # log records between two background snapshots

    # the control plane (/__sandbox): "auto" is open on a loopback bind without an admin token and
    # closed otherwise; closed means an admin token for sandbox-wide calls and an agent's control
    # token (or the admin token) for that agent's calls
    admin_token: str | None = None
    control_plane: Literal["auto", "open", "closed"] = "auto"
    public_agent_creation: bool = False  # closed plane: may anyone create (only) a new agent of their own?
    max_agents: int = Field(1000, ge=1)

    max_body_bytes: int = 1024 * 1024
    # POST /__sandbox/agents, which may carry a snapshot: an agent of a few thousand customers exports
    # several megabytes, and what GET …/snapshot answered must go back in
    max_snapshot_bytes: int = Field(64 * 1024 * 1024, ge=1024)
    # the names (Host header) a served sandbox answers for, comma-separated; "*" for any. Empty:
    # ``serve`` picks the loopback names on a loopback bind (a web page cannot reach it by DNS
    # rebinding) and any name otherwise; an app not served on a network checks nothing
    allowed_hosts: str = ""
    # every JSON 2xx answer validated against its route's declared model (mockserver.http.conformance):
    # for the sandbox's own tests, never needed to serve
    check_responses: bool = False

    # slow and greedy clients (the served HTTP server; see mockserver.http.server)
    header_read_timeout: float = Field(10.0, gt=0)  # seconds to send a request's headers
    body_read_timeout: float = Field(15.0, gt=0)  # seconds to send a request's whole body
    write_timeout: float = Field(30.0, gt=0)  # seconds a client may leave an answer unread before it is cut
    keep_alive_timeout: float = Field(5.0, gt=0)  # an idle keep-alive connection is closed after this
    shutdown_timeout: float = Field(5.0, gt=0)  # graceful shutdown waits at most this for requests
    max_header_bytes: int = Field(64 * 1024, ge=1024)
    max_connections: int = Field(1000, ge=1)  # open sockets; past it a new one gets 503 and is closed
    max_inflight: int = Field(512, ge=1)  # requests being read or answered; past it: 503 + Retry-After
    journal_size: int = 500
    event_log_size: int = 5000
    sms_outbox_size: int = 200

    customer_access_ttl: int = 600
    customer_refresh_ttl: int = 30 * 24 * 3600
    agent_user_access_ttl: int = 600
    agent_user_refresh_ttl: int = 14 * 24 * 3600
    service_token_ttl: int = 3600
    otp_ttl: int = 300
    otp_max_attempts: int = 5

    webhook_timeout: float = Field(30.0, gt=0)  # seconds a receiver has to answer one delivery
    deliverer_interval: float = Field(0.2, gt=0)  # how often due deliveries and live agents are checked
    webhook_concurrency: int = Field(4, ge=1)  # requests in flight to one destination (scheme, host, port)
    webhook_rate: float = Field(50.0, gt=0)  # requests started per second to one destination
