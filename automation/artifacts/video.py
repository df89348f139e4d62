"""``video.webm`` and ``captions.vtt`` (``--video``, ``runbook demo``): one film of the whole
run, in step order across the sites, a caption per step, burned in as a banner too.

Frames come from Chromium's screencast (CDP ``Page.startScreencast``) of every site's page
and are encoded with the system's ffmpeg (Playwright's own ffmpeg cannot be downloaded
everywhere). They stay in memory until the end, so a frame of a secret never touches a disk:
a step that types or reads a secret is not filmed (its frames are dropped, by time), and its
chapter shows the masked picture the camera took of it instead. Password fields are also
blurred by the page itself, before they are painted.
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loguru import logger
from playwright.sync_api import CDPSession
from playwright.sync_api import Error as PlaywrightError

from automation.artifacts.captions import CAPTIONS_NAME, Cue, write_captions
from automation.artifacts.screenshots import Screenshots
from automation.errors import RunbookToolError
from automation.execute.events import RunEvent, StepEvent

if TYPE_CHECKING:
    from automation.execute.session import BrowserSession
    from automation.pages.base import Site

__all__ = ["BANNER_PX", "BLUR_SCRIPT", "HIGHLIGHT_SCRIPT", "VIDEO_NAME", "Chapter", "VideoRecorder",
           "encode_film"]

VIDEO_NAME = "video.webm"
SIZE = (1280, 720)
#: The caption banner's band above the page, so that it hides nothing of the page.
BANNER_PX = 40
#: Frames this close to a secret-handling step are dropped too (delivery is asynchronous).
MARGIN_S = 0.25
#: A step's first frame comes this much after its cue begins: subtitles are timed to the
#: centisecond, and a frame on the boundary would show the previous caption.
CUE_LEAD_S = 0.02
MIN_FRAME_S = 0.1

BLUR_SCRIPT = """(() => {
  const style = document.createElement('style');
  style.textContent = 'input[type=password] { filter: blur(8px) !important; }';
  const add = () => (document.head || document.documentElement).appendChild(style);
  document.head ? add() : document.addEventListener('DOMContentLoaded', add);
})();"""

#: A demo shows what is about to be acted on: the element under the pointer Playwright moves
#: before a click, or the field it focuses before typing.
HIGHLIGHT_SCRIPT = """(() => {
  let last = null;
  const show = (target) => {
    const el = target && target.closest && target.closest(
      'a, button, input, select, textarea, label, summary, [role], td, li');
    if (!el || el === last) return;
    if (last) { last.style.outline = last.dataset.runbookOutline || ''; }
    el.dataset.runbookOutline = el.style.outline;
    el.style.outline = '3px solid #ff8c00';
    el.style.outlineOffset = '2px';
    last = el;
  };
  document.addEventListener('mousemove', (e) => show(e.target), true);
  document.addEventListener('focusin', (e) => show(e.target), true);
})();"""


@dataclass
class Chapter:
    """A step's span of the film, in wall-clock seconds; a sensitive one shows its still."""

    key: str
    title: str
    start: float
    end: float
    sensitive: bool


