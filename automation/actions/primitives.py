"""Built-in actions for screens that have no page object yet.

Each takes a user-facing ``target`` (see :mod:`automation.actions.locators`) and ends in a
known state through Playwright's web-first waits: no sleeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from automation.action_spec import NO_SECRET, Checked, NoOutputs, action, check_of
from automation.actions import locators
from automation.actions.locators import describe, locate
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.planned import Planned
from automation.secret import Secret, plain

__all__ = [
    "check_screenshot_name",
    "click",
    "expect_text",
    "fill",
    "goto",
    "pause_for_human",
    "screenshot",
    "select",
    "wait_for",
]

Site = Annotated[
    Literal["web", "developer_portal", "procore", "sync_tool"],
    "the site whose page to use (default 'web': pages opened by absolute URL)",
]
Target = Annotated[locators.Target, "what to act on, e.g. {role: button, name: Create}"]


@dataclass(frozen=True)
class Navigated:
    url: str


@dataclass(frozen=True)
class Shot:
    path: str


#: A screenshot's name: a plain file name (no folder, no '..'), so it stays in the run directory.
_SCREENSHOT_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_. -]{0,99}$")


def check_screenshot_name(name: Any) -> str | None:
    """Why ``name`` cannot name a screenshot file, or None (validation uses it too)."""
    if not isinstance(name, str) or not _SCREENSHOT_NAME.match(name) or ".." in name:
        return ("a screenshot name is a plain file name of letters, digits, '_', '-', '.' "
                "and spaces (no folders, no '..'), at most 100 characters")
    return None


# Arguments marked NO_SECRET show on screen, in addresses or in messages: validation refuses
# a secret in them (and in any locator target); the actions refuse it too.
def _refuse_secrets(action: str, **arguments: Any) -> None:
    """A secret in an address or a locator would show in the address bar, in Playwright's
    messages and in the journal: refused (validation refuses it earlier where it can)."""
    for name, value in arguments.items():
        if _holds_secret(value):
            raise StepError(f"{action}: argument '{name}' holds a secret; refused")


def _holds_secret(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_secret(v) for v in value.values())
    return isinstance(value, Secret)


@action("goto", changes=False, retry_safe=True)
def goto(run: StepRun, *, url: Annotated[str, "absolute, or a path on the site", NO_SECRET],
         site: Site = "web") -> Navigated:
    """Open a page and wait for it to load."""
    _refuse_secrets("goto", url=url)
    page = run.page(site)
    absolute = url if "://" in url else run.target.url(site, url)
    page.goto(absolute)
    return Navigated(page.url)


@action("click", changes=True)
def click(run: StepRun, *, target: Target, site: Site = "web") -> NoOutputs:
    """Click an element once it is visible and enabled."""
    _refuse_secrets("click", target=target)
    locate(run.page(site), target).click()
    return NoOutputs()


@action("fill", changes=False, retry_safe=True)
def fill(run: StepRun, *, target: Target, value: Annotated[str | Secret, "the text to type"],
         site: Site = "web") -> NoOutputs:
    """Replace the text of an input (a Secret is revealed only inside this call)."""
    _refuse_secrets("fill", target=target)
    locate(run.page(site), target).fill(plain(value))
    return NoOutputs()


@action("select", changes=False, retry_safe=True)
def select(run: StepRun, *, target: Target,
           option: Annotated[str, "the option's label", NO_SECRET],
           site: Site = "web") -> NoOutputs:
    """Choose an option of a drop-down by its visible label."""
    _refuse_secrets("select", target=target, option=option)
    locate(run.page(site), target).select_option(label=option)
    return NoOutputs()


@action("expect_text", changes=False, retry_safe=True)
def expect_text(run: StepRun, *, target: Target,
                text: Annotated[str, "text it must contain", NO_SECRET],
                site: Site = "web") -> NoOutputs:
    """Check that an element shows a text (waits for it up to the step's timeout)."""
    _refuse_secrets("expect_text", target=target, text=text)
    from playwright.sync_api import expect

    expect(locate(run.page(site), target)).to_contain_text(text)
    return NoOutputs()


@action("wait_for", changes=False, retry_safe=True)
def wait_for(run: StepRun, *, target: Target,
             state: Literal["visible", "hidden", "attached", "detached"] = "visible",
             site: Site = "web") -> NoOutputs:
    """Wait until an element is visible (or hidden, attached, detached)."""
    _refuse_secrets("wait_for", target=target)
    locate(run.page(site), target).wait_for(state=state)
    return NoOutputs()


@action("screenshot", changes=False, retry_safe=True)
def screenshot(run: StepRun, *,
               name: Annotated[str, "file name, without .png", Checked(check_screenshot_name)],
               site: Site = "web") -> Shot:
    """Save a screenshot of the page; password fields and secrets on screen are masked."""
    path = screenshot_path(run.run_dir, name)
    page = run.page(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    from automation.artifacts.masking import mark_secrets, masks, unmark

    mark_secrets(page)  # a secret typed into an ordinary field, or shown as text
    try:
        page.screenshot(path=str(path), mask=masks(page, run.sensitive), full_page=True)
    finally:
        unmark(page)
    return Shot(str(path))


def screenshot_path(run_dir: Path, name: str) -> Path:
    """Where screenshot ``name`` goes: inside ``run_dir/screenshots``, or StepError."""
    problem = check_screenshot_name(name)
    folder = (run_dir / "screenshots").resolve()
    path = (folder / f"{name}.png").resolve()
    if problem or not path.is_relative_to(folder):
        raise StepError(f"screenshot: {problem or 'the name leaves the run directory'}")
    return path


@action("pause_for_human", changes=False)
def pause_for_human(run: StepRun, *, message: Annotated[str, "what the person must do"]
                    ) -> NoOutputs:
    """Ask the person at the keyboard to do something in the browser, then continue."""
    if not run.headed or run.ask_human is None:
        raise StepError(f"this step needs a person ({message}): run again with --headed")
    run.ask_human(message)
    return NoOutputs()


def describe_target(target: locators.Target) -> str:
    return describe(target)


# -- check mode: a click or a typed value may change something (a form saves, a button
# submits): the element is looked for, and what would be done said instead ---------------


def _present(run: StepRun, action_name: str, target: locators.Target, site: str) -> str:
    """Waits for the element as the action would; returns its description."""
    _refuse_secrets(action_name, target=target)
    from playwright.sync_api import expect

    expect(locate(run.page(site), target)).to_be_visible()
    return describe(target)


@check_of(click)
def check_click(run: StepRun, *, target: locators.Target, site: str = "web") -> Planned:
    return Planned(NoOutputs(), (f"would click {_present(run, 'click', target, site)}",))


@check_of(fill)
def check_fill(run: StepRun, *, target: locators.Target, value: str | Secret, site: str = "web"
               ) -> Planned:
    shown = "a secret" if isinstance(value, Secret) else repr(value)
    return Planned(NoOutputs(), (f"would fill {_present(run, 'fill', target, site)} with "
                                 f"{shown}",))


@check_of(select)
def check_select(run: StepRun, *, target: locators.Target, option: str, site: str = "web"
                 ) -> Planned:
    _refuse_secrets("select", option=option)
    return Planned(NoOutputs(), (f"would choose '{option}' in "
                                 f"{_present(run, 'select', target, site)}",))
