"""The artifacts tests run the real ``runbook`` command in the DMSA tests' mock world."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "dmsa"))  # world.py