class VideoRecorder:
    def __init__(self, run_dir: Path, browser: BrowserSession, screenshots: Screenshots,
                 *, highlight: bool = False) -> None:
        self.run_dir, self.screenshots, self.highlight = run_dir, screenshots, highlight
        self.ffmpeg = shutil.which("ffmpeg")
        if self.ffmpeg is None:
            raise RunbookToolError("--video needs ffmpeg: run scripts/setup, or "
                                   "apt-get install ffmpeg")
        self._frames: list[tuple[float, bytes]] = []
        self._sessions: list[CDPSession] = []
        self._chapters: list[Chapter] = []
        self._secret_since: float | None = None
        self.encode_s = 0.0
        browser.context_options.setdefault("viewport", {"width": SIZE[0], "height": SIZE[1]})
        browser.on_site_opened.append(self._site_opened)

    def _site_opened(self, _name: str, site: Site) -> None:
        page = site.page
        page.add_init_script(BLUR_SCRIPT)
        if self.highlight:
            page.add_init_script(HIGHLIGHT_SCRIPT)
        session = page.context.new_cdp_session(page)

        def frame(params: dict[str, Any]) -> None:
            try:
                session.send("Page.screencastFrameAck", {"sessionId": params["sessionId"]})
            except PlaywrightError:
                return
            if self._secret_since is None:  # a secret on screen never reaches memory
                taken = float(params.get("metadata", {}).get("timestamp") or time.time())
                self._frames.append((taken, base64.b64decode(params["data"])))

        session.on("Page.screencastFrame", frame)
        session.send("Page.startScreencast", {"format": "jpeg", "quality": 70,
                                              "maxWidth": SIZE[0], "maxHeight": SIZE[1]})
        self._sessions.append(session)

    def on_step(self, event: StepEvent) -> None:
        now = time.time()
        if event.status == "started":
            self._chapters.append(Chapter(event.key, event.title, now, now, event.sensitive))
            if event.sensitive:
                self._secret_since = now
        elif event.status in ("succeeded", "failed") and self._chapters:
            self._chapters[-1].end = now
            self._secret_since = None

    def on_run(self, event: RunEvent) -> None:
        if event.status != "finished":
            return
        for session in self._sessions:
            try:
                session.send("Page.stopScreencast")
                session.detach()
            except PlaywrightError:
                pass
        started = time.perf_counter()
        frames = self._encode()
        self.encode_s = time.perf_counter() - started
        logger.debug("video: {} frames encoded in {:.1f} s", frames, self.encode_s)

    # -- the film ------------------------------------------------------------------------

    def _timeline(self) -> list[tuple[float, bytes | Path]]:
        hidden = [(c.start - MARGIN_S, c.end + MARGIN_S) for c in self._chapters if c.sensitive]
        timeline: list[tuple[float, bytes | Path]] = [
            (t, data) for t, data in self._frames
            if not any(start <= t <= end for start, end in hidden)]
        for chapter in self._chapters:
            if chapter.sensitive:
                still = self._still(chapter)
                if still is not None:
                    timeline.append((chapter.start + CUE_LEAD_S, still))
        timeline.sort(key=lambda item: item[0])
        # The film has a frame only where the screen changed: repeat the frame shown when a
        # step begins, so that its caption appears on time.
        for chapter in self._chapters:
            before = [item for item in timeline if item[0] <= chapter.start]
            if before and not chapter.sensitive:
                timeline.append((chapter.start + CUE_LEAD_S, before[-1][1]))
        return sorted(timeline, key=lambda item: item[0])

    def _still(self, chapter: Chapter) -> Path | None:
        """The masked picture of a secret-handling step: the secret captured, else its end."""
        pictures = self.screenshots.of(chapter.key)
        for moment in ("secret-captured", "ended"):
            chosen = [p for p in pictures if p.moment == moment
                      and chapter.start <= p.taken_at <= chapter.end + 5]
            if chosen:
                return self.run_dir / chosen[-1].path
        return None

    def _encode(self) -> int:
        assert self.ffmpeg is not None
        return encode_film(self.ffmpeg, self.run_dir, self._timeline(), self._chapters)


