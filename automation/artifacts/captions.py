"""``captions.vtt``: a cue per step (its title, which never holds a secret: titles are
rendered with secrets shown as ``<secret>``, and scrubbed again here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from automation.secret import REDACTOR

__all__ = ["CAPTIONS_NAME", "Cue", "read_cues", "write_captions"]

CAPTIONS_NAME = "captions.vtt"


@dataclass(frozen=True)
class Cue:
    start_s: float
    end_s: float
    text: str
    key: str = ""


def _stamp(seconds: float) -> str:
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02}:{minutes:02}:{rest // 1000:02}.{rest % 1000:03}"


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def write_captions(path: Path, cues: list[Cue]) -> Path:
    lines = ["WEBVTT", ""]
    for cue in cues:
        lines += [cue.key or "step", f"{_stamp(cue.start_s)} --> {_stamp(cue.end_s)}",
                  REDACTOR.scrub(" ".join(cue.text.split())), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def read_cues(path: Path) -> list[Cue]:
    """The cues of a file :func:`write_captions` wrote (the tests read chapter times)."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    cues = []
    for block in blocks:
        lines = block.strip().splitlines()
        if len(lines) >= 3 and "-->" in lines[1]:
            start, end = (part.strip() for part in lines[1].split("-->"))
            cues.append(Cue(_seconds(start), _seconds(end), " ".join(lines[2:]), lines[0]))
    return cues
