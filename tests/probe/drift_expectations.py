"""Which locators the label-drift fault breaks, and by which rename (shared by the tests)."""

from __future__ import annotations

#: (screen, locator) -> the old label whose rename breaks it, per generation. Locators inside a
#: renamed section are broken by it too (the report says "as ... above").
BROKEN_BY_DRIFT: dict[str, dict[tuple[str, str], str]] = {
    "current": {
        ("developer_portal.create_app", "Create"): "Create App",
        ("developer_portal.app", "Installation Keys"): "Installation Keys",
        ("developer_portal.credentials", "Reset client secret"): "Reset client secret",
    },
    "classic": {
        ("developer_portal.app", "Production tab"): "Production",
        ("developer_portal.app", "App Version Key column"): "App Version Key",
        ("developer_portal.credentials", "sandbox credentials"): "Sandbox OAuth Credentials",
        ("developer_portal.credentials", "Reset client secret"): "Reset client secret",
    },
}
COMPANY_BROKEN_BY_DRIFT: dict[tuple[str, str], str] = {
    ("procore.install_custom_app", "App Version ID"): "App Version ID",
    **{("procore.app_permissions", name): "Permitted Projects"
       for name in ("Permitted Projects", "Select Projects", "Add", "permitted count",
                    "projects table")},
}
