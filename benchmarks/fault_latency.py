"""What the latency fault costs a client in wall-clock time (the tests check the delays the
portal chooses, tests/mock_portal/test_faults.py; this measures that they are really waited).

For each spec, the median of ``--runs`` GETs of the Developer Portal's home page over
loopback HTTP, against the same GET of ``/__mock__/faults`` (never delayed):

    python benchmarks/fault_latency.py [--runs 5]

Exits 1 when a fixed latency is not waited (a page faster than it) or /__mock__ waits.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request

from automation.mock_portal.faults import Faults, set_faults
from automation.mock_portal.server import MockPortal

SPECS = {"none": "", "fixed 0.3 s": "latency=0.3-0.3", "share 0": "latency=5@0"}


def timed_get(url: str, headers: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as reply:
        reply.read()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    failed = False
    with MockPortal() as portal:
        page, admin = portal.base_url + "/developers/", portal.base_url + "/__mock__/faults"
        for label, spec in SPECS.items():
            set_faults(portal.app, Faults.parse(spec))
            page_s = statistics.median(timed_get(page) for _ in range(runs))
            admin_s = statistics.median(timed_get(admin, portal.admin_headers())
                                        for _ in range(runs))
            print(f"{label:<12} page {page_s * 1000:7.1f} ms   /__mock__ {admin_s * 1000:6.1f} ms")
            failed |= label == "fixed 0.3 s" and (page_s < 0.3 or admin_s >= 0.3)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
