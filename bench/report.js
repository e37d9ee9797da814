// Turns bench results into Markdown: medians, min and max of each figure for the panel and
// the baseline, and the ratio panel / baseline of the medians.
// usage: node report.js results.json sizes.json OUT.md
const fs = require("fs");
const os = require("os");

const [resultsPath, sizesPath, out] = process.argv.slice(2);
const { chromium, samples, bulk, mutations, scrollFrames } = JSON.parse(fs.readFileSync(resultsPath, "utf8"));
const sizes = JSON.parse(fs.readFileSync(sizesPath, "utf8"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (which, key) => {
  const xs = samples[which].map((s) => s[key]);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
const ms = (x) => `${x.toFixed(0)} ms`;
// Frames last whole display intervals (16.7 ms at 60 Hz), so 50 ms is three of them, and the
// clock's jitter puts some of those at 50.1: a tenth of a millisecond shows on which side.
const msTenths = (x) => `${x.toFixed(1)} ms`;
const mb = (x) => `${(x / 1048576).toFixed(1)} MB`;

const count = (x) => String(Math.round(x));
// A target is a ratio of the medians (panel / baseline), or a bound every panel run must keep.
const ratio = (most) => ({ label: `≤ ${most.toFixed(1)}×`, met: (p, b) => p.median <= most * b.median });
const each = (label, most) => ({ label, met: (p) => p.max <= most });
const rows = [
  ["Cold load to an interactive table, 100 groups", "cold", ms, ratio(1.3)],
  ["Render 1,000 groups: to the first screen painted", "render1k", ms],
  ["Render 10,000 groups: to the first screen painted", "render", ms, ratio(1.0)],
  ["Filter 10,000 groups: input to painted rows", "filter", ms, ratio(1.0)],
  ["Scroll the 10,000-row table top to bottom: longest frame", "scrollLongest", msTenths, each("≤ 50 ms", 50)],
  ["… frames over 50 ms", "scrollOver50", count, each("0", 0)],
  ["… long tasks (over 50 ms)", "scrollLongTasks", count],
  ["Memory after the 10,000 render: JS heap + wasm", "memory", mb, ratio(3.0)],
  ["… of which JS heap", "memJs", mb],
  ["… of which wasm linear memory", "memWasm", mb],
  ["API requests on a cold load", "coldRequests", count, each("≤ 3", 3)],
];
const runs = samples.panel.length;
let md = `# Benchmarks

The panel's release build against a hand-written baseline page (\`bench/baseline/\`: plain
HTML and JavaScript, the same table, chips and filter rule, from the same sandbox API), both
served by the sandbox server and driven in headless Chromium in turns, ${runs} runs each after
one warm-up turn. In a turn each figure is taken for both pages back to back, and which page
goes first alternates from turn to turn, so that neither always runs in the wake of the same
visit. Every load is cold (a new browser context: no cache, no storage). Times come from
each page's own clock, from navigation start. Produced by \`cargo xtask bench\` (\`bench/run.js\`, \`bench/report.js\`).

How each figure is taken (the same for both pages):

- a table is *rendered* when it says it has every group (\`aria-rowcount\`) and its rows
  cover the viewport (the panel draws only the rows in view, the baseline draws them all),
  and the next frame has been painted (the mark is taken after an animation frame, so the
  style, layout and paint of those rows count);
- *filter*: from the input event to the first frame painted with only the ten matching rows;
- *scroll*: from the top of the 10,000-row page to its bottom in ${scrollFrames} equal steps, one per
  animation frame (a fast fling); a frame is the time between two animation frames (a whole
  number of display intervals of 16.7 ms, give or take the clock's jitter), a long task one
  the browser reports as over 50 ms;
- *memory*: after a forced garbage collection, so each page counts what it keeps: the JS
  heap (\`performance.memory.usedJSHeapSize\`) and, for the panel, its wasm linear memory
  (which never shrinks, so it is the high-water mark).

- Date: ${new Date().toISOString().slice(0, 10)}
- Machine: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}
- Browser: Chromium ${chromium} (headless)

| figure | panel median (min–max) | baseline median (min–max) | panel / baseline | target | met |
|---|---|---|---|---|---|
`;
for (const [label, key, fmt, target] of rows) {
  const p = stats("panel", key);
  const b = stats("baseline", key);
  const times = b.median > 0 ? `${(p.median / b.median).toFixed(2)}×` : "—";
  const met = target ? (target.met(p, b) ? "yes" : "**no**") : "";
  md += `| ${label} | ${fmt(p.median)} (${fmt(p.min)}–${fmt(p.max)}) | ${fmt(b.median)} (${fmt(b.min)}–${fmt(b.max)}) | ${times} | ${target ? target.label : ""} | ${met} |\n`;
}

md += `
## Bytes (first load; html, js, wasm, css)

| | panel raw | panel gzip | panel brotli | baseline raw | baseline gzip | baseline brotli |
|---|---|---|---|---|---|---|
`;
const total = (page) => Object.values(sizes[page]).reduce((t, v) => t.map((x, i) => x + v[i]), [0, 0, 0]);
for (const kind of ["html", "js", "wasm", "css"]) {
  md += `| ${kind} | ${sizes.panel[kind].join(" | ")} | ${sizes.baseline[kind].join(" | ")} |\n`;
}
const [pt, bt] = [total("panel"), total("baseline")];
md += `| **all** | ${pt.join(" | ")} | ${bt.join(" | ")} |\n`;
md += `\nPanel / baseline after brotli: ${(pt[2] / bt[2]).toFixed(0)}×; the panel's target is ≤ 100 KB brotli (256 KiB, 262,144 bytes, is the hard ceiling).\n`;

const bulkStats = (key) => {
  const xs = bulk.map((s) => s[key]);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
};
md += `
## Bulk Protect of 1,000 groups (panel)

Every group of the 1,000-group organization selected ("Select all shown"), Protect, then Run
against the sandbox server, ${bulk.length} run${bulk.length === 1 ? "" : "s"} (a reset before each). From the click on
Run to the first frame painted with "1000 done"; frames as above; requests from the sandbox's
log, in flight from the page's resource timing. Each line of the dialog is keyed by its group,
so a step change redraws that line only; the run sends four changes at a time.

| figure | median (min–max) | target | met |
|---|---|---|---|
`;
for (const [label, key, fmt, most] of [
  ["Whole run: Run to all done, painted", "bulkTotal", ms],
  ["… the API's part: each request's time (mean) × 1,000 ÷ 4 in flight", "bulkApiBound", ms],
  ["Each request, start to answer (mean)", "bulkEach", msTenths],
  ["Longest frame while it runs", "bulkLongest", msTenths, 50],
  ["… frames over 50 ms", "bulkOver50", count, 0],
  ["Requests that reached the API", "bulkRequests", count],
  ["Most requests in flight at once", "bulkInFlight", count, 4],
]) {
  const s = bulkStats(key);
  const met = most === undefined ? "" : s.max <= most ? "yes" : "**no**";
  md += `| ${label} | ${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}) | ${most === undefined ? "" : most === 0 ? "0" : `≤ ${fmt(most)}`} | ${met} |\n`;
}

md += `
## API requests per change (panel)

What the panel sent for each kind of change, from the sandbox's request log; no change is
followed by a refetch of the list.

| change | requests |
|---|---|
`;
for (const [change, n] of Object.entries(mutations)) md += `| ${change} | ${n} |\n`;
fs.writeFileSync(out, md);
console.log(md);
