// Drives the panel and the baseline page in headless Chromium, in turns, and writes the
// figures as JSON. Run by `cargo xtask bench`, which builds both, starts the sandbox servers
// and turns the JSON into BENCHMARKS.md. Times come from the page's own clock
// (performance.now(), from navigation start), never from this process.
//
// usage: node run.js SMALL_URL SMALL_N MID_URL MID_N LARGE_URL LARGE_N RUNS OUT.json
// playwright-core is resolved through NODE_PATH from target/tools/npm, where `cargo xtask setup`
// installs it (xtask sets NODE_PATH for every process it starts).
const { chromium } = require("playwright-core");
const fs = require("fs");

const [small, smallN, mid, midN, large, largeN, runs, out] = process.argv.slice(2);
const PAGES = { panel: "/groups", baseline: "/baseline/" };
// Ten rows whenever there are at least 1,000 groups: tenant-00990 … tenant-00999.
const NEEDLE = "tenant-0099";
// The scroll from the top of the 10,000-row table to its bottom takes this many frames.
const SCROLL_FRAMES = 60;

// Before any page script: the connection both pages read, a clock mark when the table is
// rendered (below), and the panel's wasm memory (for the memory figure).
//
// "Rendered" is the same for both pages: the table says it has all n groups (aria-rowcount,
// the header row included) and its rows cover the viewport (the panel draws only the rows in
// view; the baseline draws them all), and then a frame has been painted: the mark is taken
// after the next animation frame, so it includes the style, layout and paint of those rows.
function prepare({ base, n }) {
  sessionStorage.setItem(
    "groups-console.session",
    JSON.stringify({ base_url: `${base}/v1`, org: "acme", token: "sandbox-token", remember: false }),
  );
  window.__rowsAt = null;
  let seen = false;
  new MutationObserver(() => {
    if (seen || !window.__tableReady(n)) return;
    seen = true;
    requestAnimationFrame(() => setTimeout(() => (window.__rowsAt = performance.now()), 0));
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-rowcount"] });
  window.__tableReady = (n) => {
    const table = document.getElementById("groups-table");
    if (!table || table.getAttribute("aria-rowcount") !== String(n + 1)) return false;
    const rows = table.querySelectorAll("tbody tr[data-group]");
    return rows.length === n || (rows.length > 0 && rows[rows.length - 1].getBoundingClientRect().bottom >= innerHeight);
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = async (...args) => {
      const result = await original.apply(WebAssembly, args);
      const exports = (result.instance || result).exports;
      if (exports && exports.memory) window.__wasmMemory = exports.memory;
      return result;
    };
  }
}

// From the input event that narrows the filter to the first frame painted with only the
// matching rows (and the table saying so).
async function filterTime([needle, expected]) {
  const input = document.getElementById("groups-filter");
  const table = document.getElementById("groups-table");
  return await new Promise((resolve) => {
    let start;
    const observer = new MutationObserver(() => {
      if (window.__tableReady(expected) && table.querySelectorAll("tbody tr[data-group]").length === expected) {
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
      }
    });
    observer.observe(table, { childList: true, subtree: true, attributes: true, attributeFilter: ["aria-rowcount"] });
    start = performance.now();
    input.value = needle;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

// Scrolls from the top of the page to the bottom in SCROLL_FRAMES equal steps, one per
// animation frame, as a fast fling or a dragged scrollbar would. A frame's length is the time
// between two animation frames; a long task is one the browser reports as over 50 ms.
async function scrollTime(frames) {
  window.scrollTo(0, 0);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
  observer.observe({ type: "longtask" });
  const end = document.documentElement.scrollHeight - innerHeight;
  let longest = 0;
  let over50 = 0;
  await new Promise((resolve) => {
    let last = null;
    let i = 0;
    const frame = (t) => {
      if (last !== null) {
        longest = Math.max(longest, t - last);
        if (t - last > 50) over50++;
      }
      last = t;
      if (i++ === frames) return resolve();
      window.scrollTo(0, Math.round((end * i) / frames));
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  const rows = document.querySelectorAll("#groups-table tbody tr[data-group]");
  const last = rows[rows.length - 1];
  return { longest, over50, longTasks: longTasks.length, lastRow: last && last.getAttribute("data-group") };
}

async function visit(browser, base, n, which, full) {
  const context = await browser.newContext(); // no cache, no storage: a cold load
  const page = await context.newPage();
  const api = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/v[12]\//.test(path)) api.push(`${r.method()} ${path}`);
  });
  await page.addInitScript(prepare, { base, n: Number(n) });
  await page.goto(base + PAGES[which]);
  await page.waitForFunction(() => window.__rowsAt !== null, null, { timeout: 180000, polling: 50 });
  const result = { load: await page.evaluate(() => window.__rowsAt), requests: api.length };
  if (full) {
    // What each page keeps: garbage is collected first (the flag --expose-gc gives gc()).
    const memory = await page.evaluate(() => {
      gc();
      return { js: performance.memory.usedJSHeapSize, wasm: window.__wasmMemory ? window.__wasmMemory.buffer.byteLength : 0 };
    });
    Object.assign(result, { memJs: memory.js, memWasm: memory.wasm, memory: memory.js + memory.wasm });
    const scroll = await page.evaluate(scrollTime, SCROLL_FRAMES);
    if (scroll.lastRow !== "tenant-09996") {
      throw new Error(`${which}: after the scroll the last row is ${scroll.lastRow}, expected tenant-09996`);
    }
    Object.assign(result, { scrollLongest: scroll.longest, scrollOver50: scroll.over50, scrollLongTasks: scroll.longTasks });
    await page.evaluate(() => window.scrollTo(0, 0));
    result.filter = await page.evaluate(filterTime, [NEEDLE, 10]);
    const shown = await page.evaluate(() => document.querySelectorAll("#groups-table tbody tr[data-group]").length);
    if (shown !== 10) throw new Error(`${which}: the filter showed ${shown} rows, expected 10`);
  }
  await context.close();
  return result;
}

// Bulk Protect of every group of the 1,000-group organization, from the click on Run to the
// first frame painted with the summary saying all are done; meanwhile the longest frame (the
// time between two animation frames), the requests that reached the sandbox, and the most
// the page had in flight at once (from resource timing: each request's start to its end).
async function bulkProtect(browser, base, n) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await fetch(`${base}/__sandbox/reset`, { method: "POST" });
  await page.addInitScript(prepare, { base, n });
  await page.goto(base + PAGES.panel);
  await page.waitForFunction(() => window.__rowsAt !== null, null, { timeout: 180000, polling: 50 });
  await page.click("#bulk-select-all");
  await page.click("#bulk-protect");
  await page.waitForFunction((n) => document.querySelectorAll("dialog#bulk[open] .bulk-list li").length === n, n);
  const logged = async () => (await (await fetch(`${base}/__sandbox/requests`)).json()).length;
  const before = await logged();
  const result = await page.evaluate(async (n) => {
    performance.setResourceTimingBufferSize(10 * n);
    performance.clearResourceTimings();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const summary = document.getElementById("bulk-summary");
    let longest = 0;
    let over50 = 0;
    let last = null;
    let running = true;
    const frame = (t) => {
      if (last !== null) {
        longest = Math.max(longest, t - last);
        if (t - last > 50) over50++;
      }
      last = t;
      if (running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const start = performance.now();
    await new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (summary.textContent === `${n} done`) {
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(resolve, 0));
        }
      });
      observer.observe(summary, { childList: true, subtree: true, characterData: true });
      document.getElementById("bulk-run").click();
    });
    const total = performance.now() - start;
    running = false;
    const answered = performance.getEntriesByType("resource").filter((e) => e.name.includes("/configuration"));
    const each = answered.reduce((sum, e) => sum + e.responseEnd - e.startTime, 0) / answered.length;
    const spans = answered
      .flatMap((e) => [[e.startTime, 1], [e.responseEnd, -1]])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let inFlight = 0;
    for (const [, d] of spans) inFlight = Math.max(inFlight, (now += d));
    return { total, longest, over50, inFlight, each };
  }, n);
  const requests = (await logged()) - before;
  if (requests !== n) throw new Error(`bulk protect: ${requests} requests reached the sandbox, expected ${n}`);
  await context.close();
  return {
    bulkTotal: result.total, bulkLongest: result.longest, bulkOver50: result.over50, bulkInFlight: result.inFlight,
    bulkRequests: requests, bulkEach: result.each, bulkApiBound: (result.each * n) / 4,
  };
}

// Requests the panel sends for each kind of change (read from the sandbox's log).
async function mutationRequests(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(prepare, { base, n: 1 });
  const log = async () => (await (await fetch(`${base}/__sandbox/requests`)).json()).length;
  await fetch(`${base}/__sandbox/reset`, { method: "POST" });
  await page.goto(base + PAGES.panel);
  await page.waitForSelector("tr[data-group='default']");
  const counts = { "cold load": await log() };
  let before = await log();
  await page.click("#new-group");
  // Attached, not visible: the picker's list opens only when the field is used.
  await page.waitForSelector("#create-location-list [data-code='aws-eu-west-1']", { state: "attached" });
  await page.fill("#create-name", "bench-made");
  await page.fill("#create-location", "ireland");
  await page.press("#create-location", "Enter");
  await page.click("#create-submit");
  await page.waitForSelector("tr[data-group='bench-made']");
  counts["create a group"] = (await log()) - before;
  before = await log();
  await page.click("input[aria-label='Delete protection for default']");
  await page.waitForFunction(() => document.querySelector("input[aria-label='Delete protection for default']").checked);
  counts["delete protection"] = (await log()) - before;
  before = await log();
  await page.click("button[aria-label='Unarchive legacy']");
  await page.waitForFunction(() => !document.querySelector("button[aria-label='Unarchive legacy']"));
  counts["unarchive"] = (await log()) - before;
  before = await log();
  await page.click("button[aria-label='Delete bench-made']");
  await page.fill("#delete-confirm", "bench-made");
  await page.click("#delete-submit");
  await page.waitForFunction(() => !document.querySelector("tr[data-group='bench-made']"));
  counts["delete a group (lists its databases first)"] = (await log()) - before;
  await context.close();
  return counts;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--enable-precise-memory-info", "--js-flags=--expose-gc"],
  });
  const samples = { panel: [], baseline: [] };
  // One warm-up turn, then turns in which each figure is taken for both pages back to back,
  // the page that goes first alternating from turn to turn (A B, B A, …): a visit runs in the
  // wake of the one before it (the baseline's 10,000 rows leave the browser busy for a while),
  // so neither page may always follow the same one.
  for (let run = -1; run < Number(runs); run++) {
    const order = run % 2 === 0 ? ["panel", "baseline"] : ["baseline", "panel"];
    const turn = { panel: {}, baseline: {} };
    for (const which of order) turn[which].cold = await visit(browser, small, smallN, which, false);
    for (const which of order) turn[which].thousand = await visit(browser, mid, midN, which, false);
    for (const which of order) turn[which].big = await visit(browser, large, largeN, which, true);
    if (run < 0) continue;
    for (const which of order) {
      const { cold, thousand, big } = turn[which];
      samples[which].push({
        cold: cold.load, coldRequests: cold.requests, render1k: thousand.load, render: big.load, filter: big.filter,
        memJs: big.memJs, memWasm: big.memWasm, memory: big.memory,
        scrollLongest: big.scrollLongest, scrollOver50: big.scrollOver50, scrollLongTasks: big.scrollLongTasks,
      });
    }
  }
  // Fewer turns than the page figures: each changes 1,000 groups (a reset comes first).
  const bulk = [];
  for (let run = 0; run < Math.ceil(Number(runs) / 2); run++) bulk.push(await bulkProtect(browser, mid, Number(midN)));
  const mutations = await mutationRequests(browser, small);
  const version = browser.version();
  await browser.close();
  fs.writeFileSync(out, JSON.stringify({ chromium: version, scrollFrames: SCROLL_FRAMES, samples, bulk, mutations }, null, 2));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
