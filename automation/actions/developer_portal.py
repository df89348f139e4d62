"""Developer Portal actions: the app, its versions, promotion and the secret capture.

They run on either generation of the portal: :func:`open_app_page` looks at the app page and
returns the classic or the form-based page object, which offer the same intents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from automation.action_spec import NoOutputs, action, check_of
from automation.actions.login import sign_in_with_a_person_if_needed
from automation.errors import StepError
from automation.execute.context import StepRun
from automation.pages.developer_portal import (
    AnyAppPage,
    DeveloperNotVerified,
    MyAppsPage,
    ProductionCredentialsDialog,
    SignInPage,
    manifest_permissions,
    open_app_page,
)
from automation.pages.procore_login import totp_codes
from automation.planned import Planned, Unknown, UnknownSecret
from automation.secret import Secret, plain

__all__ = [
    "add_client_credentials_component",
    "create_app",
    "promote_to_production",
    "set_tool_permissions",
    "sign_in",
]

SITE = "developer_portal"
AppRef = Annotated[str, "the app, as create_app's app_id output names it"]


@action(
    "developer_portal.sign_in",
    changes=False,
    retry_safe=True,
    establishes_session=SITE,
    signed_out=SignInPage.is_sign_in_page,
)
def sign_in(
    run: StepRun,
    *,
    email: Annotated[str | Secret, "the account's email"],
    password: Annotated[Secret, "from the vault"],
    totp_seed: Annotated[Secret | None, "base32 TOTP seed, for headless second factors"] = None,
) -> NoOutputs:
    """Sign In, through Procore's login (a person finishes MFA or SSO when headed)."""
    page = SignInPage(run.site(SITE))
    sign_in_with_a_person_if_needed(
        run, lambda: page.sign_in(plain(email), password, totp_codes(totp_seed))
    )
    return NoOutputs()


@dataclass(frozen=True)
class AppCreated:
    app_id: str = field(metadata={"help": "the app's page, relative to the portal"})
    created: bool


@action("developer_portal.create_app", changes=True, retry_safe=True)
def create_app(run: StepRun, *, name: Annotated[str, "App Name"]) -> AppCreated:
    """Create a new app in My Apps, or reuse the app of that name."""
    apps = MyAppsPage(run.site(SITE))
    # Checked before anything is created: without verification the procedure cannot reach
    # production, and a half-made app would only have to be cleaned up by hand.
    if not apps.is_verified_developer():
        raise StepError(_NOT_VERIFIED, url=run.site(SITE).page.url)
    existing = apps.open_app(name)
    if existing is not None:
        run.note(f"reusing the existing app '{name}'")
        return AppCreated(existing, created=False)
    return AppCreated(apps.create_app(name), created=True)


@dataclass(frozen=True)
class VersionMade:
    version: str
    sandbox_app_version_key: str


@action("developer_portal.add_client_credentials_component", changes=True, retry_safe=True)
def add_client_credentials_component(run: StepRun, *, app: AppRef) -> VersionMade:
    """Create a manifest version whose OAuth component has grant type client_credentials."""
    made = open_app_page(run.site(SITE), app).create_version_with_client_credentials()
    return VersionMade(made.version, made.app_version_key)


@action("developer_portal.set_tool_permissions", changes=True, retry_safe=True)
def set_tool_permissions(
    run: StepRun,
    *,
    app: AppRef,
    company: Annotated[dict[str, str], "tool: None | Read-Only | Standard | Admin"],
    project: Annotated[dict[str, str], "tool: None | Read-Only | Standard | Admin"],
) -> VersionMade:
    """Set company and project tool permissions with the Permission Builder, in a new version."""
    made = open_app_page(run.site(SITE), app).set_tool_permissions(company, project)
    return VersionMade(made.version, made.app_version_key)


@dataclass(frozen=True)
class ProductionCredentials:
    client_id: str
    client_secret: Secret = field(metadata={"help": "shown once; goes to the vault"})
    app_version_key: str = field(metadata={"help": "production App Version Key (36 chars)"})
    how: str = field(metadata={"help": "captured | already in the vault | reset"})


