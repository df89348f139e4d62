"""``procedure.md`` and ``procedure.html``: the illustrated how-to, written from a run.

Numbered steps with the runbook's titles, what each action does, and the picture of the
screen where it ended, grouped under the included runbooks' titles and descriptions, like
the consultants' how-to documents, but regenerated from a run so it is always current.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import yaml

from automation.artifacts.record import RunRecord, StepRow

__all__ = ["write_procedure"]


@dataclass
class _Section:
    title: str
    description: str = ""
    steps: list[StepRow] = field(default_factory=list)


def _about(path: Path) -> dict[str, Any]:
    """A runbook's title, description and includes (only what the how-to shows)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _sections(record: RunRecord) -> tuple[dict[str, Any], list[_Section]]:
    main_path = Path(record.runbook)
    main = _about(main_path)
    included: dict[str, dict[str, Any]] = {}
    for step in main.get("steps") or []:
        if isinstance(step, dict) and "include" in step and "id" in step:
            included[str(step["id"])] = _about(main_path.parent / str(step["include"]))
    sections: list[_Section] = []
    for row in record.steps:
        if row.status != "succeeded":
            continue
        prefix = row.key.split(".")[0] if "." in row.key else ""
        about = included.get(prefix, {})
        title = str(about.get("title", "")) if prefix else ""
        if not sections or sections[-1].title != title:
            sections.append(_Section(title, " ".join(str(about.get("description", "")).split())))
        sections[-1].steps.append(row)
    return main, sections


def _pictures(row: StepRow) -> list[tuple[str, str]]:
    return [(moment, path) for moment, path, attempt in row.pictures
            if attempt == row.attempts and moment != "failed"]


def write_procedure(record: RunRecord) -> list[Path]:
    """Writes ``procedure.md`` and ``procedure.html`` into the run directory."""
    main, sections = _sections(record)
    title = str(main.get("title") or record.name)
    description = " ".join(str(main.get("description", "")).split())
    md = [f"# {title}", "", description, ""]
    html = [f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
            "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em"
            " auto}img{max-width:100%;border:1px solid #ccc}</style></head><body>",
            f"<h1>{escape(title)}</h1><p>{escape(description)}</p>"]
    number = 0
    for section in sections:
        if section.title:
            md += [f"## {section.title}", "", section.description, ""]
            html.append(f"<h2>{escape(section.title)}</h2><p>{escape(section.description)}</p>")
        html.append("<ol>" if number == 0 else f'<ol start="{number + 1}">')
        for row in section.steps:
            number += 1
            summary = row.summary
            md.append(f"{number}. **{row.title}**")
            html.append(f"<li><p><strong>{escape(row.title)}</strong></p>")
            if summary:
                md.append(f"   {summary}")
                html.append(f"<p>{escape(summary)}</p>")
            for note in row.notes:
                md.append(f"   - {note}")
                html.append(f"<p>{escape(note)}</p>")
            for moment, path in _pictures(row):
                alt = f"Step {number}: {moment}"
                md += ["", f"   ![{alt}]({path})"]
                html.append(f'<img alt="{escape(alt)}" src="{escape(path)}">')
            md.append("")
            html.append("</li>")
        html.append("</ol>")
    html.append("</body></html>")
    written = [record.run_dir / "procedure.md", record.run_dir / "procedure.html"]
    written[0].write_text("\n".join(md), encoding="utf-8")
    written[1].write_text("".join(html), encoding="utf-8")
    return written
