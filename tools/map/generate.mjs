// Generates assets/map/world.svg: Natural Earth 1:110m land (via world-atlas) as one
// <path>, in a plain equirectangular projection that src/rules/geo.rs mirrors:
//   x = lon + 180, y = 84 - lat, viewBox 0 0 360 150 (84°N .. 66°S; Antarctica left out).
// Run once by hand (see README.md); the output is committed and not part of the build.
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const npmDir = process.env.MAP_NPM ?? join(repo, "target", "tools", "map-npm");
const require = createRequire(join(npmDir, "package.json"));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);

const { feature } = await load("topojson-client");
const { geoEquirectangular, geoPath } = await load("d3-geo");
const land110 = require("world-atlas/land-110m.json");

const W = 360;
const H = 150;
const TOP = 84; // latitude at y = 0

// Degrees in, degrees out: scale 180/π turns radians into degrees, so x = lon + 180 and
// y = TOP - lat exactly.
const projection = geoEquirectangular()
  .scale(180 / Math.PI)
  .translate([W / 2, TOP])
  .clipExtent([
    [0, 0],
    [W, H],
  ]);

// The projection must be exactly the linear mapping geo.rs uses.
for (const [lon, lat] of [
  [0, 0],
  [-180, 84],
  [180, -66],
  [139.7, 35.7],
  [-77.5, 39.0],
]) {
  const [x, y] = projection([lon, lat]);
  const [ex, ey] = [lon + 180, TOP - lat];
  if (Math.abs(x - ex) > 1e-9 || Math.abs(y - ey) > 1e-9) {
    throw new Error(`projection of [${lon}, ${lat}] is [${x}, ${y}], want [${ex}, ${ey}]`);
  }
}

// Land only (no borders). Antarctica lies almost wholly below the bottom edge; drop the
// polygons that are entirely south of 60°S so no sliver of it shows along that edge.
const land = feature(land110, land110.objects.land);
const geometries = land.type === "FeatureCollection" ? land.features.map((f) => f.geometry) : [land.geometry];
const polygons = geometries.flatMap((g) => (g.type === "MultiPolygon" ? g.coordinates : [g.coordinates]));
const kept = polygons.filter((rings) => rings[0].some(([, lat]) => lat > -60));
const absolute = geoPath(projection)
  .digits(1)({ type: "MultiPolygon", coordinates: kept });
const d = compact(absolute);

// Rewrites d3's absolute "M…L…Z" path (1 decimal) into relative moves and implicit
// linetos, dropping points that repeat after rounding and rings that collapse. Works in
// integer tenths so no rounding error builds up along a ring.
function compact(path) {
  const rings = path
    .split("Z")
    .filter((r) => r.trim())
    .map((r) =>
      r
        .replace(/^M/, "")
        .split("L")
        .map((pt) => pt.split(",").map((v) => Math.round(Number(v) * 10))),
    )
    .map((pts) => {
      const uniq = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]);
      const [f, l] = [uniq[0], uniq[uniq.length - 1]];
      if (uniq.length > 1 && f[0] === l[0] && f[1] === l[1]) uniq.pop();
      return uniq;
    })
    .filter((pts) => pts.length >= 3);
  const num = (n) => {
    const a = Math.abs(n);
    const s = a % 10 ? `${Math.floor(a / 10) || ""}.${a % 10}` : `${a / 10}`;
    return (n < 0 ? "-" : "") + s;
  };
  let text = "";
  let last = "";
  const put = (n) => {
    const s = num(n);
    // A minus sign separates numbers by itself; so does a second "." (".5.3" is .5 .3).
    const glued = s[0] === "-" || (s[0] === "." && /\.\d*$/.test(last));
    text += (glued || !last ? "" : " ") + s;
    last = s;
  };
  let at = [0, 0];
  for (const pts of rings) {
    text += "m";
    last = "";
    for (const p of pts) {
      put(p[0] - at[0]);
      put(p[1] - at[1]);
      at = p;
    }
    text += "z";
    at = pts[0]; // after "z" the current point is the ring's start
  }
  return text;
}

const svg =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">` +
  `<style>path{fill:#d5dce5}@media (prefers-color-scheme:dark){path{fill:#2c3644}}</style>` +
  `<path d="${d}"/></svg>\n`;

const out = join(repo, "assets", "map", "world.svg");
writeFileSync(out, svg);
console.log(`wrote ${out}: ${Buffer.byteLength(svg)} bytes, ${kept.length} of ${polygons.length} polygons`);
