// The manifest check: the generated parts of package.json (settings from the Rust types, commands,
// semantic token types and scopes) match what the generator produces from the committed schemas.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import { COMMANDS } from "../src/commands";
import { EXTENSION_DIR, SETTINGS_SCHEMA, staleFiles } from "../scripts/syncManifest";

const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));

test("package.json is in sync with the schemas and the source tables", () => {
  assert.deepEqual(staleFiles(), [], "run `npm run compile && npm run sync-manifest` and commit the result");
});

test("every server setting of the Rust type is a VS Code setting", () => {
  // Independent of the generator: walk the schema's top-level properties and check each is present,
  // directly or as the prefix of flattened nested settings.
  const schema = JSON.parse(fs.readFileSync(SETTINGS_SCHEMA, "utf8"));
  const keys = Object.keys(manifest.contributes.configuration.properties);
  assert.ok(Object.keys(schema.properties).length > 0, "the settings schema has no properties");
  for (const name of Object.keys(schema.properties)) {
    const key = `gazette.${name}`;
    assert.ok(keys.includes(key) || keys.some((candidate) => candidate.startsWith(`${key}.`)), `${key} is missing from package.json`);
  }
});

test("semantic token types have scopes, and every contributed command is implemented", () => {
  const types = manifest.contributes.semanticTokenTypes.map((type: { id: string }) => type.id);
  assert.deepEqual(types, ["locality", "person", "organisation", "date", "duration"]);
  const scopes = manifest.contributes.semanticTokenScopes[0].scopes;
  assert.deepEqual(Object.keys(scopes), types);
  const contributed = manifest.contributes.commands.map((command: { command: string }) => command.command);
  assert.deepEqual(contributed, COMMANDS.map((spec) => spec.id));
  for (const entry of manifest.contributes.menus["editor/context"]) {
    assert.ok(contributed.includes(entry.command), entry.command);
  }
});

test("the extension activates on corpora and its entry point is built", () => {
  assert.deepEqual(manifest.activationEvents, ["workspaceContains:**/gazette.toml"]);
  assert.ok(fs.existsSync(path.join(EXTENSION_DIR, manifest.main)), `${manifest.main} is not built`);
});
