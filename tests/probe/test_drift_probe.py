"""The drift probe against the real mock portal after a DMSA run, on both Developer Portal
generations: with no fault every locator is found once; with the label-drift fault exactly the
renamed labels are reported, each with its new wording as the first candidate; and the probe
changes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from drift_expectations import BROKEN_BY_DRIFT, COMPANY_BROKEN_BY_DRIFT
from playwright.sync_api import Browser
from world import APP, World, make_world

from automation.mock_portal.faults import Faults, set_faults
from automation.mock_portal.label_drift import LABEL_DRIFT
from automation.probe import (
    JSON_SCHEMA_VERSION,
    ProbeOptions,
    ScreenReport,
    probe_screens,
    screen_names,
)

pytestmark = pytest.mark.browser

def probe(world: World, browser: Browser) -> list[ScreenReport]:
    """In pytest-playwright's browser: its Playwright runs already in this process."""
    with world.vault() as vault:
        return probe_screens(world.portal.target(), vault, ProbeOptions(app_name=APP),
                             browser=browser)


@pytest.fixture
def drift(run_world: World) -> Iterator[World]:
    """The label-drift fault on for the test."""
    set_faults(run_world.portal.app, Faults.parse("label_drift=1"))
    try:
        yield run_world
    finally:
        set_faults(run_world.portal.app, Faults())


class TestNoDrift:
    """Without a fault, every screen is visited and every locator is found exactly once."""

    def test_every_locator_found_once(self, run_world: World, browser: Browser) -> None:
        before = run_world.portal.state.export()
        reports = probe(run_world, browser)
        assert [r.name for r in reports] == screen_names()
        for report in reports:
            assert report.visited, report.lines()
            assert report.locators, report.name
            assert report.ok, report.lines()
        generations = {r.generation for r in reports if r.generation}
        assert generations == {run_world.portal.ui}
        assert run_world.portal.state.export() == before, "the probe changed the portal"


class TestLabelDrift:
    """With label_drift on, exactly the renamed locators are reported, each with its new
    wording first among the candidates; nothing else is, and nothing changes."""

    def test_reports_exactly_the_renamed_labels(self, drift: World, browser: Browser) -> None:
        before = drift.portal.state.export()
        reports = probe(drift, browser)
        expected = {**BROKEN_BY_DRIFT[drift.portal.ui], **COMPANY_BROKEN_BY_DRIFT}
        reported = {(r.name, loc.name): loc for r in reports for loc in r.problems}
        assert all(r.visited for r in reports), [r.lines() for r in reports]
        assert set(reported) == set(expected), [line for r in reports for line in r.lines()]
        for key, old in expected.items():
            located = reported[key]
            assert located.found == "not found"
            (missing,) = located.missing
            assert old in missing.wanted
            first = missing.candidates[0]
            assert first.text.rstrip(" *") == LABEL_DRIFT[old], located.describe()
        text = "\n".join(line for r in reports for line in r.lines())
        assert re.search(r'\n  Reset client secret: [a-z/]+ "Reset client secret" not found; '
                         r'closest: button "Regenerate client secret"', text), text
        assert drift.portal.state.export() == before, "the probe changed the portal"


class TestJsonReport:
    """`runbook probe --json` prints the documented schema, and exits 1 on drift."""

    def test_schema(self, drift: World) -> None:
        done = probe_cli(drift, "--json", "--screen", "developer_portal.credentials",
                         "--screen", "procore.install_custom_app")
        assert done.returncode == 1, done.stderr
        document = json.loads(done.stdout)
        assert_probe_schema(document)
        assert document["ok"] is False
        names = [screen["name"] for screen in document["screens"]]
        assert names == ["developer_portal.credentials", "procore.install_custom_app"]
        missing = [m for screen in document["screens"] for loc in screen["locators"]
                   for m in loc["missing"]]
        assert {m["candidates"][0]["text"].rstrip(" *") for m in missing} >= {
            "Regenerate client secret", "App Version Key"}
        _client_id, secret = drift.stored_credentials()
        with drift.vault() as vault:
            passwords = [vault.get(path)["password"] for path in (
                "procore/developer-portal", "procore/company-admin", "sync-tool/login")]
        for hidden in (secret, *passwords):
            assert hidden.reveal() not in done.stdout + done.stderr


class TestUnreachableScreens:
    """Where the app is missing, its screens say so and are not visited; the rest are."""

    def test_fresh_portal(self, tmp_path: Path, browser: Browser) -> None:
        world = make_world(tmp_path)
        try:
            reports = {r.name: r for r in probe(world, browser)}
        finally:
            world.portal.stop()
        for name in ("developer_portal.app", "developer_portal.credentials",
                     "developer_portal.create_version"):
            assert not reports[name].visited
            assert reports[name].reason == f"no app named {APP!r} in My Apps"
        permissions = reports["procore.app_permissions"]
        assert permissions.reason == f"no app named {APP!r} installed in HingePoint"
        for name in ("developer_portal.my_apps", "developer_portal.create_app",
                     "procore.app_management", "procore.install_custom_app"):
            assert reports[name].ok, reports[name].lines()


def probe_cli(world: World, *args: str) -> subprocess.CompletedProcess[str]:
    """The real ``runbook probe`` against the world's portal and vault."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUNBOOK_")}
    command = [sys.executable, "-m", "automation.cli.main", "probe", "--target",
               str(world.profile()), "--vault", world.vault_url, *args]
    return subprocess.run(command, cwd=world.folder, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def assert_probe_schema(document: dict[str, Any]) -> None:
    """The JSON report's shape (schema 1), field by field."""
    assert document["schema"] == JSON_SCHEMA_VERSION == 1
    assert isinstance(document["target"], str) and isinstance(document["ok"], bool)
    for screen in document["screens"]:
        assert set(screen) == {"name", "title", "site", "visited", "reason", "generation", "ok",
                               "locators"}
        assert screen["generation"] in (None, "classic", "current")
        assert isinstance(screen["visited"], bool) and isinstance(screen["ok"], bool)
        assert screen["reason"] is None or isinstance(screen["reason"], str)
        for located in screen["locators"]:
            assert set(located) == {"name", "found", "count", "missing"}
            assert located["found"] in ("once", "not found", "several")
            assert isinstance(located["count"], int)
            for missing in located["missing"]:
                assert set(missing) == {"roles", "wanted", "candidates"}
                assert all(isinstance(role, str) for role in missing["roles"])
                for candidate in missing["candidates"]:
                    assert set(candidate) == {"role", "text", "score"}
                    assert 0 <= candidate["score"] <= 1
