// Timeline pages: draw the items of the list (.timeline-item, each with its first and last day)
// with the vendored vis-timeline, one row per kind. A day is a point; a month or a year spans
// from its first to its last day, so that a date is never shown more precise than its source.
// Selecting an item brings its entry in the list (claims and quotes) into view.
"use strict";
(function () {
  const container = document.getElementById("timeline-chart");
  const entries = Array.from(document.querySelectorAll(".timeline-item"));
  if (!container || !entries.length || typeof vis === "undefined") return;

  // An organisation's or a change's name alone does not say what happened: « Digital Place,
  // founded »; an event, a figure or a document is what happened.
  const SAID = new Set(["organisation", "change", "membership"]);
  const named = (entry) => {
    const label = entry.querySelector(".label").textContent;
    return SAID.has(entry.dataset.kind) ? `${label}, ${entry.dataset.what.replace(/ for$/, "")}` : label;
  };
  const DAY = 24 * 3600 * 1000;
  const day = (text) => new Date(text + "T00:00:00Z");
  const kinds = container.dataset.kinds.split(" "); // the rows' order
  const groups = [];
  const spans = new Map(); // kind, first day, last day → the entries placed there
  for (const entry of entries) {
    const kind = entry.dataset.kind;
    if (!groups.some((g) => g.id === kind)) {
      groups.push({ id: kind, content: entry.dataset.group, order: kinds.indexOf(kind), className: "kind-" + kind });
    }
    const key = [kind, entry.dataset.start, entry.dataset.end, entry.dataset.precision].join(" ");
    if (!spans.has(key)) spans.set(key, []);
    spans.get(key).push(entry);
  }
  // Items of one kind at the same date are one item on the chart: named each when they are
  // few, by their number when they are many (the thirteen figures of 2019); the list names each.
  const items = Array.from(spans.values()).map((together) => {
    const entry = together[0];
    const labels = together.map(named);
    const text = together.length > 4 ? `${together.length} ${entry.dataset.group.toLowerCase()}` : labels.join(" · ");
    const content = document.createElement("span");
    content.textContent = text;
    const start = day(entry.dataset.start);
    const last = day(entry.dataset.end);
    const point = entry.dataset.precision === "day" && !entry.dataset.spans;
    return {
      id: entry.id,
      entries: together.map((e) => e.id),
      group: entry.dataset.kind,
      content: content,
      start: start,
      end: point ? undefined : new Date(last.getTime() + DAY),
      type: point ? "point" : "range",
      className: "kind-" + entry.dataset.kind,
      title: entry.dataset.date + ": " + labels.join(" · "),
    };
  });

  const starts = items.map((i) => i.start.getTime()).sort((a, b) => a - b);
  const last = Math.max(...items.map((i) => (i.end || i.start).getTime()));
  // The chart opens on the years that hold the items: a lone item far before the others (a
  // founding decades earlier) is a drag away, and in the list.
  let opening = 0;
  while (opening < starts.length - 1 && starts[opening + 1] - starts[opening] > (last - starts[opening]) / 3) opening++;
  const first = starts[0];
  const margin = Math.max((last - starts[opening]) / 30, 120 * DAY);
  document.querySelector(".timeline-chart").hidden = false;
  const timeline = new vis.Timeline(container, items, groups, {
    start: new Date(starts[opening] - margin),
    end: new Date(last + margin),
    min: new Date(first - 10 * margin),
    max: new Date(last + 10 * margin),
    zoomMin: 30 * DAY,
    groupOrder: "order",
    stack: true,
    showCurrentTime: false,
    orientation: "top", // the axis above, and the first items of each row at its top
    zoomKey: "ctrlKey",
    margin: { item: { horizontal: 2, vertical: 4 } },
    onInitialDrawComplete: () => (container.dataset.drawn = "true"), // shown from then on
  });
  const placed = new Map(items.map((i) => [i.id, i.entries]));

  timeline.on("select", (event) => {
    const id = event.items[0];
    if (!id) return;
    for (const other of document.querySelectorAll(".timeline-item.selected")) other.classList.remove("selected");
    for (const each of placed.get(id)) document.getElementById(each).classList.add("selected");
    history.replaceState(null, "", "#" + id);
    document.getElementById(id).scrollIntoView({ block: "center" });
  });
})();
