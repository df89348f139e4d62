"""Placeholder: switchable faults (latency, 5xx, session expiry...) come with the real module."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class Faults:
    pass


def install_faults(app: Flask, faults: Faults) -> None:
    pass
