// The extension's commands and how each maps onto the server: a `workspace/executeCommand` command
// advertised in `executeCommandProvider`, or a standard LSP request guarded by a capability.
//
// Free of the `vscode` API so the mapping and the "not supported" messages are unit-tested.

/** How a client command reaches the server. */
export type CommandRoute =
  /** `workspace/executeCommand` with the first of `serverCommands` the server advertises; with
   * `cliFallback`, a server without the command (or no server) runs the `gazette` CLI instead. */
  | { kind: "executeCommand"; serverCommands: string[]; cliFallback?: boolean }
  /** A standard request; `capability` is the `ServerCapabilities` field that must be truthy. */
  | { kind: "request"; method: string; capability: string }
  /** Handled by the extension alone (start, restart, show the log). */
  | { kind: "client" };

export interface CommandSpec {
  /** The VS Code command id, as contributed in package.json. */
  id: string;
  /** The title shown in the command palette (without the "Gazette:" category). */
  title: string;
  route: CommandRoute;
}

// Server command names are not fixed by the protocol. The first candidates are the names Gazette's
// server uses (the review commands live under `gazette.review.*`); the others are accepted so that
// a server spelling it `gazette/reindex` or plainly `reindex` still works without a client release.
function serverNames(action: string, ...preferred: string[]): string[] {
  return [...preferred, `gazette.${action}`, `gazette.server.${action}`, `gazette/${action}`, action];
}

/** The entity labels, as the server and the annotation files spell them. */
export const ENTITY_LABELS: readonly { label: string; title: string }[] = [
  { label: "LOC", title: "Localities" },
  { label: "PER", title: "Persons" },
  { label: "ORG", title: "Organisations" },
  { label: "DATE", title: "Dates" },
  { label: "DURATION", title: "Durations" },
];

/** The formats of `gazette export`. */
export const EXPORT_FORMATS: readonly string[] = ["jsonl", "brat", "conll", "w3c", "tei"];

/** The command line of the CLI fallback of "Export annotations". */
export function exportCommandLine(root: string, format: string, outDirectory: string): string[] {
  return ["export", root, "--format", format, "--out", outDirectory];
}

/** Every command the extension contributes, in palette order. */
export const COMMANDS: readonly CommandSpec[] = [
  { id: "gazette.start", title: "Start the language server here", route: { kind: "client" } },
  { id: "gazette.restart", title: "Restart the language server", route: { kind: "client" } },
  {
    id: "gazette.reindex",
    title: "Re-index the corpus",
    route: { kind: "executeCommand", serverCommands: serverNames("reindex") },
  },
  {
    id: "gazette.exportAnnotations",
    title: "Export annotations",
    route: { kind: "executeCommand", serverCommands: serverNames("exportAnnotations", "gazette.annotations.export"), cliFallback: true },
  },
  {
    id: "gazette.acceptAllSuggestions",
    title: "Accept all suggestions in this document",
    route: { kind: "executeCommand", serverCommands: serverNames("acceptAllSuggestions", "gazette.review.acceptAll") },
  },
  {
    id: "gazette.annotateSelection",
    title: "Annotate the selection",
    route: { kind: "executeCommand", serverCommands: serverNames("annotateSelection", "gazette.review.decide") },
  },
  {
    id: "gazette.showLocalityMentions",
    title: "Show the mentions of this locality",
    route: { kind: "request", method: "textDocument/references", capability: "referencesProvider" },
  },
  { id: "gazette.showOutput", title: "Show the server log", route: { kind: "client" } },
];

/** The ids of every contributed command: server commands with these names are not auto-registered
 * by the language client (VS Code refuses a second registration of the same id). */
export const CLIENT_COMMAND_IDS: ReadonlySet<string> = new Set(COMMANDS.map((command) => command.id));

/** The answer to "can the running server do this command?". */
export type CommandAvailability =
  | { kind: "available"; serverCommand?: string; method?: string }
  /** Run the `gazette` CLI (the server lacks the command or is not running). */
  | { kind: "cli" }
  | { kind: "unsupported"; message: string };

/** Decides how to run `spec` against a server with these capabilities (the `capabilities` field of
 * the initialize result, or undefined when no server runs). */
export function commandAvailability(
  spec: CommandSpec,
  capabilities: Record<string, unknown> | undefined,
): CommandAvailability {
  if (spec.route.kind === "client") {
    return { kind: "available" };
  }
  if (capabilities === undefined && spec.route.kind === "executeCommand" && spec.route.cliFallback) {
    return { kind: "cli" };
  }
  if (capabilities === undefined) {
    return {
      kind: "unsupported",
      message: `Gazette: "${spec.title}" needs the language server, which is not running. Run "Gazette: Start the language server here" first.`,
    };
  }
  if (spec.route.kind === "request") {
    const value = capabilities[spec.route.capability];
    if (value === undefined || value === false || value === null) {
      return {
        kind: "unsupported",
        message: `Gazette: "${spec.title}" is not supported by this version of the Gazette server (it does not provide ${spec.route.method}).`,
      };
    }
    return { kind: "available", method: spec.route.method };
  }
  const provider = capabilities.executeCommandProvider as { commands?: unknown } | undefined;
  const advertised = Array.isArray(provider?.commands) ? (provider.commands as unknown[]) : [];
  const serverCommand = spec.route.serverCommands.find((name) => advertised.includes(name));
  if (serverCommand === undefined && spec.route.cliFallback) {
    return { kind: "cli" };
  }
  if (serverCommand === undefined) {
    return {
      kind: "unsupported",
      message:
        `Gazette: "${spec.title}" is not supported by this version of the Gazette server ` +
        `(it does not advertise the \`${spec.route.serverCommands[0]}\` command). Update the server binary.`,
    };
  }
  return { kind: "available", serverCommand };
}
