"""The ``jobland`` command line: outside the domain core (it may import the Dagster wiring to run)."""

from jobland_cli.main import main

__all__ = ["main"]
