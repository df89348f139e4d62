"""A vault value typed into an ordinary text field is masked in the screenshot step's
picture and the step's own picture, and the trace leaves the typing step out."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pixels import decode, magenta_boxes, spread
from world import World, make_world

pytestmark = pytest.mark.browser

TYPE_A_SECRET = """\
runbook: type-a-secret
title: Type a vault value into an ordinary field
steps:
  - title: Open the sign-in page
    do: goto
    with: {url: sign_in, site: developer_portal}
  - title: Type the password into the Email field
    do: fill
    with:
      target: {label: Email}
      site: developer_portal
      value: "{{ vault('procore/developer-portal#password') }}"
  - title: Take a picture
    do: screenshot
    with: {name: typed, site: developer_portal}
"""


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    (tmp_path / "type-a-secret.yaml").write_text(TYPE_A_SECRET)
    made = make_world(tmp_path)
    yield made
    made.portal.stop()


class TestTypedSecretMasked:
    """The field holding the typed secret is one uniform box; the trace has no fill step."""

    def test_picture_and_trace(self, world: World) -> None:
        result = world.run("--trace", runbook=world.folder / "type-a-secret.yaml")
        assert result.returncode == 0, result.stderr
        (run_dir,) = world.run_dirs()
        for picture in ("typed.png", "step2.1.ended.png", "step3.1.ended.png"):
            (image,) = decode(run_dir / "screenshots" / picture)
            boxes = magenta_boxes(image)
            assert boxes, picture  # the Email field holding it (and Password, if shown)
            assert all(spread(image, box) == 0 for box in boxes), picture
        with zipfile.ZipFile(run_dir / "trace.zip") as trace:
            actions = b"".join(trace.read(n) for n in trace.namelist() if n.endswith(".trace"))
        assert b'"method":"fill"' not in actions
        assert b"Open the sign-in page" in actions
