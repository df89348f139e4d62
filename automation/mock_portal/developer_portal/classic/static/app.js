// The app page: old versions, promotion, and the one-time reveal of production credentials.
"use strict";
(function () {
  const promoteDialog = document.getElementById("promote-dialog");
  const credentialsDialog = document.getElementById("credentials-dialog");
  const resetDialog = document.getElementById("reset-secret-dialog");
  let promoteUrl = null;
  let reloadOnClose = false;

  document.querySelectorAll("[data-toggle-old]").forEach(function (button) {
    button.addEventListener("click", function () {
      const panel = document.getElementById("panel-" + button.dataset.toggleOld);
      const rows = panel.querySelectorAll("[data-old-version]");
      const show = rows.length > 0 && rows[0].hidden;
      rows.forEach(function (row) { row.hidden = !show; });
      button.textContent = show ? button.dataset.hide : button.dataset.show;
    });
  });

  document.querySelectorAll("[data-promote-url]").forEach(function (button) {
    button.addEventListener("click", function () {
      promoteUrl = button.dataset.promoteUrl;
      document.getElementById("release-notes").value = "";
      document.getElementById("promote-error").textContent = "";
      window.portal.openDialog(promoteDialog);
    });
  });

  // After a first promotion the page must show the new production state: it reloads on
  // Close. After a reset nothing else changed, so the page stays as it is.
  function showCredentials(credentials, reload) {
    reloadOnClose = reload;
    document.getElementById("credentials-client-id").value = credentials.client_id;
    document.getElementById("credentials-client-secret").value = credentials.client_secret;
    window.portal.openDialog(credentialsDialog);
  }

  // The secret lives only in these two inputs: wiped on Close, and when the page is left or
  // put in the back/forward cache, so no later render can show it.
  function wipeCredentials() {
    credentialsDialog.querySelectorAll("input").forEach(function (input) { input.value = ""; });
  }
  window.addEventListener("pagehide", wipeCredentials);
  // However it closes (Close, the X, Escape) the values go, and the page shows the new state.
  credentialsDialog.addEventListener("close", function () {
    wipeCredentials();
    if (reloadOnClose) window.location.reload();
  });
  credentialsDialog.querySelectorAll("[data-close-credentials]").forEach(function (button) {
    button.addEventListener("click", function () { credentialsDialog.close(); });
  });

  document.querySelector("[data-confirm-promote]").addEventListener("click", async function (event) {
    const button = event.currentTarget;
    const notes = document.getElementById("release-notes").value.trim();
    const error = document.getElementById("promote-error");
    if (!notes) { error.textContent = "Release Notes is required."; return; }
    button.disabled = true;
    try {
      const answer = await window.portal.postJSON(promoteUrl, { release_notes: notes });
      if (!answer.ok) { error.textContent = (answer.data.errors || ["Promotion failed."]).join(" "); return; }
      promoteDialog.close();
      if (answer.data.credentials) showCredentials(answer.data.credentials, true);
      else window.location.reload();
    } finally {
      button.disabled = false;
    }
  });

  const confirmReset = document.querySelector("[data-confirm-reset]");
  confirmReset.addEventListener("click", async function () {
    confirmReset.disabled = true;
    try {
      const answer = await window.portal.postJSON(confirmReset.dataset.url, {});
      if (!answer.ok) {
        document.getElementById("reset-secret-error").textContent = (answer.data.errors || ["Reset failed."]).join(" ");
        return;
      }
      resetDialog.close();
      showCredentials(answer.data.credentials, false);
    } finally {
      confirmReset.disabled = false;
    }
  });
})();
