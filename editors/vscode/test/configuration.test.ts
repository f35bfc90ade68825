// Unit tests of the settings generator on a schema produced by schemars 1.x (test/fixtures), and of
// the filter that keeps client-only settings away from the server.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { CLIENT_SETTINGS, configurationContribution, serverSettings } from "../src/configuration";

// Tests run from out/test/; the fixtures stay in the source tree.
const FIXTURES = path.resolve(__dirname, "..", "..", "test", "fixtures");

function fixture(name: string) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
}

test("schemars output becomes flat, documented settings", () => {
  const contribution = configurationContribution(fixture("settings.schema.json"));
  const properties = contribution.properties as Record<string, unknown>;
  assert.equal(contribution.title, "Gazette");
  assert.deepEqual(Object.keys(properties), [
    ...Object.keys(CLIENT_SETTINGS),
    "gazette.baseline",
    "gazette.debounceMs",
    "gazette.ignores",
    "gazette.inlayHints.dates",
    "gazette.inlayHints.enabled",
    "gazette.level2",
    "gazette.logLevel",
    "gazette.ratio",
    "gazette.semanticTokens",
  ]);
  assert.deepEqual(properties["gazette.debounceMs"], {
    type: "integer",
    minimum: 0,
    default: 50,
    markdownDescription: "Milliseconds to wait.",
  });
  assert.deepEqual(properties["gazette.baseline"], { type: ["string", "null"], default: null, markdownDescription: "A baseline." });
  assert.deepEqual(properties["gazette.ignores"], {
    type: "object",
    additionalProperties: { type: "array", items: { type: "string" } },
    default: {},
    markdownDescription: "Map.",
  });
  // Nested structs are flattened; a field without its own default takes the parent's.
  assert.deepEqual(properties["gazette.inlayHints.enabled"], { type: "boolean", default: true, markdownDescription: "Show hints at all." });
  assert.deepEqual(properties["gazette.inlayHints.dates"], { type: "boolean", default: false });
  // Enums keep every variant and the variants' doc comments.
  assert.deepEqual(properties["gazette.logLevel"], {
    type: "string",
    enum: ["info", "off", "error"],
    markdownEnumDescriptions: ["", "Nothing is forwarded.", "Errors only."],
    default: "info",
    markdownDescription: "The lowest level.",
  });
  assert.deepEqual(properties["gazette.level2"], {
    type: ["string", "null"],
    enum: ["info", "off", "error", null],
    markdownEnumDescriptions: ["", "Nothing is forwarded.", "Errors only.", ""],
    default: null,
    markdownDescription: "Optional level.",
  });
});

test("a schema construct that cannot be a setting fails loudly", () => {
  const schema = { type: "object", properties: { odd: { not: { type: "string" } } } };
  assert.throws(() => configurationContribution(schema), /gazette\.odd: cannot express this schema/);
  const dangling = { type: "object", properties: { x: { $ref: "#/$defs/Nope" } } };
  assert.throws(() => configurationContribution(dangling), /dangling \$ref/);
});

test("a schema field named like a client setting is rejected", () => {
  const schema = { type: "object", properties: { trace: { type: "object", properties: { server: { type: "string" } } } } };
  assert.throws(() => configurationContribution(schema), /gazette\.trace\.server, which is a client-only setting/);
});

test("the server receives the section without client-only keys or accessor functions", () => {
  const section = { server: { path: "/x" }, trace: { server: "off" }, debounceMs: 10, get: () => 1 };
  assert.deepEqual(serverSettings(section), { debounceMs: 10 });
});
