"""Runs the mock portal on 127.0.0.1 in a background thread."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from automation.mock_portal.app import create_app
from automation.mock_portal.faults import Faults
from automation.mock_portal.seeds import DEFAULT_SEED
from automation.mock_portal.state import PortalState, load_seed
from automation.mock_portal.variants import parse_variants
from automation.targets import Target

__all__ = ["MockPortal"]


class _QuietRequestHandler(WSGIRequestHandler):
    """No line per request on stderr: the portal runs inside ``runbook run`` and the tests."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class MockPortal:
    """The mock portal, serving until :meth:`stop`; a context manager.

    Binds the loopback address only: the portal holds credentials and must not be reachable
    from the network. ``/__mock__/*`` answers only requests that carry :attr:`admin_token`
    (:meth:`admin_headers`); a fresh one is made per portal unless one is given.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        port: int = 0,
        seed: Path = DEFAULT_SEED,
        project_count: int | None = None,
        faults: Faults | None = None,
        state: PortalState | None = None,
        admin_token: str | None = None,
        ui: str = "current",
        variants: str | tuple[str, ...] | list[str] | None = None,
    ) -> None:
        self.seed, self.project_count = seed, project_count
        self.admin_token = admin_token or secrets.token_urlsafe(24)
        self.state = state or load_seed(seed, project_count=project_count)
        # DOM variants (variants.py): "all", "no_toast,plain_roles" or a list of names.
        self.variants = parse_variants(variants)
        self.app = create_app(
            self.state,
            faults,
            seed=seed,
            project_count=project_count,
            admin_token=self.admin_token,
            ui=ui,
            variants=self.variants,
        )
        self.ui = ui
        self._server: BaseWSGIServer = make_server(
            self.host, port, self.app, threaded=True, request_handler=_QuietRequestHandler
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._serve, name="mock-portal", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def admin_headers(self) -> dict[str, str]:
        """What a request to ``/__mock__/*`` must carry."""
        return {"Authorization": f"Bearer {self.admin_token}"}

    def target(self) -> Target:
        base = self.base_url
        return Target(
            "mock",
            {
                "developer_portal": f"{base}/developers",
                "procore": f"{base}/app",
                "sync_tool": f"{base}/sync",
                "login": base,
                "api": base,
            },
            is_mock=True,
            mock_admin_token=self.admin_token,
        )

    def start(self) -> MockPortal:
        self._thread.start()
        return self

    def _serve(self) -> None:
        # Compiling the pages' templates takes about 0.3 s, which the first visit to each page
        # would otherwise pay; done here it overlaps the browser's start. The socket already
        # listens: a request that comes sooner waits in the backlog.
        jinja = self.app.jinja_env
        for name in jinja.list_templates(filter_func=lambda name: name.endswith(".html")):
            jinja.get_template(name)
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MockPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
