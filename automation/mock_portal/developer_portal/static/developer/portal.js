// Shared behaviour of every Developer Portal page: dialogs, tabs, toasts, JSON posts.
"use strict";
(function () {
  const delayMs = Number(document.body.dataset.dialogDelayMs || 0);

  function openDialog(dialog, then) {
    // The dialog_delay fault: dialogs open late, as a slow single-page app would.
    window.setTimeout(function () {
      if (!dialog.open) dialog.showModal();
      if (then) then(dialog);
    }, delayMs);
  }

  function toast(text) {
    const box = document.getElementById("toast");
    box.textContent = text;
    box.classList.add("shown");
    window.clearTimeout(box._timer);
    box._timer = window.setTimeout(function () { box.classList.remove("shown"); }, 3000);
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      // The page's CSRF token (the portal puts it in a meta tag of every page), as Rails wants.
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
      cache: "no-store",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { errors: ["The server answered " + response.status + "."] }; }
    if (response.status === 401 && data.sign_in) {
      // Signed out meanwhile (e.g. the session expired): sign in again, then come back here.
      window.location.assign(data.sign_in.split("?")[0] + "?next=" + encodeURIComponent(location.pathname));
      return new Promise(function () {});
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  // Tabs are buttons (Procore's design system): aria-current marks the shown one.
  function selectTab(tab) {
    // (the tab row, however deep a component library wraps each tab)
    tab.closest(".tabs").querySelectorAll("[data-tab]").forEach(function (other) {
      const selected = other === tab;
      if (selected) other.setAttribute("aria-current", "true");
      else other.removeAttribute("aria-current");
      document.getElementById(other.dataset.tab).hidden = !selected;
    });
  }

  document.addEventListener("click", function (event) {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.dataset.openDialog) {
      openDialog(document.getElementById(target.dataset.openDialog));
    } else if (target.hasAttribute("data-close-dialog")) {
      target.closest("dialog").close();
    } else if (target.dataset.tab) {
      selectTab(target);
    }
  });

  window.portal = { openDialog: openDialog, postJSON: postJSON, toast: toast, selectTab: selectTab };

  // Buttons ignore the pointer until every script of the page has run (see portal.css):
  // a click that lands between "shown" and "scripts ready" is retried, not lost.
  document.addEventListener("DOMContentLoaded", function () {
    document.body.classList.remove("js-loading");
  });
})();
