"""Options that work before or after a subcommand: ``runbook --vault X vault list`` and
``runbook vault list --vault X`` mean the same.

argparse copies every value a subcommand's parser holds (its defaults too) over what the
main parser read before it, so a subcommand's own copy of a global option gets no default
(``SUPPRESS``); the default it had is kept aside, per subcommand, and filled in after
parsing when the option was given nowhere. A global option given before a subcommand that
does not take it is refused, as it would be after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

__all__ = ["add_global_options", "settle_global_options"]

#: The options that several subcommands take: accepted before the subcommand too.
SHARED = {
    "--vault": {"metavar": "URL", "help": "vault URL (run, demo, vault...; default: "
                "$RUNBOOK_VAULT or file:.runbook/vault.enc)"},
    "--target": {"metavar": "T", "help": "mock, sandbox, production or a target profile file "
                 "(run, plan, demo...)"},
}
#: Defaults a subcommand's parser had for its shared and everywhere options, by dest.
_DEFAULTS = "_global_defaults"


def _add_everywhere(parser: argparse.ArgumentParser, default: bool) -> None:
    """The options every subcommand takes (the main parser holds the defaults)."""
    suppress: dict[str, Any] = {} if default else {"default": argparse.SUPPRESS}
    parser.add_argument("-v", "--verbose", action="count", help="more detail (-vv: more)",
                        **({"default": 0} if default else suppress))
    parser.add_argument("--log-json", metavar="FILE", help="also log JSON lines to FILE",
                        **suppress)


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """Call on the main parser once every subcommand is registered."""
    _add_everywhere(parser, default=True)
    for option, spec in SHARED.items():
        parser.add_argument(option, default=argparse.SUPPRESS, metavar=spec["metavar"],
                            help=spec["help"])
    for sub in _subcommand_parsers(parser):
        _globalize(sub, {})


def _globalize(sub: argparse.ArgumentParser, inherited: dict[str, Any]) -> None:
    """A subcommand's copies of the shared options lose their defaults (kept aside), and a
    subcommand without subcommands of its own takes the everywhere options."""
    nested = list(_subcommand_parsers(sub))
    taken = {s for action in sub._actions for s in action.option_strings}
    if not nested and "--verbose" not in taken:
        _add_everywhere(sub, default=False)
    defaults = {**inherited, **(sub.get_default(_DEFAULTS) or {})}
    for action in sub._actions:
        if set(action.option_strings) & set(SHARED):
            if action.default is not argparse.SUPPRESS:
                defaults[action.dest] = action.default
            else:
                defaults.setdefault(action.dest, None)
            action.default = argparse.SUPPRESS
    sub.set_defaults(**{_DEFAULTS: defaults})
    for child in nested:  # a nested subcommand inherits its group's defaults
        _globalize(child, defaults)


def settle_global_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Fills in the defaults of the shared options given nowhere; refuses one given before
    a subcommand that does not take it (exit 2, as argparse does)."""
    defaults: dict[str, Any] = getattr(args, _DEFAULTS, {})
    for option in SHARED:
        dest = option.lstrip("-").replace("-", "_")
        if dest in defaults:
            if not hasattr(args, dest):
                setattr(args, dest, defaults[dest])
        elif hasattr(args, dest):
            parser.error(f"{option} does not apply to `runbook {args.command}`")
    if hasattr(args, _DEFAULTS):
        delattr(args, _DEFAULTS)


def _has_subcommands(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


def _subcommand_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from dict.fromkeys(action.choices.values())  # aliases share a parser
