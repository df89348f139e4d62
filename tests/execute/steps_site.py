"""A tiny web page for executor tests: numbered buttons that each POST once, with a request log.

``/`` shows a "Step N" button per step and a status line "Done: 1, 2". Button ``broken`` is
left out while ``site.broken`` holds it, so a run fails there and can be resumed later.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StepsSite:
    def __init__(self, steps: int = 5) -> None:
        self.steps = steps
        self.done: list[int] = []
        self.requests: list[str] = []
        self.broken: int | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                site.requests.append(f"GET {self.path}")
                buttons = "".join(
                    f'<form method="post" action="/hit/{n}"><button>Step {n}</button></form>'
                    for n in range(1, site.steps + 1) if n != site.broken
                )
                body = (f"<!doctype html><title>Steps</title><main>{buttons}"
                        f"<p role=status>Done: {', '.join(map(str, site.done))}</p>"
                        '<label>Note <input name="note"></label></main>')
                self._send(200, body)

            def do_POST(self) -> None:
                site.requests.append(f"POST {self.path}")
                site.done.append(int(self.path.rsplit("/", 1)[1]))
                self.send_response(303)
                self.send_header("Location", "/")
                self.end_headers()

            def _send(self, code: int, body: str) -> None:
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def posts(self) -> list[str]:
        return [r for r in self.requests if r.startswith("POST")]

    def __enter__(self) -> StepsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
