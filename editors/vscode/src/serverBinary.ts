// Finds the `gazette` binary: the `gazette.server.path` setting, then `PATH`, then the extension's bundle.
//
// This module has no dependency on the `vscode` API so that the lookup order and the message shown
// when nothing is found are unit-tested with node's test runner.

import * as path from "path";

/** Where a server binary came from, in lookup order. */
export type BinarySource = "setting" | "path" | "bundled";

/** The outcome of a lookup: a binary to run, or a sentence telling the user what to do. */
export type BinaryResolution =
  | { kind: "found"; path: string; source: BinarySource }
  | { kind: "missing"; message: string; tried: string[] };

/** The parts of the environment the lookup reads, injected so tests can fake a machine. */
export interface BinaryLookupEnvironment {
  platform: NodeJS.Platform;
  arch: string;
  env: Record<string, string | undefined>;
  homeDir: string;
  extensionPath: string;
  /** The first workspace folder, used to resolve relative setting values and `${workspaceFolder}`. */
  workspaceFolder: string | undefined;
  /** Whether a regular file exists at this path and may be executed. */
  isExecutableFile(candidate: string): boolean;
}

/** The instructions appended to every "not found" message: how to get a server in under a minute. */
export const INSTALL_HINT =
  "Install it with `cargo install --path server/cli` from a Gazette checkout (or put a release binary on your PATH), " +
  "or set `gazette.server.path` to the binary.";

/** Resolves the server binary in the documented order. A configured path that does not exist is an
 * error rather than a silent fall-back: the user asked for that binary, so running another would hide
 * their mistake. */
export function resolveServerBinary(
  settingValue: string | null | undefined,
  lookup: BinaryLookupEnvironment,
): BinaryResolution {
  const pathApi = lookup.platform === "win32" ? path.win32 : path.posix;
  const configured = (settingValue ?? "").trim();
  if (configured !== "") {
    const expanded = expandSettingPath(configured, lookup);
    if (lookup.isExecutableFile(expanded)) {
      return { kind: "found", path: expanded, source: "setting" };
    }
    return {
      kind: "missing",
      tried: [expanded],
      message:
        `Gazette: the server binary set in \`gazette.server.path\` (${expanded}) does not exist or is not executable. ` +
        "Fix the setting or clear it to use `gazette` from your PATH.",
    };
  }

  const tried: string[] = [];
  for (const directory of searchPathDirectories(lookup)) {
    for (const name of executableNames(lookup)) {
      const candidate = pathApi.join(directory, name);
      tried.push(candidate);
      if (lookup.isExecutableFile(candidate)) {
        return { kind: "found", path: candidate, source: "path" };
      }
    }
  }

  for (const candidate of bundledCandidates(lookup)) {
    tried.push(candidate);
    if (lookup.isExecutableFile(candidate)) {
      return { kind: "found", path: candidate, source: "bundled" };
    }
  }

  return {
    kind: "missing",
    tried,
    message:
      "Gazette: no `gazette` server binary found (checked the `gazette.server.path` setting, your PATH and the " +
      `extension's bundled binaries). ${INSTALL_HINT}`,
  };
}

/** Expands `~` and `${workspaceFolder}` and makes a relative path relative to the workspace folder. */
export function expandSettingPath(value: string, lookup: BinaryLookupEnvironment): string {
  const pathApi = lookup.platform === "win32" ? path.win32 : path.posix;
  let expanded = value;
  if (lookup.workspaceFolder !== undefined) {
    expanded = expanded.split("${workspaceFolder}").join(lookup.workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/") || expanded.startsWith("~\\")) {
    expanded = pathApi.join(lookup.homeDir, expanded.slice(1));
  }
  if (!pathApi.isAbsolute(expanded) && lookup.workspaceFolder !== undefined) {
    expanded = pathApi.join(lookup.workspaceFolder, expanded);
  }
  return expanded;
}

function searchPathDirectories(lookup: BinaryLookupEnvironment): string[] {
  // Windows spells the variable `Path` more often than `PATH`, and environment lookups there are
  // case-insensitive; node gives us a plain object, so look for any casing.
  const key = Object.keys(lookup.env).find((name) => name.toUpperCase() === "PATH");
  const value = key === undefined ? undefined : lookup.env[key];
  if (value === undefined) {
    return [];
  }
  const delimiter = lookup.platform === "win32" ? ";" : ":";
  return value.split(delimiter).filter((directory) => directory !== "");
}

function executableNames(lookup: BinaryLookupEnvironment): string[] {
  if (lookup.platform !== "win32") {
    return ["gazette"];
  }
  const extensions = (lookup.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").filter((ext) => ext !== "");
  return extensions.map((ext) => `gazette${ext.toLowerCase()}`);
}

/** The bundled binary: `server/<platform>-<arch>/gazette` for a universal package holding several
 * binaries, then `server/gazette` for a platform-specific package (`vsce package --target`). */
export function bundledCandidates(lookup: BinaryLookupEnvironment): string[] {
  const pathApi = lookup.platform === "win32" ? path.win32 : path.posix;
  const name = lookup.platform === "win32" ? "gazette.exe" : "gazette";
  return [
    pathApi.join(lookup.extensionPath, "server", `${lookup.platform}-${lookup.arch}`, name),
    pathApi.join(lookup.extensionPath, "server", name),
  ];
}
