"""The label-drift fault: visible labels renamed the way Procore could ship a redesign
(``runbook mock-portal --faults label_drift=1``, ``MockPortal(faults=Faults.parse(...))``,
``POST /__mock__/faults``), across both Developer Portal generations and the company web app.

Each rename is one a person would take in their stride and a page object would not: a
button, a heading, a tab, a column header and a field caption, all still there, worded anew.
The drift probe must report each one, with the new wording as its closest candidate.
"""

from __future__ import annotations

__all__ = ["LABEL_DRIFT"]

#: Old label -> new label (applied through the templates' ``label()``).
LABEL_DRIFT: dict[str, str] = {
    # Developer Portal, form based: the Create New App modal's submit button, a card heading.
    "Create App": "New App",
    "Installation Keys": "Installation Details",
    # Developer Portal, both generations: the production credentials' button.
    "Reset client secret": "Regenerate client secret",
    # Developer Portal, classic: a section heading, a Manage Manifests tab, a column header.
    "Sandbox OAuth Credentials": "Developer Sandbox Credentials",
    "Production": "Production Manifests",
    "App Version Key": "Version Key",
    # Company web app: a field caption (Install Custom App) and a section heading (View >
    # Permissions).
    "App Version ID": "App Version Key",
    "Permitted Projects": "Allowed Projects",
}
