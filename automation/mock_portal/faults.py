"""Switchable faults. PLACEHOLDER interface (the real module replaces the bodies, not the names).

Views and templates of every site use:
- ``label(text)`` (Jinja global): the visible label, renamed when the ``rename`` fault says so;
  every button, tab, field label and dialog title of the mock goes through it.
- ``dialog_delay_ms`` (template variable): dialogs open this many ms late when the fault is on.
- ``current_faults()`` in views, e.g. ``current_faults().add_all_stall``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

__all__ = ["Faults", "current_faults", "install_faults"]


@dataclass(frozen=True)
class Faults:
    latency_s: float = 0.0
    latency_share: float = 0.0
    error_rate: float = 0.0
    expire_session_after: int | None = None
    dialog_delay_s: float = 0.0
    add_all_stall: bool = False
    renames: dict[str, str] = field(default_factory=dict)
    seed: int = 0


def current_faults() -> Faults:
    faults: Faults = current_app.config["PORTAL_FAULTS"]
    return faults


def install_faults(app: Flask, faults: Faults) -> None:
    app.config["PORTAL_FAULTS"] = faults
    app.jinja_env.globals["label"] = lambda text: faults.renames.get(text, text)

    @app.context_processor
    def _dialog_delay() -> dict[str, int]:
        return {"dialog_delay_ms": int(faults.dialog_delay_s * 1000)}
