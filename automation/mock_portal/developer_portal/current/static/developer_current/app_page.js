// The app page: promotion, the one-time reveal of production credentials, Reset client secret.
"use strict";
(function () {
  const builder = window.builder;
  const credentials = builder.modal("credentials");
  let reloadOnClose = false;

  function showCredentials(values, reload) {
    reloadOnClose = reload;
    builder.openModal("credentials", function () {
      document.getElementById("credentials-client-id").value = values.client_id;
      document.getElementById("credentials-client-secret").value = values.client_secret;
    });
  }

  // The secret lives only in these two inputs: wiped on Close (however it closes) and when
  // the page is left, so no later render can show it.
  function wipe() { credentials.querySelectorAll("input").forEach(function (input) { input.value = ""; }); }
  window.addEventListener("pagehide", wipe);
  credentials.addEventListener("modal-close", function () {
    wipe();
    if (reloadOnClose) window.location.reload();
  });

  const promote = builder.modal("promote");
  if (promote) {
    promote.addEventListener("modal-open", function () { document.getElementById("release-notes").value = ""; });
    promote.querySelector("[data-confirm-promote]").addEventListener("click", async function (event) {
      const button = event.currentTarget;
      const notes = document.getElementById("release-notes").value.trim();
      const error = promote.querySelector("[data-error]");
      if (!notes) { error.textContent = "Release Notes is required."; return; }
      button.disabled = true;
      try {
        const answer = await builder.postJSON(promote.querySelector("[data-promote-url]").dataset.promoteUrl, { release_notes: notes });
        if (!answer.ok) { error.textContent = (answer.data.errors || ["Promotion failed."]).join(" "); return; }
        builder.closeModal(promote);
        if (answer.data.credentials) showCredentials(answer.data.credentials, true);
        else { builder.toast("Version promoted"); window.location.reload(); }
      } finally {
        button.disabled = false;
      }
    });
  }

  const reset = builder.modal("reset-secret");
  reset.querySelector("[data-confirm-reset]").addEventListener("click", async function (event) {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const answer = await builder.postJSON(reset.querySelector("[data-reset-url]").dataset.resetUrl, {});
      if (!answer.ok) { reset.querySelector("[data-error]").textContent = (answer.data.errors || ["Reset failed."]).join(" "); return; }
      builder.closeModal(reset);
      showCredentials(answer.data.credentials, false);
    } finally {
      button.disabled = false;
    }
  });
})();
