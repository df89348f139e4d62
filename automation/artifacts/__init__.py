"""Run records: side concerns that hang off the executor's events, each in its own object.

=====================  ===============================================================
``screenshots``        a masked picture after every step; the executor's camera
``record``             ``record.json``: the steps, for the report and the procedure
``trace``              ``trace.zip`` without the steps that handle secrets (``--trace``)
``video``              ``video.webm`` + ``captions.vtt`` (``--video``, ``runbook demo``)
``report``             ``report.html``, self-contained
``procedure``          ``procedure.md`` and ``.html``, the illustrated how-to
``leak_scan``          every file and the output, searched for every secret in play
=====================  ===============================================================

:class:`RunRecorders` builds them from :class:`RecordOptions` (an explicit list) and finishes
the run directory when the run ends: files written, made owner-only, scanned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger

from automation.artifacts.leak_scan import LeakScan, quarantine, scan_tree, secrets_in_play
from automation.artifacts.procedure import write_procedure
from automation.artifacts.record import RunRecord, load_record
from automation.artifacts.report import REPORT_NAME, write_report
from automation.artifacts.screenshots import Screenshots
from automation.execute.events import RunEvent, StepEvent, Subscriber

if TYPE_CHECKING:
    from automation.execute.session import BrowserSession

__all__ = ["REPORT_NAME", "RecordOptions", "RunRecorders", "load_record", "secure_tree",
           "write_procedure", "write_report"]


@dataclass(frozen=True)
class RecordOptions:
    trace: bool = False
    video: bool = False
    #: A demo: the element about to be acted on is highlighted in the film.
    highlight: bool = False


def secure_tree(root: Path) -> None:
    """Owner only: run directories hold pictures of customer data."""
    for path in [root, *root.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


@dataclass
class RunRecorders:
    """The subscribers of one run, in the order they must see each event."""

    run_dir: Path
    browser: BrowserSession
    options: RecordOptions
    quarantine_dir: Path
    leak_scan: LeakScan = field(default_factory=LeakScan)
    leaked: list[str] = field(default_factory=list)
    finished: bool = False

    def __post_init__(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.screenshots = Screenshots(self.run_dir, self.browser)
        self.record = RunRecord(self.run_dir, self.screenshots)
        self._sink = logger.add(self.leak_scan, level="DEBUG", format="{message}")
        # The trace stops its chunk before the camera takes the step's picture (the picture's
        # page script is not traced); the video reads the camera's pictures.
        self.subscribers: list[Subscriber] = []
        if self.options.trace:
            from automation.artifacts.trace import TraceRecorder

            self.subscribers.append(TraceRecorder(self.run_dir, self.browser))
        self.subscribers += [self.screenshots, self.record]
        if self.options.video:
            from automation.artifacts.video import VideoRecorder

            self.subscribers.append(VideoRecorder(self.run_dir, self.browser, self.screenshots,
                                                  highlight=self.options.highlight))
        self.subscribers.append(_Finisher(self))

    def finish(self) -> None:
        """Writes the report (and the procedure of a success), then scans everything.

        Called when the run ends; called again (harmlessly) after an interrupted run, which
        gets its report and its scan too.
        """
        if self.finished:
            return
        self.finished = True
        logger.remove(self._sink)
        try:
            self.record.save()
            write_report(self.record)
            if self.record.succeeded and not self.record.check:
                write_procedure(self.record)
        except OSError as error:  # a full or read-only --out: say so, and still scan
            logger.error("cannot write the run's report in {}: {}", self.run_dir,
                         error.strerror or type(error).__name__)
        secure_tree(self.run_dir)
        secrets = secrets_in_play()
        hits = scan_tree(self.run_dir, secrets)
        if hits:
            self.leaked = quarantine(hits, self.run_dir, self.quarantine_dir / self.run_dir.name)
            self.record.quarantined = self.leaked
            self.record.save()
            write_report(self.record)
            for name in self.leaked:
                logger.error("LEAK: {} held a secret; moved to {}", name, self.quarantine_dir)
        if self.leak_scan.output_leaks(secrets):
            self.leaked.append("(the run's output)")
            logger.error("LEAK: the run's output held a secret in an encoded form")
        secure_tree(self.run_dir)
        logger.info("Report: {}", self.run_dir / REPORT_NAME)


class _Finisher:
    """Last subscriber: when the run ends (browser still open), finishes the directory."""

    def __init__(self, recorders: RunRecorders) -> None:
        self.recorders = recorders

    def on_step(self, event: StepEvent) -> None:
        pass

    def on_run(self, event: RunEvent) -> None:
        if event.status == "finished":
            self.recorders.finish()
