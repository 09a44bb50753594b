"""Packages -> one e-mail digest per user per day, written exactly once."""

from jobland_pipeline.delivery.digest import DigestItem, build_digest
from jobland_pipeline.delivery.outbox import AlreadyDelivered, write_once

__all__ = ["AlreadyDelivered", "DigestItem", "build_digest", "write_once"]
