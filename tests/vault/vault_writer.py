"""Run as a separate process by the file-vault tests: ``vault_writer.py URL PATH WRITER COUNT``.

Opens the vault, waits for a line on stdin (so that every writer starts at once), then puts
COUNT versions ``{"writer": WRITER, "n": "0".."COUNT-1"}`` at PATH. Not a test module.
"""

from __future__ import annotations

import sys

from automation.vault import open_vault


def main() -> None:
    url, path, writer, count = sys.argv[1:5]
    vault = open_vault(url, env={})
    sys.stdin.readline()
    for n in range(int(count)):
        vault.put(path, {"writer": writer, "n": str(n)})


if __name__ == "__main__":
    main()