@action("developer_portal.promote_to_production", changes=True, retry_safe=True)
def promote_to_production(
    run: StepRun,
    *,
    app: AppRef,
    version: Annotated[str, "the sandbox version to promote"],
    release_notes: Annotated[str, "Release Notes"],
    reset_client_secret: Annotated[
        bool,
        "only when the secret was lost: issue a new one, "
        "which breaks every integration using the old one",
    ] = False,
) -> ProductionCredentials:
    """Promote to production and capture the credentials into the vault before closing."""
    page = open_app_page(run.site(SITE), app)
    # Promote first, look after: the app's first promotion shows its credentials, once, and
    # the dialog is what tells it apart. (Asking first whether the app was promoted costs the
    # form-based portal two tab switches.)
    if _promote(run, page, version, release_notes):
        client_id, secret = _capture(run, page.credentials_dialog())
        how = "captured"
    else:  # promoted before (this version, or an earlier one): no credentials dialog
        client_id = page.production_client_id() or ""
        if not client_id:
            raise StepError(
                "promotion showed no 'Your Production Credentials' dialog",
                url=run.site(SITE).page.url,
            )
        stored = _stored_secret(run, client_id)
        restored = None if stored is not None else _restore_from_history(run, client_id)
        if stored is not None:
            secret, how = stored, "already in the vault"
        elif restored is not None:
            secret, how = restored, "restored from the vault's history"
        elif reset_client_secret:
            run.note(f"resetting the client secret of client id {_short(client_id)}: every "
                     "integration using the old one stops working")
            client_id, secret = _capture(run, page.reset_client_secret())
            how = "reset"
        else:
            raise StepError(_secret_lost(run, client_id), url=run.site(SITE).page.url)
    key = page.production_app_version_key(version)
    if key is None:
        raise StepError(
            f"version {version} is not in the Production tab", url=run.site(SITE).page.url
        )
    return ProductionCredentials(client_id, secret, key, how)


def _promote(run: StepRun, page: AnyAppPage, version: str, release_notes: str) -> bool:
    try:
        return page.promote(version, release_notes)
    except DeveloperNotVerified:
        raise StepError(_NOT_VERIFIED, url=run.site(SITE).page.url) from None


_NOT_VERIFIED = (
    "the Developer Portal shows 'Become a Verified Developer': the account's organization is "
    "not a verified developer, so no app can be promoted to production and nothing was "
    "created. Have an administrator of the organization complete 'Become a Verified "
    "Developer' in the Developer Portal, then run again"
)


def _capture(run: StepRun, dialog: ProductionCredentialsDialog) -> tuple[str, Secret]:
    """Read, seal, store, read back, compare: only then close (the secret is never shown again).

    SIGINT/SIGTERM wait until the secret is sealed in a rescue file or stored in the vault
    (store_secrets opens the vault write to them once the rescue file is on disk).
    """
    from automation.execute.interrupts import deferred
    from automation.vault.custody import checkpoint

    run.sensitive.append(dialog.client_secret)
    with deferred():
        client_id, secret = dialog.read()
        checkpoint("capture:read")
        run.store_secrets({"client_id": client_id, "client_secret": secret})
        checkpoint("capture:before-close")
        dialog.close()
    run.sensitive.remove(dialog.client_secret)
    return client_id, secret


def _stored_secret(run: StepRun, client_id: str) -> Secret | None:
    """The vault's secret for this client id; else one an interrupted run left in a rescue
    file, restored into the vault first (so that no reset is needed)."""
    if run.vault_path is None:
        return None
    if run.vault.exists(run.vault_path):
        fields = run.vault.get(run.vault_path)
        if fields.get("client_id") == Secret(client_id) and "client_secret" in fields:
            run.forget_settled(fields)
            return fields["client_secret"]
    rescued = run.restore_pending(
        lambda f: f.get("client_id") == Secret(client_id) and "client_secret" in f
    )
    return rescued["client_secret"] if rescued is not None else None


