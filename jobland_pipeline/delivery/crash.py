"""A test hook for crash tests: ``JOBLAND_TEST_KILL_AT=<point>`` kills the process there with SIGKILL.

Exactly-once delivery is a claim about what survives a kill at any moment, so the crash tests kill a
child process at named points of the delivery (``after_claim``, ``after_tmp``, ``after_link``,
``after_send``, ``after_mark``, ``after_ledger``) and check what the next run makes of it. Unset (always,
outside those tests) the hook does nothing but read one environment variable.
"""

from __future__ import annotations

import os
import signal

ENV = "JOBLAND_TEST_KILL_AT"


def crash_point(name: str) -> None:
    """Die here, as a power cut or ``kill -9`` would, when the crash test asked for this point."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
