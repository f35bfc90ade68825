// Generates server/core/src/report/data/world-110m.tsv: one line per country of Natural Earth's
// 1:110m Admin 0 boundaries (npm world-atlas 2.0.2), as `alpha2<TAB>name<TAB>SVG path`.
//
// The path is in an equirectangular projection measured in tenths of a degree:
// x = (longitude + 180) * 10, y = (90 - latitude) * 10, rounded to integers, so that the report
// places gazetteer coordinates on it with the same two lines of arithmetic. Antarctica is left
// out (the report crops the map at 60° south). ISO 3166-1 numeric ids are mapped to alpha-2
// codes with Debian's iso-codes, the same source as the gazetteer's countries.
//
// Usage: node world.mjs NODE_MODULES_DIR ISO_3166_JSON OUT_FILE
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [modules, isoFile, outFile] = process.argv.slice(2);
const require = createRequire(path.join(modules, "noop.js"));
const topojson = require("topojson-client");
const world = JSON.parse(readFileSync(path.join(modules, "world-atlas/countries-110m.json"), "utf8"));
const iso = JSON.parse(readFileSync(isoFile, "utf8"))["3166-1"];
const alpha2ByNumeric = new Map(iso.map((c) => [c.numeric, c.alpha_2]));

const countries = topojson.feature(world, world.objects.countries).features;
const project = ([lon, lat]) => [Math.round((lon + 180) * 10), Math.round((90 - lat) * 10)];

// Rings that cross the antimeridian (Russia's Chukotka, Fiji) jump by 360° between two points.
// Such a ring is unwrapped onto one side and drawn twice, shifted by ±360°, so that the map's
// clip shows both halves without a line across the world.
function unwrap(points) {
  const crosses = points.some((p, i) => i > 0 && Math.abs(p[0] - points[i - 1][0]) > 180);
  if (!crosses) return [points];
  const east = points.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
  return [east, east.map(([lon, lat]) => [lon - 360, lat])];
}

// One closed ring as an SVG subpath with relative integer moves; repeated points are dropped.
function ring(points) {
  let out = "";
  let previous = null;
  for (const point of points.map(project)) {
    if (previous === null) {
      out += `M${point[0]} ${point[1]}`;
    } else {
      const dx = point[0] - previous[0];
      const dy = point[1] - previous[1];
      if (dx === 0 && dy === 0) continue;
      out += `l${dx} ${dy}`;
    }
    previous = point;
  }
  return out.replace(/ -/g, "-") + "z";
}

const lines = [];
for (const country of countries) {
  if (country.id === "010") continue; // Antarctica
  const geometry = country.geometry;
  if (!geometry) continue;
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const d = polygons.flatMap((polygon) => polygon.flatMap(unwrap).map(ring)).join("");
  const alpha2 = alpha2ByNumeric.get(country.id) ?? "-";
  lines.push(`${alpha2}\t${country.properties.name}\t${d}`);
}
lines.sort();
writeFileSync(outFile, lines.join("\n") + "\n");
console.error(`wrote ${lines.length} countries to ${outFile}`);
