// The version builder: Edit Components (Data Connector, Permissions for Service Account),
// then Save Version. The draft lives in the page until Save Version posts it.
"use strict";
(function () {
  const builder = window.builder;
  const draft = JSON.parse(document.getElementById("draft").textContent);
  const components = builder.modal("components");
  const userLevel = components.querySelector('[data-component="user_level"]');
  const serviceAccount = components.querySelector('[data-component="service_account"]');
  const permissions = components.querySelector("[data-permissions]");
  const summary = document.querySelector("[data-summary]");

  function text(tag, value) { const node = document.createElement(tag); node.textContent = value; return node; }

  function renderSummary() {
    summary.replaceChildren();
    if (!draft.user_level && !draft.service_account) {
      summary.append(text("p", "No components yet: select Edit Components."));
      return;
    }
    summary.append(text("h4", "Data Connector"));
    const list = document.createElement("ul");
    if (draft.user_level) list.append(text("li", "User Level Authentication"));
    if (draft.service_account) list.append(text("li", "Service Account Authentication"));
    summary.append(list);
  }

  // Service Account Authentication is added on top of User Level Authentication, never alone.
  function sync() {
    serviceAccount.disabled = !userLevel.checked;
    if (!userLevel.checked) serviceAccount.checked = false;
    permissions.hidden = !serviceAccount.checked;
  }

  components.addEventListener("modal-open", function () {
    userLevel.checked = draft.user_level;
    serviceAccount.checked = draft.service_account;
    components.querySelectorAll("input[type=radio]").forEach(function (radio) {
      const parts = radio.name.split(":");
      radio.checked = ((draft.permissions[parts[0]] || {})[parts[1]] || "") === radio.value;
    });
    sync();
  });
  userLevel.addEventListener("change", sync);
  serviceAccount.addEventListener("change", sync);

  components.querySelector("[data-save-components]").addEventListener("click", function () {
    draft.user_level = userLevel.checked;
    draft.service_account = serviceAccount.checked;
    draft.permissions = { company: {}, project: {} };
    if (draft.service_account) {
      components.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
        const parts = radio.name.split(":");
        if (radio.value) draft.permissions[parts[0]][parts[1]] = radio.value;
      });
    }
    builder.closeModal(components);
    renderSummary();
    builder.toast("Components saved");
  });

  const save = builder.modal("save-version");
  save.addEventListener("modal-open", function () { document.getElementById("version-number").value = ""; });
  save.querySelector("[data-confirm-save]").addEventListener("click", async function (event) {
    const button = event.currentTarget;
    const error = save.querySelector("[data-error]");
    const version = document.getElementById("version-number").value.trim();
    if (!/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(version)) {
      error.textContent = "Enter the version number in semantic format major.minor.patch.";
      return;
    }
    button.disabled = true;
    try {
      const answer = await builder.postJSON(save.querySelector("[data-save-url]").dataset.saveUrl, Object.assign({ version: version }, draft));
      if (!answer.ok) { error.textContent = (answer.data.errors || ["Saving failed."]).join(" "); return; }
      window.location.assign(answer.data.url);
    } finally {
      button.disabled = false;
    }
  });

  renderSummary();
})();
