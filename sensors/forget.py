"""Forgetting a user: their rows, packages, e-mails and delivery claims leave (the right to be
forgotten, or a user who left the inbox). Launched by the inbox sensor when a user's folder goes, or
from the UI's launchpad."""

from pathlib import Path

import dagster as dg

from jobland_pipeline.warehouse.forget import forget_searches, forget_user
from resources import MailerResource, PackageStoreResource, WarehouseResource


class ForgetConfig(dg.Config):
    user_id: str = ""  # a whole user (their files left the inbox, or they asked to be forgotten)
    search_keys: list[str] = []  # noqa: RUF012 - dg.Config copies defaults; searches a user no longer has


def user_folders(user_id: str, packages: PackageStoreResource, mailer: MailerResource) -> list[Path]:
    """The user's files outside the warehouse: their package folders and every digest written to them."""
    return [Path(packages.path) / user_id, *sorted(Path(mailer.outbox_dir).glob(f"*/{user_id}.eml"))]


@dg.op(description="Remove every row and file of one user, or the rows of searches a user no longer has.")
def forget_user_op(
    context: dg.OpExecutionContext,
    config: ForgetConfig,
    warehouse: WarehouseResource,
    packages: PackageStoreResource,
    mailer: MailerResource,
) -> None:
    if config.user_id:
        folders = user_folders(config.user_id, packages, mailer)
        context.log.info(forget_user(warehouse.store, config.user_id, folders=folders).summary())
        # The delivery claims name the user too (a state file per digest day, or a Postgres row).
        claims = mailer.claims()
        try:
            context.log.info(f"{config.user_id}: {claims.forget(config.user_id)} delivery claims removed")
        finally:
            claims.close()
    if config.search_keys:
        context.log.info(forget_searches(warehouse.store, config.search_keys).summary())


@dg.job(description="Forget a user: their rows, packages and e-mails are removed for good.")
def forget_job() -> None:
    forget_user_op()