def _restore_from_history(run: StepRun, client_id: str) -> Secret | None:
    """An earlier version of the step's own path holding this client id, made the latest
    again (a later run wrote another secret on top of it)."""
    from automation.vault.lookup import find_field

    if run.vault_path is None:
        return None
    for found in find_field(run.vault, run.vault_path, "client_id", client_id).history:
        fields = run.vault.get(run.vault_path, found.version)
        if "client_secret" not in fields:
            continue
        latest = run.vault.history(run.vault_path)[-1].version
        version = run.vault.put(run.vault_path, fields, cas=latest)
        run.note(f"the portal's client id {_short(client_id)} is in version {found.version} of "
                 f"vault:{found.path}: restored it as version {version}, no reset needed",
                 headline=True)
        return fields["client_secret"]
    return None


def _history_version(run: StepRun, client_id: str) -> int | None:
    """The earlier version of the step's path holding this client id (check mode)."""
    from automation.vault.lookup import find_field

    if run.vault_path is None:
        return None
    found = find_field(run.vault, run.vault_path, "client_id", client_id).history
    return found[0].version if found else None


# -- check mode: each looks as its action does before acting, and changes nothing -----------


@check_of(create_app)
def check_create_app(run: StepRun, *, name: str) -> Planned:
    apps = MyAppsPage(run.site(SITE))
    if not apps.is_verified_developer():
        raise StepError(_NOT_VERIFIED, url=run.site(SITE).page.url)
    existing = apps.open_app(name)
    if existing is not None:
        return Planned(AppCreated(existing, created=False),
                       unchanged=f"nothing to do: app '{name}' exists")
    return Planned(AppCreated(Unknown(run.key), created=True), (f"would create app '{name}'",))


@check_of(add_client_credentials_component)
def check_add_client_credentials_component(run: StepRun, *, app: str) -> Planned:
    page = open_app_page(run.site(SITE), app)
    last, permissions = page.latest_service_account()
    versions = (f"versions of {app}",)
    if last is not None and permissions is not None:
        return Planned(_made(page, last), unchanged=f"nothing to do: version {last} has "
                       "Service Account Authentication (grant type client_credentials)",
                       looks_at=versions)
    return Planned(VersionMade(Unknown(run.key), Unknown(run.key)), (
        "would add Service Account Authentication (grant type client_credentials) to a new "
        f"version (the latest is {last or 'none'})",), looks_at=versions, touches=versions)


@check_of(set_tool_permissions)
def check_set_tool_permissions(run: StepRun, *, app: str, company: dict[str, str],
                               project: dict[str, str]) -> Planned:
    wanted = manifest_permissions(company, project)  # a wrong level fails as the action does
    page = open_app_page(run.site(SITE), app)
    last, current = page.latest_service_account()
    versions = (f"versions of {app}",)
    if last is not None and current == wanted:
        return Planned(_made(page, last), looks_at=versions,
                       unchanged=f"nothing to do: version {last} has these tool permissions")
    levels = "; ".join(f"{level}: " + ", ".join(f"{tool} {access}" for tool, access in
                                                 sorted(tools.items()))
                       for level, tools in (("company", company), ("project", project)))
    return Planned(VersionMade(Unknown(run.key), Unknown(run.key)), (
        f"would set the tool permissions in a new version ({levels})",), looks_at=versions,
        touches=versions)


def _made(page: AnyAppPage, version: str) -> VersionMade:
    latest = page.latest_sandbox_version()
    if latest is None or latest.version != version:
        raise StepError(f"version {version} shows no sandbox App Version Key",
                        url=page.site.page.url)
    return VersionMade(latest.version, latest.app_version_key)


