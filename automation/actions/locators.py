"""User-facing targets for the primitive actions: what a person sees, not CSS.

A target is a mapping with exactly one way to find the element and optional refinements::

    {role: button, name: Create}            # get_by_role, accessible name
    {label: App Name}                       # get_by_label
    {text: Your Production Credentials}     # get_by_text
    {placeholder: Search}                   # get_by_placeholder
    {role: button, name: Create, exact: true, within: {role: dialog, name: Create New App}}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from automation.action_spec import TARGET, Checked

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

__all__ = ["KINDS", "Target", "check_target", "describe", "locate"]

KINDS = ("role", "label", "text", "placeholder", "title", "alt")
REFINEMENTS = ("name", "exact", "within", "nth")


def check_target(spec: Any) -> str | None:
    """Why ``spec`` is not a valid target, or None."""
    if not isinstance(spec, dict):
        return "a target must be a mapping such as {role: button, name: Create}"
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        return f"a target needs exactly one of: {', '.join(KINDS)}"
    unknown = set(spec) - set(KINDS) - set(REFINEMENTS)
    if unknown:
        return f"unknown target key(s) {', '.join(sorted(unknown))}"
    if "name" in spec and "role" not in spec:
        return "'name' refines a 'role' target"
    if "within" in spec:
        return check_target(spec["within"])
    return None


#: A parameter taking a user-facing target, e.g. ``{role: button, name: Create}``.
Target = Annotated[dict[str, Any], TARGET, Checked(check_target)]


def locate(page: Page, spec: dict[str, Any]) -> Locator:
    scope: Page | Locator = locate(page, spec["within"]) if "within" in spec else page
    exact = bool(spec.get("exact", False))
    if "role" in spec:
        found = scope.get_by_role(spec["role"], name=spec.get("name"), exact=exact)
    elif "label" in spec:
        found = scope.get_by_label(spec["label"], exact=exact)
    elif "text" in spec:
        found = scope.get_by_text(spec["text"], exact=exact)
    elif "placeholder" in spec:
        found = scope.get_by_placeholder(spec["placeholder"], exact=exact)
    elif "title" in spec:
        found = scope.get_by_title(spec["title"], exact=exact)
    else:
        found = scope.get_by_alt_text(spec["alt"], exact=exact)
    return found.nth(int(spec["nth"])) if "nth" in spec else found


def describe(spec: dict[str, Any]) -> str:
    """``button "Create" in dialog "Create New App"``: for messages."""
    kind = next(k for k in KINDS if k in spec)
    text = f'{spec[kind]} "{spec["name"]}"' if kind == "role" and "name" in spec else (
        f'{kind} "{spec[kind]}"')
    return f"{text} in {describe(spec['within'])}" if "within" in spec else text
