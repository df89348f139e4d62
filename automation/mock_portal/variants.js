// DOM variants: the same screens with the help a person cannot see taken away, or with another
// wording Procore's own documents use. Injected at the top of <head> by variants.py with
// `window.MOCK_VARIANTS = [...]`; every node the parser or a page script adds goes through the
// chosen variants before any other task (a page script, Playwright) can see it: a
// MutationObserver delivers its records at the microtask checkpoint that ends the task that
// made the change (and the HTML parser performs one before running each script).
// What a person sees never changes (except the toast, which `no_toast` removes on purpose).
"use strict";
(function () {
  const chosen = window.MOCK_VARIANTS || [];
  // Elements each structural variant already rewrote (one set per variant: wrapping a link
  // does not mean it was retyped).
  const wrapped = new WeakSet(), retypedSet = new WeakSet(), reordered = new WeakSet();

  function elementsIn(node, selector) {
    if (node.nodeType !== Node.ELEMENT_NODE) return [];
    const found = Array.from(node.querySelectorAll(selector));
    if (node.matches(selector)) found.unshift(node);
    return found;
  }

  // -- the variants, each a named function of an added (or changed) node -------------------

  // Every aria-label goes: a name a person cannot read on the screen.
  function no_aria_label(node) {
    elementsIn(node, "[aria-label]").forEach(function (el) { el.removeAttribute("aria-label"); });
  }

  // Sections, groups, panels, forms and dialogs lose the names their headings gave them.
  function no_labelledby(node) {
    elementsIn(node, "[aria-labelledby]").forEach(function (el) { el.removeAttribute("aria-labelledby"); });
  }

  // Landmarks, tab and menu roles go (Procore's design system: tabs are buttons, no tabpanel;
  // a drop-down menu's entries are then the links and buttons they are drawn with).
  const PLAIN = ["region", "group", "tabpanel", "tablist", "tab", "search", "banner", "form", "navigation",
                 "menu", "menuitem"];
  function plain_roles(node) {
    elementsIn(node, "[role]").forEach(function (el) {
      if (PLAIN.indexOf(el.getAttribute("role")) >= 0) el.removeAttribute("role");
    });
    elementsIn(node, "[aria-selected]").forEach(function (el) {
      if (el.tagName === "BUTTON" || el.tagName === "A") el.removeAttribute("aria-selected");
    });
  }

  // <label for=x> becomes a plain caption element beside its field: nothing names the field.
  function captions_not_labels(node) {
    elementsIn(node, "label[for]").forEach(function (label) {
      const caption = document.createElement("span");
      caption.className = label.className || "field-label";
      while (label.firstChild) caption.appendChild(label.firstChild);
      label.replaceWith(caption);
    });
  }

  // Another wording that Procore's own documents use for the same thing.
  const WORDING = [
    // 2025 "Create an App" page: Create; late-2026 Quick Start Guide: Create App.
    // (Developer Portal only: the company web app's Create buttons create other things.)
    [/^Create$/, "Create App", "/developers"],
    // the form-based portal's "Credentials" tab; the classic page says "OAuth Credentials".
    [/^(Sandbox|Production) OAuth Credentials$/, "$1 Credentials"],
    // the form-based permissions grid says "Read-only", the classic builder "Read-Only".
    [/^Read-Only$/, "Read-only"],
    // "Update an Installed App": the current article says Update App and Review Update; an
    // earlier one (still in its translations) says Update Available, and Review Changes.
    [/^Update App$/, "Update Available", "/app"],
    [/^Review Update$/, "Review Changes", "/app"],
  ];
  function other_wording(node) {
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const texts = node.nodeType === Node.TEXT_NODE ? [node] : [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    texts.forEach(function (text) {
      const trimmed = text.data.trim();
      for (const [from, to, only] of WORDING) {
        if (only && !location.pathname.startsWith(only)) continue;
        if (from.test(trimmed)) { text.data = text.data.replace(trimmed, trimmed.replace(from, to)); break; }
      }
    });
  }

  // No toast: a fixed-position live region (a toast) never shows anything.
  function no_toast(node) {
    elementsIn(node, "[aria-live], [role=status]").forEach(function (el) {
      if (getComputedStyle(el).position === "fixed") { el.hidden = true; el.textContent = ""; }
    });
    const parent = node.nodeType === Node.TEXT_NODE ? node.parentElement : null;
    if (parent && parent.matches("[aria-live], [role=status]") && getComputedStyle(parent).position === "fixed") {
      parent.hidden = true;
      parent.textContent = "";
    }
  }

  // Every table shows its columns after the first in reverse order (header and rows alike).
  function reordered_columns(node) {
    elementsIn(node, "tr").forEach(function (row) {
      if (reordered.has(row)) return;
      reordered.add(row);
      const cells = Array.from(row.children).filter(function (c) { return c.tagName === "TD" || c.tagName === "TH"; });
      cells.slice(1).reverse().forEach(function (cell) { row.appendChild(cell); });
    });
  }

  // Buttons and links sit inside extra wrappers, as component libraries render them.
  function wrapped_controls(node) {
    elementsIn(node, "button, a[href]").forEach(function (control) {
      if (wrapped.has(control) || !control.parentNode) return;
      wrapped.add(control);
      const outer = document.createElement("span");
      const inner = document.createElement("span");
      outer.className = "variant-wrap";
      control.replaceWith(outer);
      outer.appendChild(inner);
      inner.appendChild(control);
    });
  }

  // Links styled as buttons become buttons that navigate; plain (text-styled) buttons become
  // links. Every other attribute stays, so the page's scripts find them as before.
  function retyped(from, tag) {
    const to = document.createElement(tag);
    for (const attr of Array.from(from.attributes)) {
      if (attr.name !== "href" && attr.name !== "type") to.setAttribute(attr.name, attr.value);
    }
    while (from.firstChild) to.appendChild(from.firstChild);
    retypedSet.add(to);
    if (wrapped.has(from)) wrapped.add(to);
    from.replaceWith(to);
    return to;
  }
  function swapped_elements(node) {
    elementsIn(node, "a[href].button, a[href].btn").forEach(function (link) {
      if (retypedSet.has(link)) return;
      const href = link.href;
      const button = retyped(link, "button");
      button.type = "button";
      button.addEventListener("click", function () { window.location.assign(href); });
    });
    elementsIn(node, "button.plain[type=button]").forEach(function (button) {
      if (retypedSet.has(button)) return;
      const link = retyped(button, "a");
      link.href = "#";
      link.addEventListener("click", function (event) { event.preventDefault(); });
    });
  }

  const ALL = {
    no_aria_label: no_aria_label, no_labelledby: no_labelledby, plain_roles: plain_roles,
    captions_not_labels: captions_not_labels, other_wording: other_wording, no_toast: no_toast,
    reordered_columns: reordered_columns, wrapped_controls: wrapped_controls,
    swapped_elements: swapped_elements,
  };
  const active = chosen.map(function (name) { return ALL[name]; }).filter(Boolean);
  if (active.length === 0) return;

  function apply(node) {
    active.forEach(function (variant) { variant(node); });
  }
  const observer = new MutationObserver(function (records) {
    const touched = new Set();
    records.forEach(function (record) {
      if (record.type === "childList") record.addedNodes.forEach(function (n) { touched.add(n); });
      else touched.add(record.target);
    });
    touched.forEach(function (node) { if (node.isConnected) apply(node); });
    observer.takeRecords();  // the records our own rewriting just made
  });
  observer.observe(document.documentElement, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "aria-labelledby", "role", "aria-selected"],
  });
})();
