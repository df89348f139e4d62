"""The fleet's summary: a table on the terminal and ``report.html`` in the fleet directory.

One row per member (status, duration, the ``N/N projects visible`` line or the failing step),
each linking to the member's own report. The page is self-contained (inline style, no
network), in the style of a run's report.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from automation.artifacts.report import REPORT_NAME
from automation.fleet.record import FleetSpec, MemberSummary, member_summary

__all__ = ["fleet_summaries", "summary_table", "write_fleet_report"]

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .5em; text-align: left; vertical-align: top; }
.succeeded { color: #17623a; } .failed { color: #b00020; font-weight: bold; }
.not-run { color: #777; }
td.number { text-align: right; }
"""


def fleet_summaries(spec: FleetSpec, fleet_dir: Path,
                    leaked: set[str] | frozenset[str] = frozenset()) -> list[MemberSummary]:
    rows = []
    for member in spec.members:
        row = member_summary(member.name, fleet_dir / member.name)
        if member.name in leaked:  # the run succeeded, and its leak scan failed it
            row = MemberSummary(row.name, "failed", row.duration_s,
                                "the leak scan found a secret (quarantined)", row.run_dir,
                                row.runs)
        rows.append(row)
    return rows


def _counts(rows: list[MemberSummary]) -> str:
    done = sum(r.status == "succeeded" for r in rows)
    failed = sum(r.status == "failed" for r in rows)
    waiting = len(rows) - done - failed
    return f"{done}/{len(rows)} members succeeded, {failed} failed, {waiting} not run"


def summary_table(rows: list[MemberSummary]) -> str:
    """The terminal's table: member, status, duration, result."""
    header = ("member", "status", "duration", "result")
    cells = [(r.name, r.status, f"{r.duration_s:.1f} s", r.line) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header[:3])]
    lines = ["  ".join(f"{text:<{widths[i]}}" for i, text in enumerate(header[:3]))
             + "  " + header[3]]
    lines += ["  ".join(f"{text:<{widths[i]}}" for i, text in enumerate(c[:3])) + "  " + c[3]
              for c in cells]
    lines.append(_counts(rows))
    return "\n".join(lines)


def write_fleet_report(fleet_dir: Path, spec: FleetSpec, rows: list[MemberSummary],
                       lost_endpoints: list[str]) -> Path:
    body = []
    for r in rows:
        link = Path(r.name) / REPORT_NAME
        name = (f'<a href="{escape(str(link))}">{escape(r.name)}</a>'
                if (fleet_dir / link).is_file() else escape(r.name))
        runs = f"<br><small>{r.runs} runs</small>" if r.runs > 1 else ""
        body.append(f'<tr><td>{name}</td><td class="{r.status.replace(" ", "-")}">'
                    f"{escape(r.status)}{runs}</td>"
                    f'<td class="number">{r.duration_s:.1f} s</td><td>{escape(r.line)}</td></tr>')
    lost = (f"<p>Endpoints lost during the fleet (their members moved): "
            f"{escape(', '.join(lost_endpoints))}</p>" if lost_endpoints else "")
    title = f"{Path(spec.runbook).name}: fleet of {len(rows)}"
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{escape(title)}</h1><p>{escape(_counts(rows))}; {spec.parallel} at a "
            f"time, target {escape(spec.target)}</p>{lost}"
            "<table><thead><tr><th>Member</th><th>Status</th><th>Duration</th>"
            f"<th>Result</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
            "</body></html>")
    path = fleet_dir / REPORT_NAME
    path.write_text(page, encoding="utf-8")
    return path
