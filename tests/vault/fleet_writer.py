"""Run as a separate process by the fleet tests: ``fleet_writer.py URL WRITER COUNT``.

One fleet member's vault traffic: opens the vault (credentials from the environment), waits
for a line on stdin (so that every member starts at once), then COUNT times: merges its own
field into the shared path (``update``), puts a version of its own path under its own
namespace, and reads the shared path back. Not a test module.
"""

from __future__ import annotations

import sys

from automation.vault import open_vault
from automation.vault.namespaced import NamespacedVault

SHARED = "fleet/shared"


def main() -> None:
    url, writer, count = sys.argv[1:4]
    with open_vault(url) as vault:
        own = NamespacedVault(vault, f"member-{writer}")
        sys.stdin.readline()
        for n in range(int(count)):
            vault.update(SHARED, {f"w{writer}": str(n)})
            own.put("procore/apps/App/production", {"client_id": f"{writer}-{n}"})
            vault.get(SHARED)  # a reader among the writers


if __name__ == "__main__":
    main()
