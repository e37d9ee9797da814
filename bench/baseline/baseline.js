// The benchmark's baseline: the same group table as the panel (same columns, chip markup and
// filter rule), in plain JavaScript, from the same sandbox API. It reads the connection the
// panel keeps in sessionStorage (JSON: base_url, org, token), so both pages start alike.
const { base_url: base, org, token } = JSON.parse(sessionStorage.getItem("groups-console.session") || "{}");
const headers = { Authorization: `Bearer ${token}` };

const escape = (s) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

let groups = [];
let names = new Map();

function chips(g) {
  return (g.locations || [])
    .map((code) => {
      const primary = code === g.primary;
      const name = names.get(code);
      return `<li class="chip${primary ? " primary" : ""}" data-code="${escape(code)}">` +
        (name ? `<span class="chip-name">${escape(name)}</span>` : "") +
        `<code>${escape(code)}</code>${primary ? '<span class="chip-badge">primary</span>' : ""}</li>`;
    })
    .join("");
}

function row(g) {
  const n = escape(g.name);
  const primary = g.primary
    ? `<span class="location-name">${escape(names.get(g.primary) || "")}</span><code>${escape(g.primary)}</code>`
    : "";
  return `<tr data-group="${n}"><th scope="row" class="name"><a href="/groups/${encodeURIComponent(g.name)}">${n}</a></th>` +
    `<td>${primary}</td><td><ul class="chips" aria-label="Locations">${chips(g)}</ul></td>` +
    `<td>${escape(g.version || "—")}</td><td>${g.archived ? "Yes" : "No"}</td>` +
    `<td><label class="switch"><input type="checkbox" aria-label="Delete protection for ${n}"${g.delete_protection ? " checked" : ""}>${g.delete_protection ? "On" : "Off"}</label></td>` +
    `<td class="actions"><button type="button" class="small">Token…</button><button type="button" class="small">Transfer…</button>` +
    `<button type="button" class="small danger-text">Delete…</button></td></tr>`;
}

// The panel's rule: name, version, location codes and their names, ignoring ASCII case.
function matches(g, needle) {
  if (!needle) return true;
  const hit = (s) => s != null && s.toLowerCase().includes(needle);
  return hit(g.name) || hit(g.version) ||
    [g.primary, ...(g.locations || [])].some((code) => hit(code) || hit(names.get(code)));
}

function render() {
  const needle = document.getElementById("groups-filter").value.trim().toLowerCase();
  const shown = groups.filter((g) => matches(g, needle));
  document.querySelector("#groups-table tbody").innerHTML = shown.map(row).join("");
  // As the panel does: the rows the table has, its header row included.
  document.getElementById("groups-table").setAttribute("aria-rowcount", shown.length + 1);
  document.querySelector(".count").textContent = `${shown.length} of ${groups.length} groups`;
}

const [list, locations] = await Promise.all([
  fetch(`${base}/organizations/${encodeURIComponent(org)}/groups`, { headers }).then((r) => r.json()),
  fetch(`${base}/locations`, { headers }).then((r) => r.json()),
]);
names = new Map(Object.entries(locations.locations || {}));
groups = (list.groups || []).sort((a, b) => (a.name < b.name ? -1 : 1));
document.getElementById("groups-filter").addEventListener("input", render);
render();
