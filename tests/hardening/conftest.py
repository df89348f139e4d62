"""Fixtures for the hardening tests; the helpers themselves are in ``hardening_world.py``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_world import Tmpfs


@pytest.fixture
def make_tmpfs(tmp_path: Path) -> Iterator[object]:
    """Mounts tmpfs filesystems for the test (root only; skipped otherwise), unmounted after."""
    mounted: list[Path] = []

    def make(name: str, size: str = "256k") -> Tmpfs:
        path = tmp_path / name
        path.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                               str(path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"needs root to mount a tmpfs: {done.stderr.strip()}")
        mounted.append(path)
        return Tmpfs(path)

    yield make
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)
