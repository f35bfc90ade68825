// Contract between the extension and the real `gazette serve`, spoken over stdio the way VS Code's
// language client speaks it: UTF-16 positions only, the generated settings' defaults as
// initializationOptions, semantic token types the manifest colours, commands the client routes,
// and duplicate diagnostics on the sample corpus.
//
// The binary comes from $GAZETTE_SERVER or the repository's target/debug/gazette. CI sets
// GAZETTE_REQUIRE_SERVER=1 so that a missing binary fails instead of skipping.

import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

import { COMMANDS, commandAvailability } from "../src/commands";
import { CLIENT_SETTINGS } from "../src/configuration";
import { uncolouredLegendTypes } from "../src/semanticTokens";
import { EXTENSION_DIR } from "../scripts/syncManifest";

const REPO = path.resolve(EXTENSION_DIR, "..", "..");
const SERVER = process.env.GAZETTE_SERVER ?? path.join(REPO, "target", "debug", "gazette");
const REQUIRED = process.env.GAZETTE_REQUIRE_SERVER === "1";
const available = fs.existsSync(SERVER);
const skip = available ? false : `no server binary at ${SERVER} (build it with cargo build -p gazette)`;
if (!available && REQUIRED) {
  throw new Error(`GAZETTE_REQUIRE_SERVER=1 but there is no server binary at ${SERVER}`);
}

const DUPLICATED = "001_a9298164ea9b0dd7.txt";

interface Published {
  uri: string;
  diagnostics: { range: { start: { line: number } }; code?: string | number; source?: string; message: string }[];
}

let server: ChildProcess;
let connection: MessageConnection;
let capabilities: Record<string, unknown>;
const published: Published[] = [];
const errorsShown: string[] = [];
let workspace: string;
let serverStderr = "";

/** The `gazette` section a fresh VS Code sends: every generated setting at its default. */
function defaultServerSettings(): Record<string, unknown> {
  const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));
  const section: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries<{ default?: unknown }>(manifest.contributes.configuration.properties)) {
    if (key in CLIENT_SETTINGS) {
      continue;
    }
    const parts = key.split(".").slice(1);
    let node = section;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = schema.default;
  }
  return section;
}

before(async () => {
  if (!available) {
    return;
  }
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-vscode-"));
  fs.cpSync(path.join(REPO, "examples", "sample-corpus"), workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, "gazette.toml"), "");
  server = spawn(SERVER, ["serve", "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  server.stderr!.on("data", (chunk: Buffer) => {
    // Keep the tail only: the log can be long, the end says why the server stopped.
    serverStderr = (serverStderr + chunk.toString("utf8")).slice(-4000);
  });
  connection = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  connection.onNotification("textDocument/publishDiagnostics", (params: Published) => published.push(params));
  connection.onNotification("window/showMessage", (params: { type: number; message: string }) => {
    if (params.type === 1) errorsShown.push(params.message);
  });
  connection.onNotification("window/logMessage", (params: { type: number; message: string }) => {
    if (params.type === 1) errorsShown.push(params.message);
  });
  connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === "gazette" || item.section === undefined ? defaultServerSettings() : null)),
  );
  connection.onRequest("window/workDoneProgress/create", () => null);
  connection.onRequest("client/registerCapability", () => null);
  connection.onRequest("workspace/diagnostic/refresh", () => null);
  connection.onRequest("workspace/semanticTokens/refresh", () => null);
  connection.onRequest("workspace/inlayHint/refresh", () => null);
  connection.listen();
  const rootUri = pathToFileURL(workspace).toString();
  const result = (await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: "corpus" }],
    initializationOptions: defaultServerSettings(),
    // What VS Code 1.82+ declares for the features Gazette uses (it offers only UTF-16).
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        diagnostics: { refreshSupport: true },
        semanticTokens: { refreshSupport: true },
      },
      window: { workDoneProgress: true },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: true },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        // vscode-languageclient 9 supports pull diagnostics, so the server may choose them.
        diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
        hover: { contentFormat: ["markdown", "plaintext"] },
        definition: { linkSupport: true },
        references: {},
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "source"] } }, resolveSupport: { properties: ["edit"] } },
        semanticTokens: {
          requests: { full: { delta: true }, range: true },
          tokenTypes: [],
          tokenModifiers: [],
          formats: ["relative"],
          multilineTokenSupport: false,
          overlappingTokenSupport: false,
        },
      },
    },
  }).catch((error: Error) => {
    throw new Error(`initialize failed: ${error.message}; server stderr:\n${serverStderr}`);
  })) as { capabilities: Record<string, unknown> };
  capabilities = result.capabilities;
  await connection.sendNotification("initialized", {});
  await connection.sendNotification("workspace/didChangeConfiguration", { settings: { gazette: defaultServerSettings() } });
});

after(async () => {
  if (!available) {
    return;
  }
  await connection.sendRequest("shutdown").catch(() => undefined);
  await connection.sendNotification("exit").catch(() => undefined);
  connection.dispose();
  server.kill();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test("the server speaks UTF-16 to a client that offers only UTF-16", { skip }, () => {
  assert.ok(capabilities.positionEncoding === undefined || capabilities.positionEncoding === "utf-16", String(capabilities.positionEncoding));
});

test("every semantic token type in the server legend is coloured by the manifest", { skip }, (t) => {
  const provider = capabilities.semanticTokensProvider as { legend: { tokenTypes: string[] } } | undefined;
  if (provider === undefined) {
    t.diagnostic("pending: the server does not provide semantic tokens yet");
    return;
  }
  assert.deepEqual(uncolouredLegendTypes(provider.legend.tokenTypes), []);
});

test("each client command routes to the server or says it is unsupported", { skip }, (t) => {
  for (const spec of COMMANDS) {
    const availability = commandAvailability(spec, capabilities);
    t.diagnostic(`${spec.id}: ${availability.kind === "available" ? "supported" : "not supported by this server"}`);
  }
  const provider = capabilities.executeCommandProvider as { commands?: string[] } | undefined;
  for (const command of provider?.commands ?? []) {
    assert.match(command, /^gazette[./]/, "server commands are namespaced");
  }
});

test("the generated default settings are accepted without errors", { skip }, async () => {
  // Give the server time to parse the didChangeConfiguration sent in before().
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(errorsShown, []);
});

test("a duplicated block in the sample corpus is reported on its line", { skip }, async () => {
  const file = path.join(workspace, DUPLICATED);
  const uri = pathToFileURL(file).toString();
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "plaintext", version: 1, text: fs.readFileSync(file, "utf8") },
  });
  let lines: number[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (capabilities.diagnosticProvider !== undefined) {
      const report = (await connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as {
        items?: Published["diagnostics"];
      };
      lines = (report.items ?? []).filter((item) => /^GZ00[1-3]$/.test(String(item.code))).map((item) => item.range.start.line);
    } else {
      const latest = published.filter((entry) => entry.uri === uri).pop();
      lines = (latest?.diagnostics ?? []).filter((item) => /^GZ00[1-3]$/.test(String(item.code))).map((item) => item.range.start.line);
    }
    if (lines.length > 0) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Lines 10-14 (1-based) repeat lines 5-9: the repeated copy starts on line index 9.
  assert.ok(lines.includes(9), `GZ diagnostics on lines ${JSON.stringify(lines)}`);
});
