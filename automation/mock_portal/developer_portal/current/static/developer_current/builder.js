// What every form-based Developer Portal page shares: tabs, modals, toasts, JSON posts.
// Tabs are buttons with aria-current; modals are plain containers with a heading, as
// Procore's design system renders them (no dialog or tab roles).
"use strict";
(function () {
  const delayMs = Number(document.body.dataset.dialogDelayMs || 0);

  function modal(name) { return document.querySelector('[data-modal="' + name + '"]'); }

  function openModal(name, then) {
    // The dialog_delay fault: modals open late, as a slow single-page app would.
    window.setTimeout(function () {
      const layer = modal(name);
      layer.hidden = false;
      const error = layer.querySelector("[data-error]");
      if (error) error.textContent = "";
      if (then) then(layer);
      layer.dispatchEvent(new Event("modal-open"));
    }, delayMs);
  }

  function closeModal(layer) {
    if (layer.hidden) return;
    layer.hidden = true;
    layer.dispatchEvent(new Event("modal-close"));
  }

  function toast(text) {
    const box = document.querySelector("[data-toast]");
    box.textContent = text;
    box.classList.add("shown");
    window.clearTimeout(box._timer);
    box._timer = window.setTimeout(function () { box.classList.remove("shown"); box.textContent = ""; }, 3000);
  }

  // The session's CSRF token, which the portal puts in a meta tag of every page.
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
      cache: "no-store",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = { errors: ["The server answered " + response.status + "."] }; }
    if (response.status === 401 && data.sign_in) {
      window.location.assign(data.sign_in.split("?")[0] + "?next=" + encodeURIComponent(location.pathname));
      return new Promise(function () {});
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  function selectTab(button, attribute, contentAttribute) {
    const bar = button.closest(".tab-bar");
    bar.querySelectorAll("[" + attribute + "]").forEach(function (other) {
      const chosen = other === button;
      if (chosen) other.setAttribute("aria-current", other.getAttribute("aria-current") || "true");
      else other.removeAttribute("aria-current");
      document.querySelectorAll("[" + contentAttribute + '="' + other.getAttribute(attribute) + '"]')
        .forEach(function (content) { content.hidden = !chosen; });
    });
  }

  document.addEventListener("click", function (event) {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.dataset.opens) openModal(target.dataset.opens);
    else if (target.hasAttribute("data-closes")) closeModal(target.closest("[data-modal]"));
    else if (target.dataset.tab) selectTab(target, "data-tab", "data-tab-content");
    else if (target.dataset.gridTab) selectTab(target, "data-grid-tab", "data-grid");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-modal]").forEach(function (layer) { closeModal(layer); });
  });

  window.builder = { modal: modal, openModal: openModal, closeModal: closeModal, postJSON: postJSON, toast: toast };

  document.addEventListener("DOMContentLoaded", function () {
    document.body.classList.remove("js-loading");
  });
})();
