"""Secrets never print, and every log sink scrubs the values in play, exceptions included."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest
from loguru import logger

from automation.log import configure_logging
from automation.runbook.templating import render
from automation.secret import REDACTOR, Secret

VALUE = "9f8e7d6c5b4a-client-secret"


class TestSecretNeverPrints:
    """Every way Python turns a Secret into text yields <secret>."""

    def test_text_forms(self) -> None:
        secret = Secret(VALUE, source="vault:apps/x#client_secret")
        shown = [str(secret), repr(secret), f"{secret}", "%s" % secret,  # noqa: UP031 (the old way must hide it too)
                 format(secret, ">40"),
                 json.dumps({"s": secret}, default=str), str([secret])]
        assert all(VALUE not in text for text in shown)
        assert secret.describe() == "<secret vault:apps/x#client_secret>"
        assert secret.reveal() == VALUE

    def test_cannot_be_pickled(self) -> None:
        with pytest.raises(TypeError):
            pickle.dumps(Secret(VALUE))

    def test_equality_compares_values(self) -> None:
        assert Secret(VALUE) == Secret(VALUE) and Secret(VALUE) != Secret("other-value")


class TestTemplatesKeepSecretsSecret:
    """A template that mixes text and a secret yields a Secret, never a plain string."""

    def test_single_expression_passes_the_secret_itself(self) -> None:
        secret = Secret(VALUE)
        assert render("{{ s }}", {"s": secret}) is secret

    def test_mixed_template_is_tainted(self) -> None:
        result = render("Bearer {{ s }}", {"s": Secret(VALUE)})
        assert isinstance(result, Secret) and result.reveal() == f"Bearer {VALUE}"

    def test_plain_template_stays_plain(self) -> None:
        assert render("App {{ n }}", {"n": 3}) == "App 3"


class TestLogRedaction:
    """Console and JSON sinks replace secret values with *** wherever they appear."""

    def test_every_sink_scrubs_messages_and_exceptions(self, tmp_path: Path) -> None:
        Secret(VALUE)  # in play: registered with the redactor
        console = io.StringIO()
        json_log = tmp_path / "log.jsonl"
        configure_logging(verbose=1, json_path=json_log, stream=console)
        try:
            logger.info("the page said {}", VALUE)
            try:
                raise RuntimeError(f"dialog text: {VALUE}")
            except RuntimeError:
                logger.exception("step failed")
        finally:
            configure_logging(stream=io.StringIO())
        text = console.getvalue()
        assert VALUE not in text and VALUE not in json_log.read_text()
        assert "the page said ***" in text and "dialog text: ***" in text
        assert VALUE in REDACTOR.values()
