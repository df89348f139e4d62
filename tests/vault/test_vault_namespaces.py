"""Target namespaces: a run's vault view, the CLI's --target/--namespace, moving old paths."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from automation.errors import RunbookError, VaultError
from automation.secret import Secret
from automation.targets import BUILTIN_TARGETS, Target, load_target
from automation.vault import open_vault
from automation.vault.cli import register
from automation.vault.lookup import find_field, paths_holding
from automation.vault.memory import MemoryVault
from automation.vault.namespaced import NamespacedVault, scoped

LOGIN = "procore/developer-portal"
APP = "procore/apps/Procore DMSA App/production"
VALUE = "pw-3c2b1a0f9e8d"


def cli(*argv: str) -> int:
    root = argparse.ArgumentParser(prog="runbook")
    register(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(["vault", *argv])
    code: int = args.handler(args)
    return code


class TestView:
    """Every operation of a scoped view lands under its namespace, and says so."""

    def test_paths_are_prefixed_and_listed_relative(self) -> None:
        base = MemoryVault()
        view = NamespacedVault(base, "sandbox-eu")
        view.put(LOGIN, {"password": VALUE})
        assert base.list() == [f"sandbox-eu/{LOGIN}"]
        assert view.list() == [LOGIN] and view.list("procore/") == [LOGIN]
        assert view.exists(LOGIN) and not base.exists(LOGIN)
        assert [v.version for v in view.history(LOGIN)] == [1]

    def test_namespaces_do_not_see_each_other(self) -> None:
        base = MemoryVault()
        scoped(base, "mock").put(APP, {"client_id": "mock-id"})
        with pytest.raises(VaultError, match=f"no secret at sandbox/{APP}"):
            scoped(base, "sandbox").get(APP)
        assert scoped(base, "sandbox").list() == []

    def test_a_read_is_labelled_with_the_full_path(self) -> None:
        view = NamespacedVault(MemoryVault(), "production")
        view.put(LOGIN, {"password": VALUE})
        from automation.vault.base import VaultRef

        secret = view.read(VaultRef(LOGIN, "password"))
        assert secret.source == f"vault:production/{LOGIN}#password"
        assert view.read_recorded(f"vault:production/{LOGIN}#password") == Secret(VALUE)

    def test_a_miss_that_an_old_path_could_answer_says_how_to_move_it(self) -> None:
        base = MemoryVault()
        base.put(LOGIN, {"password": VALUE})  # written before targets had namespaces
        with pytest.raises(VaultError) as missing:
            NamespacedVault(base, "sandbox").get(LOGIN)
        text = str(missing.value)
        assert f"no secret at sandbox/{LOGIN}" in text
        assert f"runbook vault move '{LOGIN}' --namespace sandbox" in text
        assert VALUE not in text
        assert base.get(LOGIN)["password"] == Secret(VALUE)  # nothing moved by itself

    def test_scoping_twice_is_one_scope_and_another_namespace_is_refused(self) -> None:
        view = scoped(MemoryVault(), "mock")
        assert scoped(view, "mock") is view
        with pytest.raises(VaultError, match="scoped to 'mock'"):
            scoped(view, "sandbox")


class TestTargetNamespaces:
    """Mocks share mock/; a real target's name heads its paths and must be able to."""

    def test_each_target_has_its_namespace(self, tmp_path: Path) -> None:
        assert BUILTIN_TARGETS["sandbox"].vault_namespace == "sandbox"
        assert BUILTIN_TARGETS["production"].vault_namespace == "production"
        assert Target("built-in mock", {}, is_mock=True).vault_namespace == "mock"
        profile = tmp_path / "eu.yaml"
        profile.write_text(yaml.safe_dump({"name": "sandbox-eu", "sites": {}}))
        assert load_target(str(profile)).vault_namespace == "sandbox-eu"

    @pytest.mark.parametrize("name", ["mock", "eu/west", "../up", "two words"])
    def test_a_real_profile_cannot_take_an_unsafe_or_the_mock_name(self, tmp_path: Path,
                                                                  name: str) -> None:
        profile = tmp_path / "t.yaml"
        profile.write_text(yaml.safe_dump({"name": name, "sites": {}}))
        with pytest.raises(RunbookError, match=str(profile)):
            load_target(str(profile))