def encode_film(ffmpeg: str, run_dir: Path, timeline: list[tuple[float, bytes | Path]],
                chapters: list[Chapter]) -> int:
    """Writes ``video.webm`` and ``captions.vtt`` into ``run_dir``: each frame (JPEG bytes,
    or a picture's path) from its wall-clock time on, a cue per chapter. The frames kept."""
    if not timeline:
        return 0
    origin = min(timeline[0][0], min((c.start for c in chapters), default=1e18))
    cues = [Cue(c.start - origin, max(c.end, c.start + 0.001) - origin, c.title, c.key)
            for c in chapters]
    captions = write_captions(run_dir / CAPTIONS_NAME, cues)
    # Each frame's place in the film is its time since the origin, to the millisecond;
    # a frame shown for less than MIN_FRAME_S gives way to the next one (10 frames a
    # second at most: the encoding's cost is per frame, and a page settles in between).
    places = [round(t - origin, 3) for t, _ in timeline]
    places[0] = 0.0
    finish = round(max([places[-1]] + [c.end_s for c in cues]) + 1.0, 3)
    kept = [n for n in range(len(timeline))
            if (places[n + 1] if n + 1 < len(places) else finish) - places[n] >= MIN_FRAME_S]
    with tempfile.TemporaryDirectory(prefix="runbook-video-") as work:
        folder = Path(work)
        listing = ["ffconcat version 1.0"]
        at = 0.0
        stills: list[tuple[Path, Path]] = []
        for order, number in enumerate(kept):
            frame = timeline[number][1]
            path = folder / f"{order:06}.jpg"
            if isinstance(frame, Path):
                stills.append((frame, path))
            else:
                path.write_bytes(frame)
            until = places[kept[order + 1]] if order + 1 < len(kept) else finish
            # An image is timed in its demuxer's time base: 1/25 s unless told, which moved
            # a frame up to 20 ms, past its step's caption with the previous screen shown.
            listing += [f"file '{path.name}'", "option framerate 1000",
                        f"duration {until - at:.3f}"]
            at = until
        listing += listing[-3:-1]  # the concat demuxer ignores the last duration
        _to_jpeg(ffmpeg, stills)
        (folder / "frames.txt").write_text("\n".join(listing) + "\n")
        # A banner at the top (SSA's legacy alignment 6: top centre), small enough for
        # a long title to fit two lines.
        style = ("Alignment=6,Fontname=DejaVu Sans,Fontsize=9,BorderStyle=3,Outline=2,"
                 "Shadow=0,BackColour=&H50000000,OutlineColour=&H50000000,MarginV=2")
        scale = (f"scale={SIZE[0]}:{SIZE[1]}:force_original_aspect_ratio=decrease,"
                 f"pad={SIZE[0]}:{SIZE[1] + BANNER_PX}:(ow-iw)/2:{BANNER_PX}:color=0x202428,"
                 "format=yuv420p")
        shutil.copyfile(captions, folder / CAPTIONS_NAME)  # a plain name for the filter
        subtitles = f"subtitles={CAPTIONS_NAME}:force_style='{style}'"
        _ffmpeg(ffmpeg, "-f", "concat", "-safe", "0", "-i", "frames.txt",
                "-vf", f"{scale},{subtitles}", "-fps_mode", "vfr", "-c:v", "libvpx",
                "-deadline", "realtime", "-cpu-used", "16", "-b:v", "1500k",
                # One thread: libvpx's workers spin on a busy machine (5x the CPU
                # time measured here on 2 shared cores).
                "-threads", "1", "-an",
                str((run_dir / VIDEO_NAME).resolve()), cwd=folder)
    return len(kept)


def _to_jpeg(ffmpeg: str, stills: list[tuple[Path, Path]]) -> None:
    """The masked PNG pictures as JPEG frames, in one ffmpeg call."""
    if not stills:
        return
    inputs = [arg for source, _ in stills for arg in ("-i", str(source))]
    outputs = [arg for number, (_, target) in enumerate(stills)
               for arg in ("-map", str(number), "-q:v", "3", str(target))]
    _ffmpeg(ffmpeg, *inputs, *outputs)


def _ffmpeg(ffmpeg: str, *args: str, cwd: Path | None = None) -> None:
    done = subprocess.run([ffmpeg, "-y", "-loglevel", "error", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RunbookToolError(f"ffmpeg could not encode the video: "
                               f"{done.stderr.strip()[-300:]}")
