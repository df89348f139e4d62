"""``runbook vault {list,get,put,history,delete,rescue}``: the vault from the command line.

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
    url: str | None = getattr(args, "vault", None)
    return open_vault(url)


def _list(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        for path in vault.list(args.prefix):
            print(path)
    return 0


def _get(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        fields = vault.get(args.path, args.version)
        if args.field is None:
            print(f"{args.path}: fields {', '.join(sorted(fields))}")
            print("(use --field F to print one value)", file=sys.stderr)
            return 0
        if args.field not in fields:
            raise VaultError(f"{vault.url}: {args.path} has no field {args.field!r}")
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
        print(f"{args.path}: stored version {version} (fields {', '.join(sorted(fields))})")
    return 0


def _history(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        versions = vault.history(args.path)
        if not versions:
            raise VaultError(f"{vault.url}: no history for {args.path}")
        for info in versions:
            state = "deleted" if info.deleted else "live"
            created = info.created.isoformat(timespec="seconds")
            print(f"{info.version:>4}  {created}  {state:<7}  {', '.join(info.fields)}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _open(args) as vault:
        vault.delete(args.path)
        print(f"{args.path}: latest version marked deleted (history kept)")
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
    with _open(args) as vault:
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
