// A Directory user's Edit page: per-row Add (immediate), Change Template, Select Default
// Template, and Add All as a progressive server job (poll, Cancel, Retry, Complete then OK).
"use strict";

(function () {
  const urls = JSON.parse(document.getElementById("edit-urls").textContent);
  const tables = document.getElementById("project-tables");
  const errorBox = document.getElementById("edit-error");
  const progress = document.getElementById("add-all-progress");
  const progressText = progress.querySelector("[data-progress-text]");
  const bar = progress.querySelector("progress");
  const cancelButton = progress.querySelector("[data-add-all-cancel]");
  const retryButton = progress.querySelector("[data-add-all-retry]");
  const okButton = progress.querySelector("[data-add-all-ok]");
  const projectUrl = (template, id) => template.replace(/\/0\/(add|template)$/, `/${id}/$1`);
  const fmt = (n) => Number(n).toLocaleString("en-US");
  const L = Procore.label;
  let changing = null;
  let polling = null;

  async function refreshTables() {
    const url = new URL(window.location.href);
    url.searchParams.set("partial", "tables");
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (response.ok) tables.innerHTML = await response.text();
  }


  async function addRow(button) {
    const id = button.dataset.addProject;
    button.disabled = true;
    try {
      const result = await Procore.postJson(projectUrl(urls.add, id), {});
      const row = button.closest("tr");
      row.remove();
      const tr = document.createElement("tr");
      tr.dataset.projectId = id;
      const name = document.createElement("td"); name.textContent = result.project.name;
      const template = document.createElement("td"); template.dataset.template = ""; template.textContent = result.template;
      const action = document.createElement("td"); action.className = "right";
      const change = document.createElement("button");
      change.type = "button"; change.className = "btn btn-small"; change.dataset.changeTemplate = id;
      change.textContent = L("Change Template");
      action.append(change);
      tr.append(name, template, action);
      tables.querySelector("[data-current-rows]").prepend(tr);
      tables.querySelector("[data-current-count]").textContent = `${fmt(result.current_total)} ${L("projects")}`;
      const absent = tables.querySelector("[data-absent-count]");
      const left = Number(absent.textContent.split(" ")[0].replace(/,/g, "")) - 1;
      absent.textContent = `${fmt(Math.max(0, left))} ${L("projects")}`;
    } catch (failure) {
      button.disabled = false;
      Procore.showError(errorBox, failure.message);
    }
  }

  function show(job) {
    progress.hidden = false;
    progress.classList.toggle("stalled", job.status === "stalled");
    bar.max = Math.max(job.total, 1);
    bar.value = job.added;
    const counts = `${fmt(job.added)} ${L("of")} ${fmt(job.total)}`;
    const texts = {
      running: `${L("Adding projects…")} ${counts}`,
      stalled: `${L("Adding projects has stalled at")} ${counts}. ${L("Retry to continue.")}`,
      cancelled: `${L("Cancelled.")} ${counts} ${L("projects were added.")} ${L("Add All resumes with the rest.")}`,
      complete: `${L("Complete.")} ${counts} ${L("projects were added.")}`,
    };
    progressText.textContent = texts[job.status] || "";
    cancelButton.hidden = job.status !== "running";
    retryButton.hidden = job.status !== "stalled";
    okButton.hidden = job.status !== "complete" && job.status !== "cancelled";
    const addAll = tables.querySelector("[data-add-all]");
    if (addAll) addAll.disabled = job.status === "running" || job.status === "stalled";
  }

  async function poll() {
    clearTimeout(polling);
    const response = await fetch(urls.add_all, { headers: { Accept: "application/json" } });
    if (response.status === 401) {
      window.location.assign(`${document.body.dataset.signIn}?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    if (!response.ok) { polling = setTimeout(poll, 1000); return; }  // a passing server error
    const job = await response.json();
    await refreshTables();
    show(job);
    if (job.status === "running") polling = setTimeout(poll, 250);
  }

  async function startAddAll() {
    Procore.showError(errorBox, "");
    try {
      show(await Procore.postJson(urls.add_all, {}));
    } catch (failure) {
      Procore.showError(errorBox, failure.message);
      return;
    }
    poll();
  }

  tables.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-project]");
    if (add) { addRow(add); return; }
    if (event.target.closest("[data-add-all]")) { startAddAll(); return; }
    const change = event.target.closest("[data-change-template]");
    if (change) {
      changing = change;
      const row = change.closest("tr");
      const dialog = document.getElementById("change-template-dialog");
      dialog.querySelector("[data-change-template-project]").textContent = row.cells[0].textContent;
      dialog.querySelector("select").value = row.querySelector("[data-template]").textContent.trim();
      Procore.openDialog(dialog);
    }
  });

  cancelButton.addEventListener("click", async () => {
    clearTimeout(polling);
    try { show(await Procore.postJson(urls.cancel, {})); } catch (failure) { Procore.showError(errorBox, failure.message); }
    await refreshTables();
  });
  retryButton.addEventListener("click", startAddAll);
  okButton.addEventListener("click", () => {
    progress.hidden = true;
    const url = new URL(window.location.href);
    url.searchParams.delete("partial");
    window.location.assign(url);
  });

  document.querySelector("[data-template-form]").addEventListener("submit", () => {
    const chosen = document.querySelector("#template-dialog input[name=template]:checked");
    if (!chosen) return;
    document.querySelector("input[name=default_template]").value = chosen.value;
    document.querySelector("[data-default-template]").textContent = chosen.value;
  });

  document.querySelector("[data-change-template-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const dialog = document.getElementById("change-template-dialog");
    const template = dialog.querySelector("select").value;
    const id = changing.dataset.changeTemplate;
    try {
      await Procore.postJson(projectUrl(urls.template, id), { template });
      changing.closest("tr").querySelector("[data-template]").textContent = template;
      Procore.closeDialog(dialog);
    } catch (failure) {
      Procore.showError(errorBox, failure.message);
    }
  });

  // A job still running (page reloaded mid-way) is shown again.
  if (urls.job && (urls.job.status === "running" || urls.job.status === "stalled")) {
    show(urls.job);
    if (urls.job.status === "running") poll();
  }
})();
