"""Captions, report and procedure are written from a record without a browser."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from automation.artifacts import load_record, write_procedure, write_report
from automation.artifacts.captions import Cue, read_cues, write_captions
from automation.artifacts.record import RunRecord, StepRow
from automation.secret import Secret


def _png(path: Path) -> None:
    """A 1x1 PNG (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    path.parent.mkdir(parents=True, exist_ok=True)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\xff")) + chunk(b"IEND", b""))


def _record(tmp_path: Path, runbook: Path) -> RunRecord:
    _png(tmp_path / "screenshots" / "a.1.ended.png")
    _png(tmp_path / "screenshots" / "b.1.failed.png")
    return RunRecord(tmp_path, runbook=str(runbook), name="demo", succeeded=True, steps=[
        StepRow("a", 1, "Open the portal", "goto", "succeeded", duration_s=0.5,
                notes=["opened"], pictures=[("ended", "screenshots/a.1.ended.png", 1)]),
        StepRow("b", 2, "Click Create", "click", "succeeded", attempts=2,
                failed_screen="screenshots/b.1.failed.png",
                pictures=[("failed", "screenshots/b.1.failed.png", 1)]),
    ])


class TestCaptions:
    """A cue per step, times round-trip, and no secret value in a caption."""

    def test_round_trip_and_scrubbed(self, tmp_path: Path) -> None:
        secret = Secret("caption-secret-value-123")
        path = write_captions(tmp_path / "captions.vtt", [
            Cue(0.0, 1.25, "Sign in", "s1"),
            Cue(61.5, 3723.004, f"typed {secret.reveal()}", "s2")])
        text = path.read_text()
        assert text.startswith("WEBVTT") and "01:02:03.004" in text
        assert secret.reveal() not in text
        cues = read_cues(path)
        assert [(c.key, c.start_s, c.end_s) for c in cues] == [
            ("s1", 0.0, 1.25), ("s2", 61.5, 3723.004)]


class TestReportAndProcedure:
    """The report inlines its pictures; the procedure numbers the steps that succeeded."""

    def test_report_is_self_contained(self, tmp_path: Path) -> None:
        record = _record(tmp_path, tmp_path / "missing.yaml")
        record.save()
        html = write_report(load_record(tmp_path)).read_text()
        assert html.count("<tr>") == 3  # header and two steps
        assert "data:image/png;base64," in html and 'src="screenshots' not in html
        assert "attempt 2" in html

    def test_procedure_links_existing_pictures(self, tmp_path: Path) -> None:
        runbook = tmp_path / "demo.yaml"
        runbook.write_text("runbook: demo\ntitle: A demo\ndescription: What it does.\nsteps: []\n")
        md, html = write_procedure(_record(tmp_path, runbook))
        text = md.read_text()
        assert text.startswith("# A demo")
        assert text.index("1. **Open the portal**") < text.index("2. **Click Create**")
        assert "![Step 1: ended](screenshots/a.1.ended.png)" in text
        assert "failed" not in text  # a retried step shows where it ended, not its failure
        assert 'src="screenshots/a.1.ended.png"' in html.read_text()


class TestCommands:
    """`runbook report` prints the newest run's report; `runbook procedure` writes the how-to
    from a run directory, and refuses a failed run (exit 2, no traceback)."""

    def test_report_and_procedure(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                  ) -> None:
        from automation.cli.main import main

        runbook = tmp_path / "demo.yaml"
        runbook.write_text("runbook: demo\ntitle: A demo\nsteps: []\n")
        older, newer = tmp_path / "runs" / "20260101T000000Z-demo", tmp_path / "runs" / "2027"
        for run_dir in (older, newer):
            _record(run_dir, runbook).save()
        assert main(["report", "--out", str(tmp_path / "runs")]) == 0
        assert capsys.readouterr().out.strip() == str(newer / "report.html")
        assert (newer / "report.html").is_file() and not (older / "report.html").exists()

        assert main(["procedure", str(older)]) == 0
        assert (older / "procedure.md").read_text().startswith("# A demo")
        assert (older / "procedure.md").stat().st_mode & 0o777 == 0o600

        failed = _record(tmp_path / "runs" / "failed", runbook)
        failed.succeeded = False
        failed.save()
        assert main(["procedure", str(failed.run_dir)]) == 2
        assert "did not succeed" in capsys.readouterr().err
