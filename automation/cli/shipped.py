"""The runbooks that ship with the tool: run by name, listed, copied out for editing.

They live at the top level of the source tree (``runbooks/``) and install as the package
``automation.shipped``, so an installed tool finds them beside its code, includes and schema
included: ``runbook run dmsa-credentials`` runs ``automation/shipped/dmsa-credentials.yaml``.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import yaml

from automation.errors import EXIT_OK, RunbookError

__all__ = ["ShippedRunbook", "register", "runbook_argument", "shipped_dir", "shipped_runbooks"]

#: What ``runbook init`` copies: the runbooks and the schema their first line points editors to.
_PATTERNS = ("*.yaml", "*/*.yaml", "runbook.schema.json")


@dataclass(frozen=True)
class ShippedRunbook:
    name: str  # the runbook's ``runbook:`` key, what ``runbook run NAME`` takes
    path: Path
    title: str
    description: str


def shipped_dir() -> Path:
    """Where the shipped runbooks are (an installed package's folder, or ``runbooks/``)."""
    return Path(str(files("automation.shipped")))


def _shipped_files() -> list[Path]:
    root = shipped_dir()
    return sorted({path for pattern in _PATTERNS for path in root.glob(pattern)},
                  key=lambda path: (len(path.relative_to(root).parts), str(path)))


def shipped_runbooks() -> list[ShippedRunbook]:
    """Every shipped runbook, the top-level ones first (the others are parts they include)."""
    found = []
    for path in _shipped_files():
        if path.suffix != ".yaml":
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.append(ShippedRunbook(
            name=str(document["runbook"]), path=path, title=str(document.get("title", "")),
            description=" ".join(str(document.get("description", "")).split())))
    return found


def runbook_argument(text: str) -> Path:
    """An argparse ``type``: a runbook file, or the name of a shipped runbook.

    A path that exists is taken as given, and so is anything that looks like a path (a
    folder or a ``.yaml`` suffix): the loader says ``no such file`` for those. A bare name
    that no file has is looked up among the shipped runbooks.
    """
    path = Path(text)
    if path.exists() or len(path.parts) != 1 or path.suffix in (".yaml", ".yml"):
        return path
    shipped = {runbook.name: runbook.path for runbook in shipped_runbooks()}
    if text in shipped:
        return shipped[text]
    raise argparse.ArgumentTypeError(
        f"{text}: no such file, and no shipped runbook has that name "
        f"(shipped: {', '.join(shipped)}; `runbook list` describes them)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = sub.add_parser("list", help="list the shipped runbooks",
                             description="List the runbooks that ship with the tool; "
                             "`runbook run NAME` runs one.")
    listing.set_defaults(handler=cmd_list)
    init = sub.add_parser("init", help="copy the shipped runbooks into a folder, to edit",
                          description="Copy the shipped runbooks (with the parts they include "
                          "and their JSON Schema) into DIR, to edit and run from there.")
    init.add_argument("directory", type=Path, metavar="DIR")
    init.add_argument("--force", action="store_true", help="overwrite files that exist")
    init.set_defaults(handler=cmd_init)


def cmd_list(args: argparse.Namespace) -> int:
    root = shipped_dir()
    for runbook in shipped_runbooks():
        print(f"{runbook.name}  ({runbook.path.relative_to(root)})")
        for line in textwrap.wrap(runbook.title, 92):
            print(f"    {line}")
        for line in textwrap.wrap(runbook.description, 88):
            print(f"        {line}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    root, target = shipped_dir(), args.directory
    copies = [(path, target / path.relative_to(root)) for path in _shipped_files()]
    existing = [str(copy) for _, copy in copies if copy.exists()]
    if existing and not args.force:
        raise RunbookError(f"init: {', '.join(existing)} exist{'s' if len(existing) == 1 else ''}"
                           "; nothing was copied (--force overwrites them)")
    for source, copy in copies:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
    print(f"Copied {len(copies)} files into {target}; run one with "
          f"`runbook run {target / 'dmsa-credentials.yaml'}`")
    return EXIT_OK
