"""The subcommands: validate, plan, run, actions, schema (mock-portal and vault register theirs)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from automation.actions import REGISTRY
from automation.cli.shipped import runbook_argument
from automation.errors import EXIT_INVALID, EXIT_OK, RunbookError
from automation.retry import DEFAULT_STEP_TIMEOUT_S, RetryPolicy
from automation.runbook import build_plan, check_runbook, load_runbook
from automation.runbook.inputs import (
    describe_inputs,
    load_vars_file,
    parse_var,
    resolve_inputs,
)

__all__ = ["add_runbook_help", "print_invalid", "register"]

Subparsers = argparse._SubParsersAction


def register(sub: Subparsers[argparse.ArgumentParser]) -> None:
    validate = sub.add_parser("validate", help="check runbooks without a browser",
                              description="Check runbooks (and what they include) without "
                              "starting a browser. Prints file:line:col: message per problem.")
    validate.add_argument("paths", nargs="+", type=runbook_argument, metavar="PATH")
    validate.set_defaults(handler=cmd_validate)

    inputs = sub.add_parser("inputs", help="list a runbook's inputs (help, type, default)",
                            description="List the inputs a runbook takes (--var NAME=VALUE): "
                            "each one's type, default or whether it is required, and its help.")
    inputs.add_argument("runbook", type=runbook_argument)
    inputs.set_defaults(handler=cmd_inputs)

    plan = sub.add_parser("plan", help="show the steps that would run", add_help=False,
                          description="Show the steps a run would take, with resolved "
                          "arguments; secrets appear as <secret vault:PATH#FIELD>.")
    add_runbook_help(plan)
    plan.add_argument("runbook", type=runbook_argument)
    _input_options(plan)
    plan.add_argument("--target", default="mock", help="mock (default), sandbox, production, "
                      "or a target profile file")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    _selection_options(plan)
    plan.add_argument("--out", type=Path, default=Path("runs"), metavar="DIR",
                      help="where earlier runs are (for --start-at; default: runs/)")
    _timeout_option(plan)
    plan.set_defaults(handler=cmd_plan)

    run = sub.add_parser("run", help="run a runbook", description="Run a runbook in a browser.",
                         add_help=False)
    add_runbook_help(run)
    run.add_argument("runbook", type=runbook_argument, nargs="?",
                     help="the runbook (optional with --resume: the journal names it)")
    _input_options(run)
    run.add_argument("--target", help="mock (default: starts the built-in mock portal), "
                     "sandbox, production, or a target profile file")
    run.add_argument("--mock-ui", choices=("current", "classic"), metavar="current|classic",
                     help="the built-in mock's Developer Portal: current (form based, the "
                     "default) or classic (the manifest editor)")
    run.add_argument("--vault", help="vault URL (default: $RUNBOOK_VAULT or "
                     "file:.runbook/vault.enc)")
    run.add_argument("--headed", action="store_true", help="show the browser")
    run.add_argument("--virtual-display", action="store_true",
                     help="run headed on a virtual screen (Xvfb), for machines without one")
    run.add_argument("--trace", action="store_true",
                     help="keep trace.zip (steps that handle secrets are left out)")
    run.add_argument("--video", action="store_true",
                     help="film the run: video.webm and captions.vtt (needs ffmpeg)")
    run.add_argument("--slowmo", type=int, default=0, metavar="MS",
                     help="pause MS milliseconds between browser operations")
    run.add_argument("--browser-channel", metavar="CHANNEL",
                     help="a browser Playwright knows by channel (chrome, msedge...) instead "
                     "of the Chromium found here")
    run.add_argument("--out", type=Path, default=Path("runs"), metavar="DIR",
                     help="where run directories go (default: runs/)")
    run.add_argument("--resume", type=Path, metavar="RUN_DIR",
                     help="continue a run after its last completed step")
    _selection_options(run)
    run.add_argument("-q", "--quiet", action="store_true",
                     help="show only the result and any errors (no line per step)")
    run.add_argument("--check", action="store_true",
                     help="change nothing: look at the target, say what a real run would "
                     "change, and end with a summary (secrets are never captured)")
    _timeout_option(run)
    run.set_defaults(handler=cmd_run)

    actions = sub.add_parser("actions", help="list the actions runbooks can use")
    actions.add_argument("--json", action="store_true")
    actions.set_defaults(handler=cmd_actions)

    schema = sub.add_parser("schema", help="print the runbook JSON Schema (for editors)")
    schema.set_defaults(handler=cmd_schema)


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="an input value (secret inputs: NAME=vault:PATH#FIELD)")
    parser.add_argument("--vars-file", type=Path, metavar="FILE", help="input values (YAML)")


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start-at", metavar="STEP", help="skip the steps before this one "
                        "(a key such as company.verify, or a step id); what the steps after "
                        "it read from skipped ones comes from the latest run under --out")
    parser.add_argument("--tags", metavar="TAG,...", help="run only steps with one of these "
                        "tags (and those tagged 'always')")


def _inputs(runbook: Any, args: argparse.Namespace) -> dict[str, Any]:
    variables = dict(parse_var(v) for v in args.var)
    vars_file = load_vars_file(args.vars_file) if args.vars_file else None
    return resolve_inputs(runbook, variables, vars_file)


class _RunbookHelp(argparse.Action):
    """``-h``/``--help`` that, after a RUNBOOK, also lists that runbook's inputs (an invalid
    runbook gets its ``file:line:col`` problems and exit 2 instead)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        path = getattr(namespace, "runbook", None)
        try:
            inputs = describe_inputs(load_runbook(path, REGISTRY)) if path is not None else []
        except RunbookError as exc:
            print_invalid(exc)
            parser.exit(EXIT_INVALID)
        parser.print_help()
        if inputs:
            print("", *inputs, sep="\n")
        parser.exit()


