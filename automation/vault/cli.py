"""``runbook vault {list,get,put,history,delete,restore,move,rescue}``: the vault by hand.

``--target T`` (or ``--namespace NS``) works in a target's namespace, as its runs do
(``runbook vault put procore/developer-portal ... --target sandbox`` stores
``sandbox/procore/developer-portal``); every message names the full path. Without it, paths
are full. ``move`` brings paths written before targets had namespaces under one.

Values never come from argv (``ps`` and shell history show it to others): ``put`` takes
``field=@FILE`` or ``field=-`` (stdin). ``get --field F`` is the one command that prints a
value, and only that one value, for piping. Everything else prints paths, versions, dates and
field names. Errors are VaultError or RunbookError, which the main CLI prints without a
traceback; ``python -m automation.vault.cli`` runs these commands on their own.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from automation.errors import RunbookError, RunbookToolError, VaultError
from automation.secret import Secret
from automation.vault.base import Vault
from automation.vault.namespaced import (
    MOCK_NAMESPACE,
    NamespacedVault,
    check_namespace,
    unscoped,
)
from automation.vault.rescue import (
    RESCUE_PASSPHRASE_ENV,
    key_file_for,
    read_rescue_file,
    rescue_info,
)
from automation.vault.url import DEFAULT_VAULT_URL, VAULT_URL_ENV, open_vault

__all__ = ["main", "parse_field_sources", "register"]

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds ``vault`` and its subcommands; each sets ``handler`` via set_defaults."""
    vault_help = f"vault URL (default: ${VAULT_URL_ENV}, else {DEFAULT_VAULT_URL})"
    group = subparsers.add_parser("vault", help="list, read and store vault secrets")
    group.add_argument("--vault", metavar="URL", default=None, help=vault_help)
    # The option works after the subcommand too; SUPPRESS keeps it from erasing the group's.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", metavar="URL", default=argparse.SUPPRESS, help=vault_help)
    scope = common.add_mutually_exclusive_group()
    scope.add_argument("--target", metavar="T", help="a target's secrets: mock, sandbox, "
                       "production or a profile file (paths are then under its namespace)")
    scope.add_argument("--namespace", metavar="NS", help="paths under NS/ (a target's name)")
    commands = group.add_subparsers(dest="vault_command", metavar="COMMAND", required=True)

    listing = commands.add_parser("list", parents=[common], help="paths under PREFIX")
    listing.add_argument("prefix", nargs="?", default="", metavar="PREFIX")
    listing.set_defaults(handler=_list)

    get = commands.add_parser(
        "get", parents=[common], help="field names of PATH, or one value with --field"
    )
    get.add_argument("path", metavar="PATH")
    get.add_argument("--field", metavar="F", help="print this field's value alone (for piping)")
    get.add_argument("--version", type=int, metavar="N", help="an earlier version")
    get.set_defaults(handler=_get)

    put = commands.add_parser(
        "put", parents=[common], help="store a new version: field=@FILE or field=- (stdin)"
    )
    put.add_argument("path", metavar="PATH")
    put.add_argument("fields", nargs="+", metavar="FIELD=@FILE|FIELD=-")
    put.add_argument(
        "--cas", type=int, metavar="N", help="fail unless the latest version is N (0: new path)"
    )
    put.set_defaults(handler=_put)

    history = commands.add_parser("history", parents=[common], help="versions of PATH")
    history.add_argument("path", metavar="PATH")
    history.set_defaults(handler=_history)

    delete = commands.add_parser(
        "delete", parents=[common], help="mark the latest version of PATH deleted"
    )
    delete.add_argument("path", metavar="PATH")
    delete.set_defaults(handler=_delete)

    restore = commands.add_parser(
        "restore", parents=[common], help="make an earlier version of PATH the latest again"
    )
    restore.add_argument("path", metavar="PATH")
    restore.add_argument("--version", type=int, required=True, metavar="N")
    restore.set_defaults(handler=_restore)

    move = commands.add_parser(
        "move", parents=[common],
        help="move PATH, every version, to DEST (default: PATH in --target's namespace)",
    )
    move.add_argument("path", metavar="PATH", help="the full path, as `vault list` shows it")
    move.add_argument("dest", nargs="?", metavar="DEST")
    move.set_defaults(handler=_move)

    rescue = commands.add_parser(
        "rescue", parents=[common], help="move a rescue file's secret into the vault"
    )
    rescue.add_argument("file", type=Path, metavar="FILE")
    rescue.add_argument(
        "--key",
        type=Path,
        metavar="KEYFILE",
        help=f"its key file (default: FILE with .key; or set {RESCUE_PASSPHRASE_ENV})",
    )
    rescue.add_argument(
        "--delete", action="store_true", help="remove FILE and its key once stored and checked"
    )
    rescue.set_defaults(handler=_rescue)


