// A stand-in for the `vscode` module, enough to load the compiled extension in node and run its
// activation paths that stop before a language client starts. Calls are recorded for assertions;
// any API the fake does not model resolves to an inert proxy so that loading never fails on it.

import Module = require("module");

export interface FakeVscode {
  registered: Map<string, (...args: unknown[]) => unknown>;
  errors: string[];
  warnings: string[];
  infos: string[];
  executed: unknown[][];
  statusItem: { text: string; tooltip: string; shown: boolean };
  /** Paths returned by workspace.findFiles. */
  foundFiles: string[];
  /** Values of workspace.getConfiguration("gazette"). */
  settings: Record<string, unknown>;
}

export const fake: FakeVscode = {
  registered: new Map(),
  errors: [],
  warnings: [],
  infos: [],
  executed: [],
  statusItem: { text: "", tooltip: "", shown: false },
  foundFiles: [],
  settings: {},
};

export function resetFake(): void {
  fake.registered.clear();
  fake.errors.length = 0;
  fake.warnings.length = 0;
  fake.infos.length = 0;
  fake.executed.length = 0;
  fake.statusItem = { text: "", tooltip: "", shown: false };
  fake.foundFiles = [];
  fake.settings = {};
}

function inert(): unknown {
  const target = function () {} as unknown as object;
  return new Proxy(target, {
    get: (_target, property) => (property === "then" ? undefined : inert()),
    apply: () => inert(),
    construct: () => inert() as object,
  });
}

const disposable = { dispose() {} };

const api: Record<string, unknown> = {
  StatusBarAlignment: { Left: 1, Right: 2 },
  ThemeColor: class {
    constructor(public id: string) {}
  },
  Uri: { file: (fsPath: string) => ({ fsPath, toString: () => `file://${fsPath}` }) },
  window: {
    createOutputChannel: () => ({ appendLine() {}, append() {}, show() {}, dispose() {} }),
    createStatusBarItem: () => {
      const item = {
        name: "",
        command: "",
        backgroundColor: undefined,
        set text(value: string) {
          fake.statusItem.text = value;
        },
        set tooltip(value: string) {
          fake.statusItem.tooltip = value;
        },
        show() {
          fake.statusItem.shown = true;
        },
        dispose() {},
      };
      return item;
    },
    showErrorMessage: async (message: string) => {
      fake.errors.push(message);
      return undefined;
    },
    showWarningMessage: async (message: string) => {
      fake.warnings.push(message);
      return undefined;
    },
    showInformationMessage: async (message: string) => {
      fake.infos.push(message);
      return undefined;
    },
    activeTextEditor: undefined,
  },
  commands: {
    registerCommand: (id: string, callback: (...args: unknown[]) => unknown) => {
      if (fake.registered.has(id)) {
        throw new Error(`command '${id}' already exists`);
      }
      fake.registered.set(id, callback);
      return { dispose: () => fake.registered.delete(id) };
    },
    executeCommand: async (...args: unknown[]) => {
      fake.executed.push(args);
      return undefined;
    },
  },
  workspace: {
    workspaceFolders: [{ uri: { fsPath: "/nonexistent-workspace" }, name: "w", index: 0 }],
    findFiles: async () => fake.foundFiles.map((fsPath) => ({ fsPath })),
    getConfiguration: () => ({
      ...fake.settings,
      get: (key: string) => {
        // Dotted lookup in the nested section, the way VS Code answers.
        let node: unknown = fake.settings;
        for (const part of key.split(".")) {
          node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
        }
        return node;
      },
    }),
    onDidChangeConfiguration: () => disposable,
  },
};

const vscodeModule = new Proxy(api, {
  get: (target, property: string) => (property in target ? target[property] : inert()),
});

/** Makes `require("vscode")` return the fake. Idempotent. */
export function installFakeVscode(): void {
  const moduleApi = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const original = moduleApi._resolveFilename;
  if ((original as { gazetteFake?: boolean }).gazetteFake) {
    return;
  }
  const patched = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === "vscode" ? "vscode" : original.call(this, request, ...rest);
  } as typeof original & { gazetteFake?: boolean };
  patched.gazetteFake = true;
  moduleApi._resolveFilename = patched;
  require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscodeModule } as unknown as NodeJS.Module;
}
