"""How the steps of a run execute: in the run's own process, one process per step, or on Celery workers.

Not a resource any asset uses: its fields are the settings that choose the Dagster executor, which
``definitions.py`` reads once (the one place the environment chooses).
"""

from __future__ import annotations

from collections.abc import Mapping

import dagster as dg

from jobland_pipeline.profiles.user_settings import SettingsError
from resources.settings import setting

EXECUTORS = ("in_process", "multiprocess", "celery")


class ExecutionResource(dg.ConfigurableResource):
    """The executor of the runs, and where Celery workers take their steps from."""

    executor: str = setting(
        "JOBLAND_EXECUTOR",
        "in_process",
        "How the steps of intake and search runs execute: in_process (the run's process), multiprocess "
        "(a process per step) "
        "or celery (Celery workers on any machine; see README 'Scaling out').",
    )
    celery_broker: str = setting(
        "JOBLAND_CELERY_BROKER",
        "amqp://guest:guest@127.0.0.1:5672//",
        "Celery broker the runs send steps to and the workers listen on (RabbitMQ).",
        secret=True,
    )
    celery_backend: str = setting(
        "JOBLAND_CELERY_BACKEND",
        "rpc://",
        "Celery result backend (rpc:// = answers come back through the broker).",
        secret=True,
    )
    celery_queue: str = setting(
        "JOBLAND_CELERY_QUEUE",
        "dagster",
        "Celery queue of the steps; workers listen with -Q (a queue per deployment sharing a broker).",
    )

    def executor_def(self, *, from_env: Mapping[str, str] | None = None) -> dg.ExecutorDefinition:
        """The chosen executor. With ``from_env`` (the process environment), a broker or backend set
        there is configured as ``{"env": ...}``, so a password in its URL never lands in a run's config."""
        if self.executor == "in_process":
            return dg.in_process_executor
        if self.executor == "multiprocess":
            return dg.multiprocess_executor
        if self.executor != "celery":
            raise SettingsError(f"JOBLAND_EXECUTOR={self.executor!r} is not one of {', '.join(EXECUTORS)}")
        from dagster_celery import celery_executor  # only where Celery is chosen

        def source(value: str, env: str) -> str | dict[str, str]:
            return {"env": env} if from_env is not None and from_env.get(env) else value

        return celery_executor.configured(
            {
                "broker": source(self.celery_broker, "JOBLAND_CELERY_BROKER"),
                "backend": source(self.celery_backend, "JOBLAND_CELERY_BACKEND"),
                "config_source": {"task_default_queue": self.celery_queue},
            },
            name="celery",
        )