def parse_field_sources(items: Sequence[str], stdin: TextIO | None = None) -> dict[str, Secret]:
    """``field=@FILE`` / ``field=-`` to values; RunbookError (naming only the field) otherwise.

    One trailing newline is dropped, as ``echo`` and editors add it; use a file without one
    to keep it.
    """
    sources: dict[str, str] = {}
    for item in items:  # check every argument before reading anything (stdin reads once)
        name, eq, source = item.partition("=")
        if not eq or not name:
            raise RunbookError("expected FIELD=@FILE or FIELD=-, got an argument without '='")
        if name in sources:
            raise RunbookError(f"field {name!r} given twice")
        if source != "-" and not (source.startswith("@") and len(source) > 1):
            # Deliberately not quoting the argument: it may be the secret itself.
            raise RunbookError(
                f"field {name!r}: refusing a value on the command line (other users see it in "
                f"ps, and it stays in shell history); use {name}=@FILE or {name}=- for stdin"
            )
        sources[name] = source
    if list(sources.values()).count("-") > 1:
        raise RunbookError("only one field can be read from stdin ('-')")
    fields: dict[str, Secret] = {}
    for name, source in sources.items():
        where = "stdin" if source == "-" else source[1:]
        try:
            if source == "-":
                stream = stdin or sys.stdin
                raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
            else:
                raw = Path(source[1:]).read_bytes()
            text = raw.decode() if isinstance(raw, bytes) else raw
        except OSError as error:
            raise RunbookError(f"field {name!r}: cannot read {where}: {error.strerror}") from None
        except UnicodeDecodeError as error:
            # Vault values are text; say where, never what (the bytes may be the secret).
            raise RunbookError(
                f"field {name!r}: {where} is not UTF-8 text (byte {error.start} cannot be "
                "decoded); store binary data base64-encoded, e.g. base64 FILE > FILE.b64"
            ) from None
        fields[name] = Secret(_drop_one_newline(text))
    return fields


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m automation.vault.cli COMMAND ...``: the vault commands without the main CLI."""
    parser = argparse.ArgumentParser(prog="runbook")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["vault", *(sys.argv[1:] if argv is None else argv)])
    try:
        handler: Handler = args.handler
        return handler(args)
    except RunbookToolError as error:
        print(f"runbook: error: {error}", file=sys.stderr)
        return error.exit_code


# -- handlers --------------------------------------------------------------------------------


def _open(args: argparse.Namespace) -> Vault:
    """The vault, seen under ``--target``'s or ``--namespace``'s namespace when given."""
    url: str | None = getattr(args, "vault", None)
    vault = open_vault(url)
    namespace = _namespace(args)
    return vault if namespace is None else NamespacedVault(vault, namespace)


def _namespace(args: argparse.Namespace) -> str | None:
    if getattr(args, "namespace", None):
        return check_namespace(args.namespace)
    target: str | None = getattr(args, "target", None)
    if not target:
        return None
    if target == MOCK_NAMESPACE:
        return MOCK_NAMESPACE
    from automation.targets import load_target

    return load_target(target).vault_namespace


def _list(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        if isinstance(vault, NamespacedVault):
            print(f"paths under {vault.namespace}/ in {vault.url}:", file=sys.stderr)
        else:
            print("full paths: each begins with its target's namespace (mock/, sandbox/, "
                  "production/, a profile's name)", file=sys.stderr)
        for path in vault.list(args.prefix):
            print(path)
    return 0


def _get(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        fields = vault.get(args.path, args.version)
        if args.field is None:
            print(f"{vault.full_path(args.path)}: fields {', '.join(sorted(fields))}")
            print("(use --field F to print one value)", file=sys.stderr)
            return 0
        if args.field not in fields:
            raise VaultError(f"{vault.url}: {vault.full_path(args.path)} has no field "
                             f"{args.field!r}")
        # The one place a value reaches stdout, because it was asked for by name.
        sys.stdout.write(fields[args.field].reveal())
        if sys.stdout.isatty():
            sys.stdout.write("\n")
        sys.stdout.flush()
    return 0


def _put(args: argparse.Namespace) -> int:
    fields = parse_field_sources(args.fields)
    with _open(args) as vault:
        version = vault.put(args.path, fields, cas=args.cas)
        print(f"{vault.full_path(args.path)}: stored version {version} "
              f"(fields {', '.join(sorted(fields))})")
    return 0


def _history(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        versions = vault.history(args.path)
        if not versions:
            raise VaultError(f"{vault.url}: no history for {vault.full_path(args.path)}")
        for info in versions:
            state = "deleted" if info.deleted else "live"
            created = info.created.isoformat(timespec="seconds")
            print(f"{info.version:>4}  {created}  {state:<7}  {', '.join(info.fields)}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        vault.delete(args.path)
        print(f"{vault.full_path(args.path)}: latest version marked deleted (history kept)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        fields = vault.get(args.path, args.version)
        latest = vault.history(args.path)[-1].version
        version = vault.put(args.path, fields, cas=latest)
        print(f"{vault.full_path(args.path)}: version {args.version} restored as version "
              f"{version} (fields {', '.join(sorted(fields))})")
    return 0


def _move(args: argparse.Namespace) -> int:
    """Every live version, oldest first, to the destination; then the source is marked
    deleted (its history stays). For paths written before targets had namespaces."""
    with _open(args) as view:
        source_vault = unscoped(view)
        if args.dest is None and not isinstance(view, NamespacedVault):
            raise RunbookError("vault move: give DEST, or --target T to move PATH under T's "
                               "namespace")
        dest = view.full_path(args.dest or args.path)
        source = args.path.strip("/")
        if source == dest:
            raise RunbookError(f"vault move: {source} is already there")
        if source_vault.exists(dest):  # a deleted latest version may be moved on top of
            raise VaultError(f"{view.url}: {dest} exists already; nothing moved (look with "
                             f"`runbook vault history '{dest}'`)")
        versions = [v for v in source_vault.history(source) if not v.deleted]
        if not versions:
            raise VaultError(f"{view.url}: no secret at {source}")
        for info in versions:
            source_vault.put(dest, source_vault.get(source, info.version))
        source_vault.delete(source)
        print(f"moved {len(versions)} version(s) of {source} to {dest}; {source} is marked "
              "deleted (its history stays)")
    return 0


def _rescue(args: argparse.Namespace) -> int:
    rescue_file: Path = args.file
    info = rescue_info(rescue_file)
    key: Path | Secret
    passphrase = os.environ.get(RESCUE_PASSPHRASE_ENV)
    if args.key is not None:
        key = args.key
    elif info.sealed_with == "passphrase":
        if not passphrase:
            raise RunbookError(
                f"{rescue_file} is sealed with a passphrase: set {RESCUE_PASSPHRASE_ENV}"
            )
        key = Secret(passphrase)
    else:
        key = key_file_for(rescue_file)
    fields = read_rescue_file(rescue_file, key)
    with _open(args) as opened:
        vault = unscoped(opened)  # a rescue file names the full path
        version = vault.put(info.path, fields)
        if vault.get(info.path, version) != fields:
            raise VaultError(
                f"{vault.url}: {info.path} version {version} reads back differently; "
                f"keep {rescue_file} and its key"
            )
        print(f"{info.path}: stored version {version} in {vault.url} and read it back")
    leftovers = [rescue_file] + ([key] if isinstance(key, Path) else [])
    if args.delete:
        for file in leftovers:
            file.unlink()
        print("removed " + " and ".join(map(str, leftovers)))
    else:
        print("the rescue file can now be deleted: rm " + " ".join(map(str, leftovers)))
    return 0


def _drop_one_newline(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


if __name__ == "__main__":
    sys.exit(main())
