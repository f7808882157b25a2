"""Typed settings. Every value has an embedded default, so the sandbox starts with no configuration;
each can be overridden by an ``INSURUP_SANDBOX_*`` environment variable or a CLI option."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INSURUP_SANDBOX_", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    seed: int = 20240601
    default_agent_id: str | None = None
    default_agent_user_email: str = "agent@sandbox.insurup.test"
    default_agent_user_password: str = "sandbox-password"
    default_client_id: str = "sandbox-service-account"
    default_client_secret: str = "sandbox-client-secret"
    market: str = "TR"

    max_body_bytes: int = 1024 * 1024
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
