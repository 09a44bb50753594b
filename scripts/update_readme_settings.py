"""Regenerate the README's settings table from the resources' settings fields (tests/test_docs.py checks it)."""

import subprocess
import sys
from pathlib import Path

readme = Path(__file__).resolve().parent.parent / "README.md"
table = subprocess.run(
    [sys.executable, "-m", "jobland_cli", "settings"], capture_output=True, text=True, check=True
).stdout
text = readme.read_text(encoding="utf-8")
head, rest = text.split("<!-- settings:start -->", 1)
_, tail = rest.split("<!-- settings:end -->", 1)
readme.write_text(f"{head}<!-- settings:start -->\n{table}<!-- settings:end -->{tail}", encoding="utf-8")
