// "Create New Version": version number, code snippets, Permission Builder, live validation.
"use strict";
(function () {
  const dialog = document.getElementById("create-version-dialog");
  const builder = document.getElementById("permission-builder-dialog");
  const editor = document.getElementById("manifest-editor");
  const gutter = dialog.querySelector(".gutter");
  const status = document.getElementById("manifest-status");
  const versionInput = document.getElementById("version-number");
  const versionError = document.getElementById("version-error");
  const errors = document.getElementById("create-version-errors");
  const lastVersion = dialog.dataset.lastVersion;
  const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
  const GRANT_TYPES = ["authorization_code", "client_credentials"];

  function semverParts(text) { return text.split(".").map(Number); }
  function greater(a, b) {
    const x = semverParts(a), y = semverParts(b);
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] > y[i];
    return false;
  }

  function versionProblem() {
    const value = versionInput.value.trim();
    if (!SEMVER.test(value)) return "Use semantic format major.minor.patch, e.g. 1.0.0.";
    if (lastVersion && !greater(value, lastVersion)) return "Enter a version greater than " + lastVersion + ".";
    return "";
  }

  function manifestProblem(text) {
    let manifest;
    try { manifest = JSON.parse(text); } catch (e) { return "Invalid JSON: " + e.message; }
    if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) return "The manifest must be a JSON object.";
    if (String(manifest.schema_version) !== "3") return 'schema_version must be "3".';
    const instances = (((manifest.components || {}).oauth || {}).instances) || [];
    if (!Array.isArray(instances)) return "components.oauth.instances must be a list.";
    for (const instance of instances) {
      if (!instance || GRANT_TYPES.indexOf(instance.grant_type) < 0) return "grant_type must be authorization_code or client_credentials.";
    }
    return "";
  }

  function refresh() {
    const lines = editor.value.split("\n").length;
    let numbers = "";
    for (let i = 1; i <= lines; i++) numbers += i + "\n";
    gutter.textContent = numbers;
    gutter.scrollTop = editor.scrollTop;
    const problem = manifestProblem(editor.value);
    status.textContent = problem || "Manifest is valid.";
    status.classList.toggle("invalid", Boolean(problem));
    editor.setAttribute("aria-invalid", String(Boolean(problem)));
  }
  editor.addEventListener("input", refresh);
  editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
  versionInput.addEventListener("input", function () { versionError.textContent = versionInput.value ? versionProblem() : ""; });

  // Every opening starts from the last version's manifest, as a new version does.
  dialog.addEventListener("close", function () { errors.textContent = ""; });
  document.querySelector("[data-open-dialog=create-version-dialog]").addEventListener("click", function () {
    editor.value = editor.defaultValue;
    versionInput.value = "";
    versionError.textContent = "";
    errors.textContent = "";
    refresh();
  });

  // -- Copy Code Snippet -------------------------------------------------------------------
  function randomHex(bytes) {
    const values = new Uint8Array(bytes);
    crypto.getRandomValues(values);
    return Array.from(values, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const h = randomHex(16);
    return [h.slice(0, 8), h.slice(8, 12), "4" + h.slice(13, 16), "a" + h.slice(17, 20), h.slice(20, 32)].join("-");
  }
  function snippet(kind) {
    const body = kind === "oauth"
      ? { instances: [{ uuid: uuid(), uid: randomHex(32), grant_type: "authorization_code" }] }
      : { instances: [{ uuid: uuid(), name: "Embedded App", type: "fullscreen", required: false }] };
    return '"' + kind + '": ' + JSON.stringify(body, null, 2);
  }
  function legacyCopy(text) {
    // Inside the open modal dialog: the rest of the page is inert and cannot be selected.
    const scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("aria-hidden", "true");
    scratch.className = "scratch";
    dialog.appendChild(scratch);
    scratch.select();
    const copied = document.execCommand("copy");
    scratch.remove();
    return copied;
  }
  dialog.querySelectorAll("[data-snippet]").forEach(function (button) {
    button.addEventListener("click", async function () {
      const text = snippet(button.dataset.snippet);
      let copied = false;
      try { await navigator.clipboard.writeText(text); copied = true; } catch (e) { copied = legacyCopy(text); }
      window.portal.toast(copied ? "Code snippet copied to clipboard" : "Could not copy the code snippet");
    });
  });

  // -- Permission Builder ------------------------------------------------------------------
  function oauthInstance(manifest) {
    const instances = (((manifest.components || {}).oauth || {}).instances) || [];
    return instances.find(function (i) { return i.grant_type === "client_credentials"; }) || instances[0] || null;
  }
  dialog.querySelector("[data-open-builder]").addEventListener("click", function () {
    const error = document.getElementById("permission-builder-error");
    error.textContent = "";
    let permissions = {};
    try {
      const instance = oauthInstance(JSON.parse(editor.value));
      permissions = (instance && instance.permissions) || {};
    } catch (e) { /* an invalid manifest: start from None everywhere */ }
    builder.querySelectorAll("input[type=radio]").forEach(function (radio) {
      const [level, tool] = radio.name.split(":");
      radio.checked = ((permissions[level] || {})[tool] || "") === radio.value;
    });
    window.portal.selectTab(document.getElementById("pb-tab-company"));
    window.portal.openDialog(builder);
  });
  builder.querySelector("[data-update-manifest]").addEventListener("click", function () {
    const error = document.getElementById("permission-builder-error");
    let manifest;
    try { manifest = JSON.parse(editor.value); } catch (e) {
      error.textContent = "Fix the App Manifest first: " + e.message;
      return;
    }
    const instance = oauthInstance(manifest);
    if (!instance) {
      error.textContent = "Add an OAuth component first (Data Connection: Copy Code Snippet).";
      return;
    }
    const permissions = { company: {}, project: {} };
    builder.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
      const [level, tool] = radio.name.split(":");
      if (radio.value) permissions[level][tool] = radio.value;
    });
    instance.permissions = permissions;
    editor.value = JSON.stringify(manifest, null, 2);
    refresh();
    builder.close();
  });

  // -- Create ------------------------------------------------------------------------------
  dialog.querySelector("[data-create-version]").addEventListener("click", async function (event) {
    const button = event.currentTarget;
    const problems = [versionProblem(), manifestProblem(editor.value)].filter(Boolean);
    errors.textContent = "";
    if (problems.length) {
      problems.forEach(function (p) { const li = document.createElement("li"); li.textContent = p; errors.appendChild(li); });
      return;
    }
    button.disabled = true;
    try {
      const answer = await window.portal.postJSON(dialog.dataset.createUrl, { version: versionInput.value.trim(), manifest: editor.value });
      if (!answer.ok) {
        (answer.data.errors || ["The version was not created."]).forEach(function (p) {
          const li = document.createElement("li"); li.textContent = p; errors.appendChild(li);
        });
        return;
      }
      window.location.assign(answer.data.url);
    } finally {
      button.disabled = false;
    }
  });

  refresh();
})();
