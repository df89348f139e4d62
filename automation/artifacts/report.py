"""``report.html``: one self-contained page (pictures inlined, no network) a row per step."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from automation.artifacts.record import RunRecord, StepRow

__all__ = ["REPORT_NAME", "write_report"]

REPORT_NAME = "report.html"

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .5em; text-align: left; vertical-align: top; }
.succeeded { color: #17623a; } .failed { color: #b00020; font-weight: bold; }
.skipped, .done_before { color: #777; }
img { max-width: 480px; border: 1px solid #ccc; display: block; margin: .3em 0; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5em; }
.leak { background: #b00020; color: white; padding: 1em; font-weight: bold; }
"""


def _image(run_dir: Path, relative: str, caption: str) -> str:
    path = run_dir / relative
    if not path.is_file():
        return f"<p>{escape(caption)}: (missing {escape(relative)})</p>"
    data = base64.b64encode(path.read_bytes()).decode()
    return (f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(caption)} ({escape(relative)})</figcaption></figure>")


def _row(run_dir: Path, number: int, row: StepRow) -> str:
    cells = [f"<td>{number}</td>", f"<td>{escape(row.title)}<br><small>{escape(row.key)} "
             f"&lt;{escape(row.action)}&gt;</small></td>",
             f'<td class="{escape(row.status)}">{escape(row.status)}'
             + (f"<br><small>attempt {row.attempts}</small>" if row.attempts > 1 else "")
             + "</td>", f"<td>{row.duration_s:.2f} s</td>"]
    details = [f"<p>{escape(note)}</p>" for note in row.notes]
    if row.status == "failed":
        details.append(f"<pre>{escape(row.reason)}</pre>")
        if row.locator:
            details.append(f"<p>locator: <code>{escape(row.locator)}</code></p>")
        if row.failed_screen:
            details.append(_image(run_dir, row.failed_screen, "the screen that failed"))
    last = max((a for _m, _p, a in row.pictures), default=0)
    for moment, path, attempt in row.pictures:
        if attempt == last and moment != "failed":
            details.append(_image(run_dir, path, f"{moment}, attempt {attempt}"))
    if not row.pictures and row.status in ("succeeded", "failed"):
        details.append("<p><em>no screen: this step did not use the browser</em></p>")
    cells.append(f"<td>{''.join(details)}</td>")
    return f"<tr>{''.join(cells)}</tr>"


def write_report(record: RunRecord) -> Path:
    run_dir = record.run_dir
    outcome = {True: "succeeded", False: "FAILED", None: "did not finish"}[record.succeeded]
    leak = "".join(f'<p class="leak">Leak scan: {escape(name)} held a secret and was '
                   "quarantined</p>" for name in record.quarantined)
    rows = "".join(_row(run_dir, n, row) for n, row in enumerate(record.steps, start=1))
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(record.name)}: {outcome}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{escape(record.name)}: {outcome}</h1>"
            f"<p>{escape(record.runbook)}, started {escape(record.started)}</p>{leak}"
            "<table><thead><tr><th>#</th><th>Step</th><th>Status</th><th>Duration</th>"
            f"<th>Screens and notes</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>")
    path = run_dir / REPORT_NAME
    path.write_text(page, encoding="utf-8")
    return path
