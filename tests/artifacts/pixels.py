"""Pixels read with ffmpeg (no imaging library): a mask's box, and whether a box is uniform."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rgb: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = (y * self.width + x) * 3
        r, g, b = self.rgb[at:at + 3]
        return r, g, b


def _probe(path: Path, entries: str) -> str:
    """ffprobe's plain answer for the first video stream (``stream=width,height``)."""
    return subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                           entries, "-of", "csv=p=0", str(path)],
                          capture_output=True, text=True, check=True).stdout


def _size(path: Path) -> tuple[int, int]:
    width, height = _probe(path, "stream=width,height").strip().split(",")[:2]
    return int(width), int(height)


def frame_times(path: Path) -> list[float]:
    """When each frame of a video starts, in seconds."""
    return [float(line) for line in _probe(path, "frame=pts_time").split()]


def decode(path: Path, *, start: float | None = None, end: float | None = None,
           fps: float | None = None) -> list[Image]:
    """Frames of a video (or the one frame of a picture) as RGB."""
    width, height = _size(path)
    command = ["ffmpeg", "-v", "error"]
    command += ["-i", str(path)]
    filters = []
    if fps is not None:  # first: a frame held across the window is sampled inside it
        filters.append(f"fps={fps}")
    if start is not None and end is not None:
        filters.append(f"trim=start={start}:end={end}")
    if filters:
        command += ["-vf", ",".join(filters)]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    data = subprocess.run(command, capture_output=True, check=True).stdout
    size = width * height * 3
    return [Image(width, height, data[i:i + size]) for i in range(0, len(data), size)]


def magenta_boxes(image: Image) -> list[tuple[int, int, int, int]]:
    """The boxes Playwright's screenshot mask painted (#FF00FF), top to bottom (boxes side by
    side count as one)."""
    rows: dict[int, list[int]] = {}
    for y in range(0, image.height, 2):
        xs = [x for x in range(0, image.width, 2) if _magenta(image.pixel(x, y))]
        if xs:
            rows[y] = xs
    boxes: list[tuple[int, int, int, int]] = []
    for y in sorted(rows):
        x0, x1 = min(rows[y]), max(rows[y])
        if boxes and boxes[-1][3] == y - 2:
            bx0, by0, bx1, _ = boxes[-1]
            boxes[-1] = (min(bx0, x0), by0, max(bx1, x1), y)
        else:
            boxes.append((x0, y, x1, y))
    return boxes


def _magenta(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > 230 and g < 30 and b > 230


def spread(image: Image, box: tuple[int, int, int, int], inset: int = 6) -> int:
    """The largest difference of any channel inside ``box`` (0: perfectly uniform)."""
    x0, y0, x1, y1 = box
    values: list[tuple[int, int, int]] = [
        image.pixel(x, y) for y in range(y0 + inset, y1 - inset)
        for x in range(x0 + inset, x1 - inset, 2)]
    return max(max(c) - min(c) for c in zip(*values, strict=True))