class TestCommandLine:
    """`runbook vault ... --target T`: a target's secrets by their plain paths, full paths said."""

    def test_put_get_list_under_a_target(self, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"
        (tmp_path / "pw").write_text(VALUE)
        assert cli("put", LOGIN, f"password=@{tmp_path / 'pw'}", "--target", "sandbox",
                   "--vault", url) == 0
        assert f"sandbox/{LOGIN}: stored version 1" in capsys.readouterr().out
        assert cli("get", LOGIN, "--target", "sandbox", "--vault", url) == 0
        assert capsys.readouterr().out == f"sandbox/{LOGIN}: fields password\n"
        assert cli("list", "--target", "sandbox", "--vault", url) == 0
        listed = capsys.readouterr()
        assert listed.out == f"{LOGIN}\n" and "under sandbox/" in listed.err
        assert cli("list", "--vault", url) == 0
        assert capsys.readouterr().out == f"sandbox/{LOGIN}\n"
        with pytest.raises(VaultError, match=f"no secret at mock/{LOGIN}"):
            cli("get", LOGIN, "--target", "mock", "--vault", url)

    def test_a_profile_target_and_a_namespace_name_the_same_place(self, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"
        profile = tmp_path / "eu.yaml"
        profile.write_text(yaml.safe_dump({"name": "sandbox-eu", "sites": {}}))
        open_vault(url, env={}).put(f"sandbox-eu/{LOGIN}", {"email": "a@b.c"})
        assert cli("get", LOGIN, "--target", str(profile), "--vault", url) == 0
        assert cli("get", LOGIN, "--namespace", "sandbox-eu", "--vault", url) == 0
        assert capsys.readouterr().out.count(f"sandbox-eu/{LOGIN}: fields email") == 2

    def test_move_brings_every_version_under_a_namespace(self, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"
        vault = open_vault(url, env={})
        for n in range(3):
            vault.put(APP, {"client_id": f"id-{n}"})
        assert cli("move", APP, "--namespace", "sandbox", "--vault", url) == 0
        assert f"moved 3 version(s) of {APP} to sandbox/{APP}" in capsys.readouterr().out
        moved = NamespacedVault(vault, "sandbox")
        assert [moved.get(APP, v)["client_id"] for v in (1, 2, 3)] == [
            Secret("id-0"), Secret("id-1"), Secret("id-2")]
        assert not vault.exists(APP) and len(vault.history(APP)) == 3  # history stays
        with pytest.raises(VaultError, match="exists already"):
            cli("move", APP, f"sandbox/{APP}", "--vault", url)

    def test_restore_makes_an_earlier_version_the_latest(self, tmp_path: Path) -> None:
        url = f"file:{tmp_path / 'vault.enc'}"
        view = NamespacedVault(open_vault(url, env={}), "sandbox")
        view.put(APP, {"client_id": "right"})
        view.put(APP, {"client_id": "wrong"})
        assert cli("restore", APP, "--version", "1", "--target", "sandbox", "--vault", url) == 0
        assert view.get(APP)["client_id"] == Secret("right")
        assert [v.version for v in view.history(APP)] == [1, 2, 3]


class TestLookup:
    """Before a reset: the secret is looked for in history, at the top, under other targets."""

    def test_finds_each_place_and_tells_them_apart(self) -> None:
        base = MemoryVault()
        view = NamespacedVault(base, "sandbox")
        view.put(APP, {"client_id": "id-1", "client_secret": "s1"})
        view.put(APP, {"client_id": "id-2", "client_secret": "s2"})
        base.put(APP, {"client_id": "id-1", "client_secret": "s1-old"})
        scoped(base, "production").put(APP, {"client_id": "id-1", "client_secret": "p"})
        seen = find_field(view, APP, "client_id", "id-1")
        assert [(f.path, f.version) for f in seen.history] == [(f"sandbox/{APP}", 1)]
        assert [(f.path, f.version) for f in seen.legacy] == [(APP, 1)]
        assert [f.path for f in seen.other_targets] == [f"production/{APP}"]
        assert find_field(view, APP, "client_id", "nowhere") == type(seen)()

    def test_paths_holding_a_client_id(self) -> None:
        view = NamespacedVault(MemoryVault(), "sandbox")
        view.put(APP, {"client_id": "id-1"})
        view.put("sync-tool/copy", {"client_id": "id-1"})
        assert paths_holding(view, "client_id", "id-1", besides=APP) == ["sandbox/sync-tool/copy"]
