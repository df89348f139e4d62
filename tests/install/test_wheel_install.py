"""The wheel, installed as a user installs it (``pip install .``, ``pipx install .``): in a
fresh virtualenv outside the checkout, run from an empty folder with an empty HOME, the main
command works with nothing but what the wheel carries (the mock's seed, the shipped runbooks
and their includes).

The dependencies' wheels are kept in pytest's cache (``.pytest_cache/d/wheelhouse``) and
installed from there without an index; the first run (or a new dependency) fills it from the
package index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
#: What a wheel is built from; a copy, so the build leaves nothing in the checkout.
SOURCES = ("pyproject.toml", "setup.py", "README.md", "automation", "runbooks")


def pip(python: Path, *args: str) -> None:
    """The checkout's pip, installing into the environment of ``python``."""
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "--quiet",
                    "--disable-pip-version-check", *args],
                   check=True, capture_output=True, text=True, timeout=900)


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, source / name)
    pip(Path(sys.executable), "wheel", "--no-deps", "--wheel-dir", str(tmp_path), str(source))
    (wheel,) = tmp_path.glob("procore_runbooks-*.whl")
    return wheel


def install(wheel: Path, python: Path, wheelhouse: Path) -> None:
    offline = ("install", "--no-compile", "--no-index", "--find-links", str(wheelhouse),
               str(wheel))
    try:
        pip(python, *offline)
    except subprocess.CalledProcessError:  # a dependency not kept yet: fetch, then again
        pip(python, "wheel", "--wheel-dir", str(wheelhouse), str(wheel))
        pip(python, *offline)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A fresh virtualenv, outside the checkout, with the wheel installed: its bin folder."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "automation/mock_portal/seeds/default.json" in names
    assert "automation/shipped/procore/company-install.yaml" in names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    install(wheel, venv / "bin" / "python", request.config.cache.mkdir("wheelhouse"))
    return venv / "bin"


def user_env(home: Path) -> dict[str, str]:
    """This environment as a user's shell would have it: no checkout on the path, a HOME of
    its own; the browser the product would find here (RUNBOOK_CHROMIUM, Playwright's)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RUNBOOK_", "PYTHON", "VIRTUAL_ENV", "PYTEST", "COV_"))}
    if "RUNBOOK_CHROMIUM" in os.environ:
        env["RUNBOOK_CHROMIUM"] = os.environ["RUNBOOK_CHROMIUM"]
    env["PLAYWRIGHT_BROWSERS_PATH"] = os.environ.get(
        "PLAYWRIGHT_BROWSERS_PATH", str(Path.home() / ".cache" / "ms-playwright"))
    env["HOME"] = str(home)
    return env


class TestInstalledWheel:
    """The installed wheel runs the main command end to end from anywhere."""

    def test_the_tool_is_the_installed_one(self, installed: Path, tmp_path: Path) -> None:
        done = subprocess.run([str(installed / "python"), "-c",
                               "import automation.shipped as s; print(s.__file__)"],
                              cwd=tmp_path, env=user_env(tmp_path), capture_output=True,
                              text=True, check=True)
        assert Path(done.stdout.strip()).is_relative_to(installed.parent / "lib")

    def test_runs_dmsa_credentials_by_name_on_the_built_in_mock(
            self, installed: Path, tmp_path: Path) -> None:
        home, work = tmp_path / "home", tmp_path / "work"
        home.mkdir()
        work.mkdir()
        done = subprocess.run([str(installed / "runbook"), "run", "dmsa-credentials"],
                              cwd=work, env=user_env(home), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        lines = done.stdout.rstrip().splitlines()
        assert done.returncode == 0, done.stdout[-3000:]
        visible = re.fullmatch(r"(\d+)/(\d+) projects visible to the service account",
                               lines[-1])
        assert visible is not None and visible[1] == visible[2], lines[-1]
        assert (work / ".runbook" / "vault.enc").is_file()  # the built-in vault, here
        (run_dir,) = (work / "runs").iterdir()
        assert (run_dir / "journal.jsonl").is_file()
