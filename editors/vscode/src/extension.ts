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

import { CLIENT_COMMAND_IDS, COMMANDS, CommandSpec, commandAvailability } from "./commands";
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

async function startClient(context: vscode.ExtensionContext, roots: string[]): Promise<void> {
  await stopClient();
  const settings = vscode.workspace.getConfiguration("gazette");
  const binary = resolveServerBinary(settings.get<string | null>("server.path"), {
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    homeDir: os.homedir(),
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutableFile,
  });
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
  const running = client as LanguageClient;
  const editor = vscode.window.activeTextEditor;
  if (availability.method === ReferencesRequest.method) {
    await showLocalityMentions(running, editor);
    return;
  }
  const args = await serverCommandArguments(spec, editor);
  if (args === undefined) {
    return;
  }
  try {
    const result = await running.sendRequest(ExecuteCommandRequest.type, { command: availability.serverCommand as string, arguments: args });
    if (typeof result === "string" && result !== "") {
      void vscode.window.showInformationMessage(result);
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Gazette: "${spec.title}" failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The arguments of each server command; undefined when the user cancelled a prompt. */
async function serverCommandArguments(spec: CommandSpec, editor: vscode.TextEditor | undefined): Promise<unknown[] | undefined> {
  switch (spec.id) {
    case "gazette.exportAnnotations": {
      const format = await vscode.window.showQuickPick(["jsonl", "brat", "conll", "w3c"], { placeHolder: "Export format" });
      return format === undefined ? undefined : [{ format }];
    }
    case "gazette.acceptAllSuggestions":
      if (editor === undefined) {
        void vscode.window.showWarningMessage("Gazette: open a corpus document first.");
        return undefined;
      }
      return [{ uri: editor.document.uri.toString() }];
    default:
      return [];
  }
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
