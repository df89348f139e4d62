"""Fleet members capturing into one vault path at once: every capture is kept, none refused."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from automation.execute.context import StepRun
from automation.secret import Secret
from automation.targets import Target
from automation.vault import open_vault
from automation.vault.namespaced import NamespacedVault

MEMBERS = 6
PATH = "procore/apps/App/production"


class TestConcurrentCaptures:
    """Captures racing for one path: a lost check-and-set writes again, on top."""

    @pytest.mark.parametrize("kind", ["memory", "file"])
    def test_all_land(self, kind: str, tmp_path: Path) -> None:
        url = "memory:" if kind == "memory" else f"file:{tmp_path / 'vault.enc'}"
        shared = open_vault(url, env={})
        start = threading.Barrier(MEMBERS)
        errors: list[BaseException] = []

        def member(index: int) -> None:
            vault = shared if kind == "memory" else open_vault(url, env={})
            browser: Any = None  # storing a secret drives no browser
            run = StepRun(f"member{index}.promote", "capture", Target("sandbox", {}),
                          NamespacedVault(vault, "sandbox"), browser, tmp_path / f"run{index}",
                          False, vault_path=PATH, rescue_dir=tmp_path / "rescue")
            start.wait()
            try:
                run.store_secrets({"client_id": f"id-{index}", "client_secret": f"cs-{index}"})
            except BaseException as error:  # a refused capture is the failure this test is about
                errors.append(error)

        threads = [threading.Thread(target=member, args=(i,)) for i in range(MEMBERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        view = NamespacedVault(shared, "sandbox")
        history = view.history(PATH)
        assert len(history) == MEMBERS
        kept = {view.get(PATH, v.version)["client_secret"].reveal() for v in history}
        assert kept == {f"cs-{i}" for i in range(MEMBERS)}
        assert not list((tmp_path / "rescue").glob("*.rescue"))  # each left custody cleanly
        assert isinstance(view.get(PATH)["client_id"], Secret)
