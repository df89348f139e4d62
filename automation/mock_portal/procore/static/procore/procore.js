// Shared behaviour of the mock Procore web app: menus and dialogs.
// Dialogs open `data-dialog-delay` ms late when the "slow dialogs" fault is on, so page
// objects must wait for them the way they would on a slow real portal.
"use strict";

window.Procore = (function () {
  const delay = Number(document.body.dataset.dialogDelay || 0);
  const labels = JSON.parse(document.getElementById("procore-labels").textContent);
  // The visible text for `text`, renamed when the "renamed labels" fault says so.
  const label = (text) => labels[text] || text;

  function openDialog(dialog) {
    const show = () => { if (!dialog.open) dialog.showModal(); };
    return new Promise((resolve) => {
      if (delay > 0) setTimeout(() => { show(); resolve(dialog); }, delay);
      else { show(); resolve(dialog); }
    });
  }

  function closeDialog(dialog) { if (dialog.open) dialog.close(); }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      // The page's CSRF token (the portal puts it in a meta tag of every page), as Rails wants.
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body || {}),
    });
    if (response.status === 401) {
      // The session expired: sign in again and come back here, as Procore's pages do.
      const next = window.location.pathname + window.location.search;
      window.location.assign(`${document.body.dataset.signIn}?next=${encodeURIComponent(next)}`);
      throw new Error(label("Your session has expired. Please sign in again."));
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) {
      const message = data.error || `The server could not complete the request (${response.status}). Try again.`;
      throw new Error(message);
    }
    return data;
  }

  function showError(element, message) {
    element.textContent = message;
    element.hidden = !message;
  }

  function closeMenus(except) {
    document.querySelectorAll("[data-menu][aria-expanded='true']").forEach((button) => {
      if (button === except) return;
      button.setAttribute("aria-expanded", "false");
      document.getElementById(button.dataset.menu).hidden = true;
    });
  }

  document.addEventListener("click", (event) => {
    const menuButton = event.target.closest("[data-menu]");
    if (menuButton) {
      const menu = document.getElementById(menuButton.dataset.menu);
      const open = menuButton.getAttribute("aria-expanded") !== "true";
      closeMenus(menuButton);
      menuButton.setAttribute("aria-expanded", String(open));
      menu.hidden = !open;
      return;
    }
    const opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      closeMenus();
      openDialog(document.getElementById(opener.dataset.openDialog));
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) { closeDialog(closer.closest("dialog")); return; }
    if (!event.target.closest("[role='menu']")) closeMenus();
  });

  return { openDialog, closeDialog, postJson, showError, label };
})();
