// Which documents the server handles: plain-text files under a folder holding gazette.toml, or every
// plain-text file when the user started the server by hand in a workspace without one.
//
// Free of the `vscode` API (document filters are plain objects) so the selectors are unit-tested.

import * as path from "path";

/** A `vscode.DocumentFilter` / LSP document filter. */
export interface DocumentFilter {
  scheme: string;
  language: string;
  pattern?: string;
}

/** The corpus roots: the directories holding a `gazette.toml`, deduplicated, nested roots kept (the
 * server resolves each document against its nearest gazette.toml). */
export function corpusRoots(configFiles: readonly string[]): string[] {
  const roots = new Set(configFiles.map((file) => path.dirname(file)));
  return [...roots].sort();
}

/** Document filters for these roots; with no root, every plain-text file on disk. Unsaved buffers are
 * included in the fallback so that "Start here" works on a scratch document too. */
export function documentSelector(roots: readonly string[]): DocumentFilter[] {
  if (roots.length === 0) {
    return [
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "plaintext" },
    ];
  }
  return roots.map((root) => ({
    scheme: "file",
    language: "plaintext",
    // Globs use forward slashes on every platform.
    pattern: `${root.split(path.sep).join("/")}/**/*`,
  }));
}

/** The arguments of `gazette serve`: the `serve` subcommand, then the user's extra arguments. */
export function serverArguments(extraArgs: unknown): string[] {
  const extra = Array.isArray(extraArgs) ? extraArgs.filter((arg): arg is string => typeof arg === "string") : [];
  return ["serve", ...extra];
}
