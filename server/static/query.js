// The query page: YASGUI (vendored from npm) on our endpoint, one tab per README example, and
// first the query given in the URL (/query?query=…&title=…), which runs at once: the home
// page's counters and examples link here and open on their results.
// Nothing is fetched from elsewhere: no endpoint catalogue, no LOV/prefix.cc autocompletion; the
// editor knows the prefixes the endpoint predeclares.
// An IRI under our canonical base shows as it is but links to its page on this server (as
// server/site.py local_href does on our pages): it resolves before w3id.org redirects to us.
// Links still open in a new tab, so that the results stay.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("query-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;
  const local = (iri) => (iri.startsWith(config.base) ? "/" + iri.slice(config.base.length) : iri);
  Yasgui.Yasr.plugins.table.defaults.tableConfig.createdRow = (row) => {
    for (const a of row.querySelectorAll("a.iri")) a.setAttribute("href", local(a.getAttribute("href")));
  };
  // The endpoint declares our prefixes for every query; the editor's tokenizer knows them too,
  // so a query without PREFIX lines is not marked "Prefix 'org' is not defined". They are
  // inherited and not enumerable: lookups find them, but the results table abbreviates IRIs
  // only with the prefixes the query declares (it lists them with for…in).
  const predeclared = Object.create(
    null,
    Object.fromEntries(Object.entries(config.prefixes).map(([n, iri]) => [n, { value: iri }])),
  );
  const sparql = Yasgui.Yasqe.modes.sparql11;
  Yasgui.Yasqe.defineMode("sparql11", (options, modeOptions) => {
    const mode = sparql(options, modeOptions);
    const start = mode.startState;
    mode.startState = (...args) => {
      const state = start.apply(mode, args);
      state.prefixes = Object.assign(Object.create(predeclared), state.prefixes);
      return state;
    };
    return mode;
  });
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    yasqe: { autocompleters: ["prefixes", "variables"] },
  });
  const tabs = config.examples.slice();
  if (config.initial) {
    const same = tabs.findIndex((t) => t.query === config.initial.query);
    if (same >= 0) tabs.splice(same, 1);
    tabs.unshift(config.initial);
  }
  if (tabs.length === 0) {
    tabs.push({ name: "Query", query: "SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n" });
  }
  for (const id of Object.keys(yasgui._tabs)) yasgui.getTab(id).close();
  tabs.forEach((t, i) => {
    yasgui.addTab(i === 0, {
      name: t.name,
      yasqe: { value: t.query },
      requestConfig: Object.assign({}, yasgui.config.requestConfig, { endpoint: endpoint }),
    });
  });
  if (config.initial) yasgui.getTab().query(); // a query given in the URL shows its results at once
  accessible(yasgui, config.labels);
  window.maillageYasgui = yasgui;

  // YASGUI's widgets, made to meet WCAG 2.1 AA (axe-core, tests/e2e/test_accessibility.py) with
  // our own attributes, in the page's language, whenever YASGUI draws them: the "+" button moves
  // out of the tab list (a tablist holds tabs only; YASGUI then appends new tabs at the list's
  // end), a tab points (aria-controls) only to a panel that is drawn, and the editor, the
  // endpoint field and the results' page-size menu get names; an example's tab says that it
  // is in English.
  function accessible(yasgui, labels) {
    const tabs = yasgui.tabElements;
    const list = tabs._tabsListEl;
    if (list && tabs.addTabEl) {
      const bar = document.createElement("div");
      bar.className = "tabs-bar";
      list.before(bar);
      bar.append(list, tabs.addTabEl);
      tabs.addTabEl.removeAttribute("role");
      tabs.addTabEl.querySelector("button").setAttribute("aria-label", labels.addTab);
      tabs.addTabEl = undefined; // drawTab inserts before it, or appends when there is none
    }
    const name = (selector, label) => {
      for (const element of yasgui.rootEl.querySelectorAll(selector)) {
        if (element.getAttribute("aria-label") !== label) element.setAttribute("aria-label", label);
      }
    };
    const mend = () => {
      for (const tab of yasgui.rootEl.querySelectorAll('[role="tab"]')) {
        const panel = tab.getAttribute("aria-controls") || tab.dataset.controls;
        if (!panel) continue;
        tab.dataset.controls = panel;
        if (document.getElementById(panel)) tab.setAttribute("aria-controls", panel);
        else tab.removeAttribute("aria-controls");
      }
      name(".CodeMirror textarea", labels.editor);
      name("input.autocomplete", labels.endpoint);
      name(".tab input[type=text]", labels.tabName);
      name("select.tableSizer", labels.pageSize);
      for (const span of yasgui.rootEl.querySelectorAll('[role="tab"] > span')) {
        // the README's examples are named in English, whatever the page's language
        const english = config.examples.some((e) => e.name === span.textContent);
        if (english && span.lang !== "en") span.lang = "en";
      }
      name(".tableFilter, input.search, .dataTables_filter input", labels.filter);
    };
    mend();
    new MutationObserver(mend).observe(yasgui.rootEl, { childList: true, subtree: true });
  }
})();