@check_of(promote_to_production)
def check_promote_to_production(run: StepRun, *, app: str, version: str, release_notes: str,
                                reset_client_secret: bool = False) -> Planned:
    page = open_app_page(run.site(SITE), app)
    key = page.production_app_version_key(version)
    changes = [] if key is not None else [f"would promote version {version} to production"]
    app_version_key = key if key is not None else Unknown(run.key)
    capture = (f"would capture the production Client ID and Client Secret (shown once) into "
               f"vault:{run.vault_path}")
    if not page.is_promoted():
        return Planned(ProductionCredentials(Unknown(run.key), UnknownSecret(run.key),
                                             app_version_key, "captured"), (*changes, capture))
    client_id = page.production_client_id() or ""
    stored = _secret_in_vault(run, client_id)
    if stored is not None:
        return Planned(ProductionCredentials(client_id, stored, app_version_key,
                                             "already in the vault"), tuple(changes),
                       unchanged=f"nothing to do: version {version} is in production, its "
                       f"credentials in vault:{run.vault_path}")
    earlier = _history_version(run, client_id)
    if earlier is not None:
        changes.append(f"would restore version {earlier} of "
                       f"vault:{run.vault.full_path(run.vault_path or '')} (it holds the "
                       "portal's client id) as the latest")
        how = "restored from the vault's history"
    elif _secret_in_rescue_file(run, client_id):
        changes.append(f"would store into vault:{run.vault_path} the secret an earlier run "
                       "left in a rescue file")
        how = "already in the vault"
    elif reset_client_secret:
        changes.append("would reset the client secret (integrations using the old one stop "
                       f"working) and capture the new one into vault:{run.vault_path}")
        how = "reset"
    else:
        raise StepError(_secret_lost(run, client_id), url=run.site(SITE).page.url)
    return Planned(ProductionCredentials(client_id, UnknownSecret(run.key), app_version_key,
                                         how), tuple(changes))


def _secret_in_vault(run: StepRun, client_id: str) -> Secret | None:
    """The vault's secret for this client id, read only (check mode)."""
    if run.vault_path is None or not run.vault.exists(run.vault_path):
        return None
    fields = run.vault.get(run.vault_path)
    if fields.get("client_id") == Secret(client_id) and "client_secret" in fields:
        return fields["client_secret"]
    return None


def _secret_lost(run: StepRun, client_id: str) -> str:
    """Why the run stops, where else the vault was searched, and what a reset would break
    (one line: a step's failure is reported by its first line)."""
    from automation.vault.lookup import find_field, paths_holding

    path = run.vault_path or ""
    full = run.vault.full_path(path)
    shown = _short(client_id)
    lines = [f"the app was promoted before, but its client secret (client id {shown}) is "
             f"not in vault:{full}, nor in any earlier version of it."]
    seen = find_field(run.vault, path, "client_id", client_id)
    for found in seen.legacy:
        lines.append(f"It is in version {found.version} of {found.path}, written before "
                     "targets had namespaces. If it was stored for this target, move it and "
                     f"run again: runbook vault move '{found.path}' '{full}'.")
    for found in seen.other_targets:
        lines.append(f"{found.path} (version {found.version}) holds this client id, but it "
                     "belongs to another target's namespace: it is not reused here.")
    users = paths_holding(run.vault, "client_id", client_id, besides=path)
    known = f" (the vault also holds it at {', '.join(users)})" if users else ""
    lines.append(
        "Procore shows a secret only once. A reset issues a new one and breaks every "
        f"integration using client id {shown}: every company that installed the app "
        f"and every tool configured with the old secret{known}. Only if none can be found: "
        "run again with --var reset_client_secret=true")
    return " ".join(line.strip() for line in lines)


def _short(client_id: str) -> str:
    """A client id as messages name it: its start (the whole one is masked in logs, as every
    value the vault holds is)."""
    return f"{client_id[:12]}…"


def _secret_in_rescue_file(run: StepRun, client_id: str) -> bool:
    """Whether an interrupted run left this client id's secret in a rescue file (not read
    into the vault: check mode only looks)."""
    from automation.vault.custody import open_pending, pending_rescues

    if run.vault_path is None:
        return False
    for rescue in pending_rescues(run.rescue_dirs(), run.vault.full_path(run.vault_path)):
        fields = open_pending(rescue)
        if fields is not None and fields.get("client_id") == Secret(client_id):
            return True
    return False
