// The VS Code entry point: starts `gazette serve` through vscode-languageclient for the corpus's
// plain-text documents, and wires the commands and the status bar item.
//
// Everything that can be decided without VS Code (binary lookup, document selectors, command routing,
// progress display, settings) lives in the sibling modules and is unit-tested; this file is glue.

import * as fs from "fs";
import * as os from "os";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Location,
  ReferencesRequest,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import { execFile } from "child_process";
import * as path from "path";

import {
  CLIENT_COMMAND_IDS,
  COMMANDS,
  CommandSpec,
  ENTITY_LABELS,
  EXPORT_FORMATS,
  commandAvailability,
  exportCommandLine,
} from "./commands";
import { serverSettings } from "./configuration";
import { corpusRoots, documentSelector, serverArguments } from "./documents";
import { ProgressTracker, WorkDoneProgressValue } from "./progress";
import { resolveServerBinary } from "./serverBinary";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
const tracker = new ProgressTracker();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Gazette");
  statusItem = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  statusItem.name = "Gazette";
  statusItem.command = "gazette.showOutput";
  context.subscriptions.push(output, statusItem);

  for (const spec of COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(spec.id, () => runCommand(context, spec)));
  }
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      // Server settings reach the running server through didChangeConfiguration; only a different
      // binary or arguments need a restart.
      if (client !== undefined && (event.affectsConfiguration("gazette.server.path") || event.affectsConfiguration("gazette.server.extraArgs"))) {
        await startClient(context, await findCorpusRoots());
      }
    }),
  );

  const roots = await findCorpusRoots();
  if (roots.length > 0) {
    await startClient(context, roots);
  }
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

async function findCorpusRoots(): Promise<string[]> {
  const files = await vscode.workspace.findFiles("**/gazette.toml", "**/{node_modules,.git,target}/**", 64);
  return corpusRoots(files.map((uri) => uri.fsPath));
}

function resolveBinary(context: vscode.ExtensionContext) {
  const settings = vscode.workspace.getConfiguration("gazette");
  return resolveServerBinary(settings.get<string | null>("server.path"), {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    homeDir: os.homedir(),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutableFile,
  });
}

async function startClient(context: vscode.ExtensionContext, roots: string[]): Promise<void> {
  await stopClient();
  const settings = vscode.workspace.getConfiguration("gazette");
  const binary = resolveBinary(context);
  if (binary.kind === "missing") {
    output.appendLine(`${binary.message}\nLooked at:\n  ${binary.tried.join("\n  ")}`);
    tracker.setState("failed", binary.message);
    paintStatus();
    const choice = await vscode.window.showErrorMessage(binary.message, "Open Settings", "Show Log");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "gazette.server.path");
    } else if (choice === "Show Log") {
      output.show();
    }
    return;
  }
  output.appendLine(`Using ${binary.path} (from the ${binary.source}).`);

  const serverOptions: ServerOptions = {
    command: binary.path,
    args: serverArguments(settings.get("server.extraArgs")),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(roots),
    outputChannel: output,
    synchronize: { configurationSection: "gazette" },
    initializationOptions: serverSettings(settings as unknown as Record<string, unknown>),
    middleware: {
      handleWorkDoneProgress: (token, params, next) => {
        tracker.handle(token, params as WorkDoneProgressValue);
        paintStatus();
        next(token, params);
      },
    },
  };
  const created = new LanguageClient("gazette", "Gazette", serverOptions, clientOptions);
  keepServerCommandsOffOurIds(created);
  created.onDidChangeState((event) => {
    tracker.setState(event.newState === State.Running ? "running" : event.newState === State.Starting ? "starting" : "stopped");
    void vscode.commands.executeCommand("setContext", "gazette.active", event.newState === State.Running);
    paintStatus();
  });
  client = created;
  tracker.setState("starting");
  paintStatus();
  try {
    await created.start();
  } catch (error) {
    const message = `Gazette: the language server failed to start: ${error instanceof Error ? error.message : String(error)}`;
    tracker.setState("failed", message);
    paintStatus();
    void vscode.window.showErrorMessage(message);
  }
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop().catch((error) => output.appendLine(`Stopping the server: ${String(error)}`));
  }
  tracker.setState("stopped");
  paintStatus();
}

// vscode-languageclient registers a VS Code command for every command in the server's
// executeCommandProvider. A server command named like one of ours would be registered twice, which
// VS Code rejects and which would abort the client's start; our own command routes to it instead.
function keepServerCommandsOffOurIds(languageClient: LanguageClient): void {
  const feature = languageClient.getFeature(ExecuteCommandRequest.method);
  const register = feature.register.bind(feature);
  feature.register = (data) => {
    const commands = (data.registerOptions.commands ?? []).filter((command) => !CLIENT_COMMAND_IDS.has(command));
    register({ ...data, registerOptions: { ...data.registerOptions, commands } });
  };
}

function paintStatus(): void {
  const view = tracker.view();
  statusItem.text = view.text;
  statusItem.tooltip = view.tooltip;
  statusItem.backgroundColor = view.warning ? new vscode.ThemeColor("statusBarItem.warningBackground") : undefined;
  statusItem.show();
}

