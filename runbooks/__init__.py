"""The shipped runbooks: this folder installs as the package ``automation.shipped``.

``runbook run NAME`` and ``runbook list`` find them there (``automation/cli/shipped.py``);
pyproject.toml's ``package-dir`` maps the package onto this folder.
"""
