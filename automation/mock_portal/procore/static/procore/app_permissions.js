// View > Permissions > Permitted Projects: Select Projects, then Add.
"use strict";

(function () {
  const add = document.querySelector("[data-permit-add]");
  if (!add) return;
  const error = document.getElementById("permit-error");
  add.addEventListener("click", async () => {
    const ids = document.querySelector(".multiselect").multiselect.ids();
    if (ids.length === 0) { Procore.showError(error, Procore.label("Select at least one project.")); return; }
    add.disabled = true;
    try {
      await Procore.postJson(add.dataset.url, { project_ids: ids });
    } catch (failure) {
      add.disabled = false;
      Procore.showError(error, failure.message);
      return;
    }
    window.location.reload();
  });
})();
