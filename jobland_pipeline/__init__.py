"""JobLand domain core: plain Python, no Dagster import (only ``definitions.py`` wires Dagster)."""

__version__ = "0.1.0"
