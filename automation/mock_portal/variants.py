"""DOM variants: every site's pages served with the help a person cannot see taken away, or
with another wording Procore's own documents use, so that page objects are tried the way the
real Procore would try them (``runbook mock-portal --variant NAME[,NAME...]``,
``MockPortal(variants=...)``).

Each variant is a named function in ``variants.js``, which every HTML response carries at the
top of its ``<head>``: it rewrites each node as the parser or a page script adds or changes it,
before anything else can see it. So it applies to every site and every screen, present and
future, and to the texts scripts write (a toast, "Hide Old Versions"). What a person sees stays
the same, except the toast that ``no_toast`` removes on purpose. Sign-in pages (Procore's
login, the sync tool's) take them too.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, Response

__all__ = ["ALL", "VARIANTS", "install_variants", "parse_variants"]

#: name -> what it takes away or changes (the function of the same name in variants.js).
VARIANTS: dict[str, str] = {
    "no_aria_label": "every aria-label removed",
    "no_labelledby": "every aria-labelledby removed (sections, groups, dialogs lose names)",
    "plain_roles": "region/group/tab/tabpanel/tablist/search/banner/form/navigation/menu/"
    "menuitem roles removed",
    "captions_not_labels": "<label for> replaced by a plain caption element beside the field",
    "other_wording": "Create -> Create App, X OAuth Credentials -> X Credentials, "
    "Read-Only -> Read-only, Update App -> Update Available, Review Update -> Review Changes "
    "(each a wording Procore's documents use)",
    "no_toast": "toasts never show",
    "reordered_columns": "table columns after the first in reverse order",
    "wrapped_controls": "every button and link inside two extra wrappers",
    "swapped_elements": "links styled as buttons become buttons; plain buttons become links",
}
#: Every variant at once.
ALL = "all"

_SCRIPT = (Path(__file__).with_name("variants.js")).read_text(encoding="utf-8")


def parse_variants(spec: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``"no_toast,plain_roles"`` (or a list) -> the names, checked; ``"all"`` -> every one."""
    if spec is None:
        return ()
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names: list[str] = []
    for raw in items:
        name = raw.strip()
        if not name:
            continue
        if name == ALL:
            names.extend(VARIANTS)
        elif name in VARIANTS:
            names.append(name)
        else:
            known = ", ".join([*VARIANTS, ALL])
            raise ValueError(f"unknown variant {name!r}; known variants: {known}")
    return tuple(dict.fromkeys(names))


def install_variants(app: Flask, names: tuple[str, ...]) -> None:
    """Serves every HTML page of ``app`` with the variants ``names`` (none: unchanged)."""
    app.config["PORTAL_VARIANTS"] = names

    @app.after_request
    def _with_variants(response: Response) -> Response:
        chosen: tuple[str, ...] = app.config["PORTAL_VARIANTS"]
        if not chosen or response.mimetype != "text/html" or response.direct_passthrough:
            return response
        html = response.get_data(as_text=True)
        head = html.find("<head>")
        if head < 0:
            return response
        at = head + len("<head>")
        script = f"<script>window.MOCK_VARIANTS = {json.dumps(list(chosen))};\n{_SCRIPT}</script>"
        response.set_data(html[:at] + script + html[at:])
        return response