def add_runbook_help(parser: argparse.ArgumentParser) -> None:
    """For a parser made with ``add_help=False`` whose positional is ``runbook``."""
    parser.add_argument("-h", "--help", action=_RunbookHelp,
                        help="show this help; after RUNBOOK, also the runbook's inputs")


def print_invalid(exc: RunbookError) -> None:
    """An invalid input's problems, one ``file:line:col: message`` a line, on stderr."""
    for line in str(exc).splitlines():
        print(line, file=sys.stderr)
    if exc.problems:
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)


def cmd_inputs(args: argparse.Namespace) -> int:
    print("\n".join(describe_inputs(load_runbook(args.runbook, REGISTRY))))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    problems = []
    for path in args.paths:
        problems.extend(check_runbook(path, REGISTRY)[1])
    if problems:
        raise RunbookError(problems)
    for path in args.paths:
        print(f"{path}: ok")
    return EXIT_OK


def _timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=DEFAULT_STEP_TIMEOUT_S, metavar="S",
                        help="default step timeout in seconds (a step's 'timeout' wins)")


def cmd_plan(args: argparse.Namespace) -> int:
    from automation.cli.earlier_run import outputs_from_earlier_run
    from automation.cli.plan_view import render_plan
    from automation.cli.targets import plan_target
    from automation.runbook.selection import Selection

    runbook = load_runbook(args.runbook, REGISTRY)
    plan = build_plan(runbook, _inputs(runbook, args), REGISTRY)
    selection = Selection.from_options(args.start_at, args.tags)
    selection.check(plan)
    earlier = outputs_from_earlier_run(plan, selection, args.out, args.target)
    rows = render_plan(plan, plan_target(args.target), RetryPolicy(args.timeout),
                       skipped=selection.skipped(plan), earlier=earlier)
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return EXIT_OK
    left_out = sum(1 for row in rows if "skipped" in row)
    print(f"{runbook.title} ({runbook.name}): {len(rows) - left_out} steps"
          + (f", {left_out} skipped" if left_out else ""))
    for number, row in enumerate(rows, start=1):
        if "skipped" in row:
            print(f"{number:>3}. {row['title']}  [{row['key']}]  skipped: {row['skipped']}")
            continue
        flag = "" if row["changes"] else "  [read-only]"
        print(f"{number:>3}. {row['title']}  <{row['action']}>{flag}  [{row['key']}]")
        if row.get("when"):
            print(f"       when: {row['when']}")
        for name, value in (row["with"].items() if isinstance(row["with"], dict) else []):
            print(f"       {name}: {json.dumps(value, default=str, ensure_ascii=False)}")
        if row.get("vault"):
            print(f"       secrets to: vault:{row['vault']}")
        print(f"       worst case: {row['worst_case']['text']}")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from automation.cli.run import run_command

    return run_command(args)


def cmd_actions(args: argparse.Namespace) -> int:
    specs = list(REGISTRY)
    if args.json:
        print(json.dumps([{
            "name": s.name, "summary": s.summary, "changes": s.changes,
            "retry_safe": s.retry_safe,
            "params": [{"name": p.name, "type": p.type_name, "required": p.required,
                        "help": p.help} for p in s.params],
            "outputs": [{"name": o.name, "type": "secret" if o.secret else "value",
                         "help": o.help} for o in s.outputs],
        } for s in specs], indent=2))
        return EXIT_OK
    for spec in specs:
        traits = ", ".join(t for t, on in (("changes state", spec.changes),
                                            ("safe to retry", spec.retry_safe)) if on)
        print(f"{spec.name}: {spec.summary}" + (f"  ({traits})" if traits else ""))
        for p in spec.params:
            need = "required" if p.required else f"default {p.default!r}"
            print(f"    with {p.name}: {p.type_name}, {need}" + (f" - {p.help}" if p.help
                                                                    else ""))
        for o in spec.outputs:
            print(f"    output {o.name}" + (" (secret: goes to the vault)" if o.secret else ""))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from automation.runbook.schema import runbook_schema

    json.dump(runbook_schema(REGISTRY), sys.stdout, indent=2)
    print()
    return EXIT_OK
