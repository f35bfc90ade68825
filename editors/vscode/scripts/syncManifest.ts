// `npm run sync-manifest` rewrites the generated parts of package.json; `npm run check-manifest` (and
// the manifest test) fail when they are stale.
//
// Generated parts: `contributes.configuration` from schema/editor-settings.schema.json (the server's
// editor settings, generated from the Rust type by tests/editor_settings_schema.rs), the commands, the
// semantic token types and scopes, and a copy of schema/config.schema.json that gives gazette.toml
// completion and validation through `contributes.tomlValidation`.

import * as fs from "fs";
import * as path from "path";

import { COMMANDS } from "../src/commands";
import { configurationContribution } from "../src/configuration";
import { semanticTokenScopesContribution, semanticTokenTypesContribution } from "../src/semanticTokens";

/** The extension's directory (this file runs from out/scripts/). */
export const EXTENSION_DIR = path.resolve(__dirname, "..", "..");
/** The repository's schema directory. */
export const SCHEMA_DIR = path.resolve(EXTENSION_DIR, "..", "..", "schema");
export const SETTINGS_SCHEMA = path.join(SCHEMA_DIR, "editor-settings.schema.json");
export const CONFIG_SCHEMA = path.join(SCHEMA_DIR, "config.schema.json");
/** Where the packaged copy of the gazette.toml schema lives inside the extension. */
export const BUNDLED_CONFIG_SCHEMA = "schemas/config.schema.json";

/** One generated file: its path relative to the extension and its exact expected text. */
export interface GeneratedFile {
  relativePath: string;
  text: string;
}

/** Computes every generated file from the schemas and the source tables. */
export function generatedFiles(): GeneratedFile[] {
  const manifestPath = path.join(EXTENSION_DIR, "package.json");
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  const settingsSchema = readJson(SETTINGS_SCHEMA);
  const files: GeneratedFile[] = [];

  manifest.contributes.commands = COMMANDS.map((command) => ({
    command: command.id,
    title: command.title,
    category: "Gazette",
  }));
  manifest.contributes.semanticTokenTypes = semanticTokenTypesContribution();
  manifest.contributes.semanticTokenScopes = semanticTokenScopesContribution();
  manifest.contributes.configuration = configurationContribution(settingsSchema);
  // The config schema is optional: without it the extension still works, only gazette.toml loses
  // completion. It is copied rather than referenced because a .vsix cannot point outside itself.
  if (fs.existsSync(CONFIG_SCHEMA)) {
    manifest.contributes.tomlValidation = [{ fileMatch: "gazette.toml", url: `./${BUNDLED_CONFIG_SCHEMA}` }];
    files.push({ relativePath: BUNDLED_CONFIG_SCHEMA, text: fs.readFileSync(CONFIG_SCHEMA, "utf8") });
  } else {
    delete manifest.contributes.tomlValidation;
  }
  files.unshift({ relativePath: "package.json", text: `${JSON.stringify(manifest, null, 2)}\n` });
  return files;
}

function readJson(file: string): Record<string, never> {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`cargo test -p gazette-tests --test editor_settings_schema\` with UPDATE_SCHEMAS=1`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The generated files whose committed text differs from the expected text. */
export function staleFiles(): string[] {
  return generatedFiles()
    .filter((file) => {
      const absolute = path.join(EXTENSION_DIR, file.relativePath);
      return !fs.existsSync(absolute) || fs.readFileSync(absolute, "utf8") !== file.text;
    })
    .map((file) => file.relativePath);
}

function main(argv: string[]): number {
  if (argv.includes("--write")) {
    for (const file of generatedFiles()) {
      const absolute = path.join(EXTENSION_DIR, file.relativePath);
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      fs.writeFileSync(absolute, file.text);
    }
    return 0;
  }
  const stale = staleFiles();
  if (stale.length > 0) {
    console.error(`stale generated files: ${stale.join(", ")}; run \`npm run compile && npm run sync-manifest\``);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