async function runCommand(context: vscode.ExtensionContext, spec: CommandSpec): Promise<void> {
  switch (spec.id) {
    case "gazette.start":
    case "gazette.restart":
      await startClient(context, await findCorpusRoots());
      return;
    case "gazette.showOutput":
      output.show();
      return;
  }
  const capabilities = client?.initializeResult?.capabilities as Record<string, unknown> | undefined;
  const availability = commandAvailability(spec, client?.isRunning() ? capabilities : undefined);
  if (availability.kind === "unsupported") {
    void vscode.window.showWarningMessage(availability.message);
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (availability.kind === "cli") {
    await exportWithCli(context);
    return;
  }
  const running = client as LanguageClient;
  if (availability.method === ReferencesRequest.method) {
    await showLocalityMentions(running, editor);
    return;
  }
  // One command may become several server calls (accepting suggestions of every kind).
  const calls = await serverCommandArguments(running, spec, editor);
  if (calls === undefined) {
    return;
  }
  for (const args of calls) {
    try {
      const result = await running.sendRequest(ExecuteCommandRequest.type, { command: availability.serverCommand as string, arguments: args });
      if (typeof result === "string" && result !== "") {
        void vscode.window.showInformationMessage(result);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Gazette: "${spec.title}" failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
  }
}

async function pickLabel(placeHolder: string, allowAll: boolean): Promise<string[] | undefined> {
  const items = ENTITY_LABELS.map((entry) => ({ label: entry.title, description: entry.label, labels: [entry.label] }));
  const all = { label: "All kinds", description: "LOC, PER, ORG, DATE, DURATION", labels: ENTITY_LABELS.map((entry) => entry.label) };
  const picked = await vscode.window.showQuickPick(allowAll ? [all, ...items] : items, { placeHolder });
  return picked?.labels;
}

/** The argument lists of the server calls for a command; undefined when the user cancelled. */
async function serverCommandArguments(
  running: LanguageClient,
  spec: CommandSpec,
  editor: vscode.TextEditor | undefined,
): Promise<unknown[][] | undefined> {
  const needsEditor = spec.id === "gazette.acceptAllSuggestions" || spec.id === "gazette.annotateSelection";
  if (needsEditor && editor === undefined) {
    void vscode.window.showWarningMessage("Gazette: open a corpus document first.");
    return undefined;
  }
  switch (spec.id) {
    case "gazette.exportAnnotations": {
      const format = await vscode.window.showQuickPick([...EXPORT_FORMATS], { placeHolder: "Export format" });
      return format === undefined ? undefined : [[{ format }]];
    }
    case "gazette.acceptAllSuggestions": {
      const labels = await pickLabel("Accept the suggestions of which kind?", true);
      const uri = editor!.document.uri.toString();
      return labels?.map((label) => [{ uri, label }]);
    }
    case "gazette.annotateSelection": {
      if (editor!.selection.isEmpty) {
        void vscode.window.showWarningMessage("Gazette: select the span to annotate first.");
        return undefined;
      }
      const labels = await pickLabel("Annotate the selection as", false);
      const range = running.code2ProtocolConverter.asRange(editor!.selection);
      return labels?.map((label) => [{ uri: editor!.document.uri.toString(), range, label, status: "accepted" }]);
    }
    default:
      return [[]];
  }
}

/** "Export annotations" through the CLI, for servers without an export command. */
async function exportWithCli(context: vscode.ExtensionContext): Promise<void> {
  const binary = resolveBinary(context);
  if (binary.kind === "missing") {
    void vscode.window.showErrorMessage(binary.message);
    return;
  }
  const roots = await findCorpusRoots();
  const root = roots[0] ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (root === undefined) {
    void vscode.window.showWarningMessage("Gazette: open a corpus folder (one holding gazette.toml) first.");
    return;
  }
  const format = await vscode.window.showQuickPick([...EXPORT_FORMATS], { placeHolder: "Export format" });
  if (format === undefined) {
    return;
  }
  const out = path.join(root, "export", format);
  const args = exportCommandLine(root, format, out);
  output.appendLine(`Running ${binary.path} ${args.join(" ")}`);
  execFile(binary.path, args, { cwd: root }, (error, _stdout, stderr) => {
    if (error !== null) {
      output.appendLine(stderr);
      void vscode.window.showErrorMessage(`Gazette: export failed: ${stderr.trim() || error.message}`);
    } else {
      void vscode.window.showInformationMessage(`Gazette: annotations exported as ${format} to ${out}`);
    }
  });
}

async function showLocalityMentions(running: LanguageClient, editor: vscode.TextEditor | undefined): Promise<void> {
  if (editor === undefined) {
    void vscode.window.showWarningMessage("Gazette: put the cursor on a locality in a corpus document.");
    return;
  }
  const position = editor.selection.active;
  const result = (await running.sendRequest(ReferencesRequest.type, {
    textDocument: { uri: editor.document.uri.toString() },
    position: running.code2ProtocolConverter.asPosition(position),
    context: { includeDeclaration: true },
  })) as Location[] | null;
  const locations = await running.protocol2CodeConverter.asReferences(result ?? undefined);
  if (locations === undefined || locations.length === 0) {
    void vscode.window.showInformationMessage("Gazette: no locality mentions found at the cursor.");
    return;
  }
  await vscode.commands.executeCommand("editor.action.showReferences", editor.document.uri, position, locations);
}

function isExecutableFile(candidate: string): boolean {
  try {
    const stat = fs.statSync(candidate);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform !== "win32") {
      fs.accessSync(candidate, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}
