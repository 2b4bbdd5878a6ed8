// Network pages: draw the nodes and edges of the page's data block (#network-data, the same as
// the JSON form and the lists below) with the vendored Cytoscape.js and its fcose layout.
// A node's class is told by its shape and an edge's kind by its line and arrow (the legend says
// which), each in the colour the stylesheet gives it. A click on a node opens its page, on an
// edge the page that states it (a membership, a change, or the subject of the statement).
// When the layout stops, the container says so (data-layout="done") with the milliseconds the
// layout took (data-layout-ms) and the nodes drawn (data-nodes): the browser tests read them.
"use strict";
(function () {
  const container = document.getElementById("network-graph");
  const source = document.getElementById("network-data");
  if (!container || !source || typeof cytoscape === "undefined") return;
  if (typeof cytoscapeFcose !== "undefined") cytoscape.use(cytoscapeFcose);
  const graph = JSON.parse(source.textContent);
  // Past LARGE nodes, names show only once zoomed in, edges are straight and the force-directed
  // step runs fewer iterations. fcose's spectral step alone ("draft") piles hundreds of nodes up
  // (screenshots at 1,142 and 2,000 nodes): it is never used.
  const LARGE = 300;
  const large = graph.nodes.length > LARGE;
  const colour = (name) => getComputedStyle(document.body).getPropertyValue(name).trim() || "#555";

  const elements = [];
  for (const node of graph.nodes) {
    const focus = node.id === graph.focus;
    elements.push({
      group: "nodes",
      data: { id: node.id, label: node.label, href: node.href },
      classes: [node.class, focus ? "focus" : ""].join(" "),
    });
  }
  for (const edge of graph.edges) {
    elements.push({
      group: "edges",
      data: { id: edge.id, source: edge.source, target: edge.target, href: edge.href },
      classes: edge.kind,
    });
  }

  const style = [
    {
      selector: "node",
      style: {
        label: "data(label)",
        "font-size": 10,
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": 140,
        "min-zoomed-font-size": large ? 14 : 0,
        width: 18,
        height: 18,
        "border-width": 2,
        color: "#1b1f24",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.75,
        "text-background-padding": 1,
      },
    },
    { selector: "node.focus", style: { width: 30, height: 30, "border-width": 4, "font-size": 13, "font-weight": "bold" } },
    { selector: "node.match", style: { "border-color": "#ff922b", "border-width": 5 } },
    { selector: "node.faded, edge.faded", style: { opacity: 0.15 } },
    {
      selector: "edge",
      style: {
        width: 1.6,
        "curve-style": large ? "straight" : "bezier",
        "arrow-scale": 0.9,
      },
    },
  ];
  for (const cls of graph.classes) {
    const c = colour(`--node-${cls.key}`);
    style.push({
      selector: `node.${cls.key}`,
      style: { shape: cls.shape, "border-color": c, "background-color": c, "background-opacity": 0.3 },
    });
  }
  for (const kind of graph.kinds) {
    const c = colour(`--edge-${kind.key}`);
    style.push({
      selector: `edge.${kind.key}`,
      style: {
        "line-color": c,
        "line-style": kind.line,
        width: kind.width,
        "target-arrow-shape": kind.arrow,
        "target-arrow-color": c,
      },
    });
  }

  const cy = cytoscape({
    container,
    elements,
    style,
    layout: { name: "preset" },
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
  });
  const layout = cy.layout({
    name: typeof cytoscapeFcose !== "undefined" ? "fcose" : "cose",
    quality: "default",
    numIter: large ? 1000 : 2500,
    randomize: true,
    animate: false,
    fit: true,
    padding: 20,
    nodeRepulsion: 6000,
    idealEdgeLength: large ? 60 : 90,
    packComponents: true,
  });
  layout.one("layoutstop", () => {
    container.dataset.layoutMs = String(Math.round(performance.now() - started));
    container.dataset.nodes = String(cy.nodes().length);
    container.dataset.edges = String(cy.edges().length);
    container.dataset.layout = "done";
  });
  // Say what is happening, and let the browser paint that before the layout takes the thread.
  const tools = document.querySelector(".network-tools");
  const status = document.getElementById("network-status");
  tools.hidden = false;
  status.textContent = status.dataset.layingOut.replace("{n}", String(graph.nodes.length));
  layout.one("layoutstop", () => {
    status.textContent = "";
  });
  let started = 0;
  requestAnimationFrame(() =>
    setTimeout(() => {
      started = performance.now();
      layout.run();
    }, 0),
  );

  cy.on("tap", "node, edge", (event) => {
    const href = event.target.data("href");
    if (href) window.location.assign(href);
  });
  // The page's title of a node or an edge on hover: its name, or what the edge says.
  const lang = container.dataset.lang === "en" ? "en" : "fr";
  const kinds = Object.fromEntries(graph.kinds.map((k) => [k.key, k[lang]]));
  const labels = Object.fromEntries(graph.nodes.map((n) => [n.id, n.label]));
  const role = (edge) => edge.label[lang] || edge.label.fr;
  const titles = Object.fromEntries(
    graph.edges.map((e) => [e.id, `${labels[e.source]} ${kinds[e.kind]} ${labels[e.target]}${role(e) ? ` (${role(e)})` : ""}`]),
  );
  cy.on("mouseover", "node, edge", (event) => {
    const target = event.target;
    container.title = target.isNode() ? target.data("label") : titles[target.id()];
    container.style.cursor = "pointer";
  });
  cy.on("mouseout", "node, edge", () => {
    container.title = "";
    container.style.cursor = "";
  });

  // Finding a node: those whose name holds the words typed (accents and case ignored) stand
  // out and the others fade; the view moves to them.
  const find = document.getElementById("network-find");
  const folded = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  find.addEventListener("input", () => {
    const words = folded(find.value).split(/\s+/).filter(Boolean);
    cy.elements().removeClass("match faded");
    if (!words.length) {
      status.textContent = "";
      return;
    }
    const found = cy.nodes().filter((n) => words.every((w) => folded(n.data("label")).includes(w)));
    const said = found.length > 1 ? status.dataset.foundMany : found.length ? status.dataset.foundOne : status.dataset.foundNone;
    status.textContent = said.replace("{n}", String(found.length));
    if (!found.length) return;
    found.addClass("match");
    cy.elements().not(found.closedNeighborhood()).addClass("faded");
    cy.animate({ fit: { eles: found.closedNeighborhood(), padding: 40 } }, { duration: 300 });
  });
  // A network family: its organisations and their neighbours stand out, the others fade.
  const family = document.getElementById("network-family");
  const families = Object.fromEntries(graph.nodes.map((n) => [n.id, n.families]));
  if (family) {
    family.addEventListener("change", () => {
      find.value = "";
      cy.elements().removeClass("match faded");
      status.textContent = "";
      if (!family.value) return;
      const members = cy.nodes().filter((n) => families[n.id()].includes(family.value));
      members.addClass("match");
      cy.elements().not(members.closedNeighborhood()).addClass("faded");
    });
  }
  document.getElementById("network-fit").addEventListener("click", () => {
    if (family) family.value = "";
    find.value = "";
    cy.elements().removeClass("match faded");
    status.textContent = "";
    cy.fit(undefined, 20);
  });
})();
