"""Completion webhooks: where the events go, the signing secret and the ledger folder."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from jobland_pipeline.delivery.webhooks import WebhookConfig
from jobland_pipeline.net import RetryPolicy
from jobland_pipeline.profiles.user_settings import SettingsError
from resources.settings import setting


class WebhookResource(dg.ConfigurableResource):
    """Signed completion events per user and day (see ``jobland_pipeline.delivery.webhooks``)."""

    urls: str = setting(
        "JOBLAND_WEBHOOK_URLS",
        "",
        "Comma-separated URLs that get a signed JSON event when a user's daily batch ends; empty = none.",
    )
    secret: str = setting(
        "JOBLAND_WEBHOOK_SECRET",
        "",
        "HMAC-SHA256 key signing each webhook (X-JobLand-Signature: v1=...; secret: never logged).",
        secret=True,
    )
    ledger_dir: str = setting(
        "JOBLAND_WEBHOOK_LEDGER_DIR",
        "{home}/webhooks",
        "Ledger of webhook events sent (one JSON file per user, day, event and URL: sent once).",
    )
    retries: int = setting(
        "JOBLAND_WEBHOOK_RETRIES",
        4,
        "Retries per webhook (backoff with jitter; 5xx, 429, dropped connections).",
    )
    timeout: float = 10.0
    backoff_base: float = 0.5

    @property
    def enabled(self) -> bool:
        return bool(self.urls.strip())

    def config(self) -> WebhookConfig:
        """The typed config; a URL list without a secret is refused (events must be signed)."""
        try:
            urls = WebhookConfig.parse_urls(self.urls)
        except ValueError as exc:
            raise SettingsError(str(exc)) from None
        if urls and not self.secret:
            raise SettingsError("JOBLAND_WEBHOOK_URLS is set but JOBLAND_WEBHOOK_SECRET is empty")
        return WebhookConfig(
            urls=urls,
            secret=self.secret,
            ledger_dir=Path(self.ledger_dir),
            timeout=self.timeout,
            retry=RetryPolicy(max_retries=self.retries, backoff_base=self.backoff_base, budget=120),
        )
