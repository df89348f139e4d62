"""The film's timing, with the system's ffmpeg and no browser: each frame starts at its own
millisecond, so a step's first frame comes just after its caption (``CUE_LEAD_S``), never a
moment later with the previous screen still shown under the new caption."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pixels import decode, frame_times

from automation.artifacts.captions import read_cues
from automation.artifacts.video import CUE_LEAD_S, VIDEO_NAME, Chapter, encode_film

T0 = 1_790_000_000.0  # wall-clock seconds, as the screencast gives them


def solid(folder: Path, colour: str) -> bytes:
    path = folder / f"{colour}.jpg"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"color={colour}:s=320x180", "-frames:v", "1", str(path)], check=True)
    return path.read_bytes()


@pytest.fixture
def film(tmp_path: Path) -> Path:
    red, lime, blue = (solid(tmp_path, c) for c in ("red", "lime", "blue"))
    # Frames off ffmpeg's default 40 ms grid: 1.033 s and 2.517 s into the film.
    chapters = [Chapter("a", "Open the app", T0, T0 + 1.013, sensitive=False),
                Chapter("b", "Promote it", T0 + 1.013, T0 + 2.497, sensitive=False)]
    timeline: list[tuple[float, bytes | Path]] = [
        (T0, red), (T0 + 1.013 + CUE_LEAD_S, lime), (T0 + 2.517, blue)]
    assert encode_film("ffmpeg", tmp_path, timeline, chapters) == 3
    return tmp_path


def test_each_frame_starts_at_its_millisecond(film: Path) -> None:
    assert frame_times(film / VIDEO_NAME)[:3] == [0.0, 1.013 + CUE_LEAD_S, 2.517]


def test_a_step_shows_its_own_screen_from_just_after_its_caption(film: Path) -> None:
    (_, second) = read_cues(film / "captions.vtt")
    assert second.start_s == pytest.approx(1.013)
    frames = decode(film / VIDEO_NAME, start=second.start_s + CUE_LEAD_S,
                    end=second.start_s + CUE_LEAD_S + 0.02, fps=1000)  # every millisecond
    assert len(frames) >= 19
    for frame in frames:
        r, g, b = frame.pixel(640, 400)
        assert g > 200 and r < 60 and b < 60  # lime, not the red of the step before
