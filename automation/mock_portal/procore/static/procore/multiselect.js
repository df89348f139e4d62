// "Select Projects": a searchable multi-select with chips, usable with 10,000 projects.
// Only the first LIMIT matches are rendered as options; typing narrows them. "Select All"
// (an inferred Procore option) selects every project matching the current search.
"use strict";

class ProjectMultiSelect {
  static LIMIT = 100;
  static MAX_CHIPS = 25;

  constructor(root) {
    this.root = root;
    this.input = root.querySelector(".ms-input");
    this.listbox = root.querySelector(".ms-listbox");
    this.chips = root.querySelector(".ms-chips");
    this.projects = null;
    this.names = new Map();
    this.selected = new Set();
    this.input.addEventListener("focus", () => this.open());
    this.input.addEventListener("click", () => this.open());
    this.input.addEventListener("input", () => this.open());
    this.input.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      // Escape closes the list only, not the dialog around it (a native <dialog> would close).
      e.preventDefault();
      e.stopPropagation();
      this.close();
    });
    root.querySelector(".ms-toggle").addEventListener("click", () =>
      this.listbox.hidden ? this.open() : this.close());
    root.querySelector(".ms-clear").addEventListener("click", () => { this.selected.clear(); this.render(); });
    // composedPath, not contains(): a picked option is re-rendered (detached) by the time this runs.
    document.addEventListener("click", (e) => { if (!e.composedPath().includes(root)) this.close(); });
    this.listbox.addEventListener("mousedown", (e) => e.preventDefault());
    this.listbox.addEventListener("click", (e) => this.pick(e.target.closest("[role='option']")));
    this.chips.addEventListener("click", (e) => {
      const remove = e.target.closest("[data-remove]");
      if (remove) { this.selected.delete(Number(remove.dataset.remove)); this.render(); }
    });
    this.ready = this.load();
  }

  async load() {
    let response = null;
    for (let attempt = 1; attempt <= 5; attempt++) {  // a passing server error is retried
      response = await fetch(this.root.dataset.source, { headers: { Accept: "application/json" } });
      if (response.ok) break;
      await new Promise((done) => setTimeout(done, 500 * attempt));
    }
    const data = await response.json();
    this.projects = data.projects;
    for (const [id, name] of this.projects) this.names.set(id, name);
    this.root.dataset.loaded = "true";
    if (!this.listbox.hidden) this.renderOptions();
  }

  matches() {
    const query = this.input.value.trim().toLowerCase();
    if (!this.projects) return [];
    return query ? this.projects.filter(([, name]) => name.toLowerCase().includes(query)) : this.projects;
  }

  open() {
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.renderOptions();
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
  }

  pick(option) {
    if (!option) return;
    if (option.dataset.all !== undefined) {
      for (const [id] of this.matches()) this.selected.add(id);
    } else {
      const id = Number(option.dataset.id);
      if (this.selected.has(id)) this.selected.delete(id); else this.selected.add(id);
    }
    this.render();
  }

  option(text, attrs) {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.textContent = text;
    for (const [k, v] of Object.entries(attrs)) li.setAttribute(k, v);
    return li;
  }

  renderOptions() {
    const items = [];
    if (!this.projects) {
      items.push(this.option(Procore.label("Loading…"), { "aria-disabled": "true" }));
    } else {
      const found = this.matches();
      if (found.length === 0) items.push(this.option(Procore.label("No projects found"), { "aria-disabled": "true" }));
      else {
        const allSelected = found.every(([id]) => this.selected.has(id));
        items.push(this.option(`${Procore.label("Select All")} (${found.length.toLocaleString("en-US")})`,
          { "data-all": "", "aria-selected": String(allSelected), class: "ms-all" }));
      }
      for (const [id, name] of found.slice(0, ProjectMultiSelect.LIMIT)) {
        items.push(this.option(name, { "data-id": String(id), "aria-selected": String(this.selected.has(id)) }));
      }
      if (found.length > ProjectMultiSelect.LIMIT) {
        const more = (found.length - ProjectMultiSelect.LIMIT).toLocaleString("en-US");
        items.push(this.option(`${more} more: type to narrow the list`, { "aria-disabled": "true", class: "ms-note" }));
      }
    }
    this.listbox.replaceChildren(...items);
  }

  render() {
    const chips = [];
    let shown = 0;
    for (const id of this.selected) {
      if (shown++ >= ProjectMultiSelect.MAX_CHIPS) break;
      const li = document.createElement("li");
      li.className = "chip";
      const name = this.names.get(id) || String(id);
      li.append(name);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.dataset.remove = String(id);
      remove.setAttribute("aria-label", `${Procore.label("Remove")} ${name}`);
      remove.textContent = "×";
      li.append(remove);
      chips.push(li);
    }
    if (this.selected.size > ProjectMultiSelect.MAX_CHIPS) {
      const li = document.createElement("li");
      li.className = "chip chip-more";
      li.textContent = `+${(this.selected.size - ProjectMultiSelect.MAX_CHIPS).toLocaleString("en-US")} ${Procore.label("more")}`;
      chips.push(li);
    }
    this.chips.replaceChildren(...chips);
    this.input.placeholder = this.selected.size ? "" : Procore.label("Select Projects");
    if (!this.listbox.hidden) this.renderOptions();
    this.root.dispatchEvent(new CustomEvent("change", { bubbles: true }));
  }

  ids() { return Array.from(this.selected); }
}

document.querySelectorAll(".multiselect").forEach((root) => { root.multiselect = new ProjectMultiSelect(root); });
