// The header's search box as a combobox (WAI-ARIA Authoring Practices, « combobox with listbox
// popup », list autocomplete): as one types, names from /search/suggest are offered in a listbox
// under the box; Down and Up move through them (aria-activedescendant), Enter or a click opens
// the one chosen, Escape closes the list (and empties the box when it is closed). Without this
// script, or when no option is chosen, the form submits to /search as before.
"use strict";

(function () {
  const DELAY_MS = 120;
  const form = document.querySelector("form.site-search[data-suggest]");
  const input = form && form.querySelector("input[name=q]");
  if (!input) return;

  const listId = input.id + "-options";
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.dataset.suggestLabel || "");
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  const combo = document.createElement("span");
  combo.className = "combo";
  input.replaceWith(combo);
  combo.append(input, list);
  form.append(status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");

  let options = [];
  let active = -1;
  let timer = null;
  let pending = null;

  function language() {
    const lang = form.querySelector("input[name=lang]");
    return lang ? "?lang=" + encodeURIComponent(lang.value) : "";
  }

  function open(found) {
    list.replaceChildren();
    options = found.map(function (s, i) {
      const li = document.createElement("li");
      li.id = listId + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const name = document.createElement("span");
      name.lang = "fr";
      name.textContent = s.label;
      li.append(name);
      if (s.class_label) {
        const kind = document.createElement("small");
        kind.lang = "fr";
        kind.textContent = " " + s.class_label;
        li.append(kind);
      }
      li.dataset.href = s.href + language();
      li.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
      });
      li.addEventListener("click", function () {
        window.location.assign(li.dataset.href);
      });
      list.append(li);
      return li;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const shown = options.length > 0;
    list.hidden = !shown;
    input.setAttribute("aria-expanded", shown ? "true" : "false");
    const template = shown ? form.dataset.suggestStatus : form.dataset.suggestNone;
    status.textContent = (template || "").replace("{count}", String(options.length));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(index) {
    if (options.length === 0) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (index + options.length) % options.length;
    const option = options[active];
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function fetchSuggestions() {
    const typed = input.value;
    if (pending) pending.abort();
    if (typed.trim().length < 2) {
      close();
      return;
    }
    pending = new AbortController();
    fetch(form.dataset.suggest + "?q=" + encodeURIComponent(typed), {
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (body) {
        if (input.value === typed && document.activeElement === input) open(body.suggestions);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") close();
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, DELAY_MS);
  });

  input.addEventListener("keydown", function (event) {
    const expanded = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (expanded) choose(active + 1);
      else fetchSuggestions();
    } else if (event.key === "ArrowUp") {
      if (expanded) {
        event.preventDefault();
        choose(active - 1);
      }
    } else if (event.key === "Enter") {
      if (expanded && active >= 0) {
        event.preventDefault();
        window.location.assign(options[active].dataset.href);
      }
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault(); // a search box would also empty itself
        close();
      } else {
        input.value = "";
      }
    }
  });

  input.addEventListener("blur", close);
})();
