// Install Custom App: App Version ID > Install > confirm Install > setup (Skip) >
// Add Permitted Projects (Skip / Add). The server validates at each step.
"use strict";

(function () {
  const urls = JSON.parse(document.getElementById("install-urls").textContent);
  const installDialog = document.getElementById("install-dialog");
  const confirmDialog = document.getElementById("confirm-dialog");
  const setupDialog = document.getElementById("setup-dialog");
  const permitDialog = document.getElementById("permit-dialog");
  const idInput = document.getElementById("app-version-id");
  const idError = document.getElementById("app-version-id-error");
  let pending = null;   // what /check said about the version being installed
  let installationId = null;

  function fillPermissions(dialog, rows) {
    const body = dialog.querySelector("[data-permission-rows]");
    body.replaceChildren(...rows.map((row) => {
      const tr = document.createElement("tr");
      for (const text of [row.tool, row.company ? `✓ ${row.company}` : "", row.project ? `✓ ${row.project}` : ""]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }));
  }

  installDialog.querySelector("[data-install-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    Procore.showError(idError, "");
    try {
      pending = await Procore.postJson(urls.check, { app_version_id: idInput.value });
    } catch (error) {
      Procore.showError(idError, error.message);
      idInput.setAttribute("aria-invalid", "true");
      return;
    }
    idInput.removeAttribute("aria-invalid");
    confirmDialog.querySelector("[data-app-name]").textContent = pending.app_name;
    confirmDialog.querySelector("[data-app-version]").textContent = pending.version;
    fillPermissions(confirmDialog, pending.permissions);
    fillPermissions(permitDialog, pending.permissions);
    Procore.closeDialog(installDialog);
    Procore.openDialog(confirmDialog);
  });

  confirmDialog.querySelector("[data-confirm-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("confirm-error");
    Procore.showError(error, "");
    try {
      const result = await Procore.postJson(urls.install, { app_version_id: idInput.value });
      installationId = result.installation_id;
    } catch (failure) {
      Procore.showError(error, failure.message);
      return;
    }
    Procore.closeDialog(confirmDialog);
    if (pending.setup_notes) setupDialog.querySelector("[data-setup-notes]").textContent = pending.setup_notes;
    Procore.openDialog(setupDialog);
  });

  setupDialog.querySelector("[data-setup-skip]").addEventListener("click", () => {
    Procore.closeDialog(setupDialog);
    Procore.openDialog(permitDialog);
  });

  const done = () => { window.location.assign(urls.done); };
  permitDialog.querySelectorAll("[data-permit-skip]").forEach((b) => b.addEventListener("click", done));
  permitDialog.querySelector("[data-permit-add]").addEventListener("click", async () => {
    const error = document.getElementById("permit-error");
    const ids = permitDialog.querySelector(".multiselect").multiselect.ids();
    if (ids.length === 0) { Procore.showError(error, Procore.label("Select at least one project, or Skip.")); return; }
    try {
      await Procore.postJson(urls.permit.replace(/\/0\/permitted_projects$/, `/${installationId}/permitted_projects`),
        { project_ids: ids });
    } catch (failure) {
      Procore.showError(error, failure.message);
      return;
    }
    done();
  });
})();
