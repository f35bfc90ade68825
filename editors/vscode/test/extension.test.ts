// The compiled extension loaded in node against a fake `vscode` module: activation registers every
// contributed command, and the paths that stop before a server runs give the user clear messages.

import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { COMMANDS } from "../src/commands";
import { fake, installFakeVscode, resetFake } from "./fakeVscode";

installFakeVscode();
// The esbuild bundle (what the .vsix ships), loaded after the fake is installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require("../../dist/extension.js") as typeof import("../src/extension");

function context() {
  return { subscriptions: [] as { dispose(): void }[], extensionPath: path.join(os.tmpdir(), "no-such-extension") };
}

async function withoutServerOnPath<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = path.join(os.tmpdir(), "empty-path-for-gazette-tests");
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}

test("outside a corpus: commands are registered and no server is started", async () => {
  resetFake();
  const ctx = context();
  await extension.activate(ctx as never);
  assert.deepEqual([...fake.registered.keys()], COMMANDS.map((spec) => spec.id));
  assert.deepEqual(fake.errors, []);
  await fake.registered.get("gazette.reindex")?.();
  assert.match(fake.warnings[0] ?? "", /"Re-index the corpus" needs the language server, which is not running/);
  await fake.registered.get("gazette.showLocalityMentions")?.();
  assert.match(fake.warnings[1] ?? "", /"Show the mentions of this locality" needs the language server/);
  ctx.subscriptions.forEach((item) => item.dispose());
  await extension.deactivate();
});

test("in a corpus without any server binary: one clear error and a failed status", async () => {
  resetFake();
  fake.foundFiles = ["/nonexistent-workspace/corpus/gazette.toml"];
  const ctx = context();
  await withoutServerOnPath(() => extension.activate(ctx as never));
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0], /no `gazette` server binary found/);
  assert.match(fake.errors[0], /cargo install --path server\/cli/);
  assert.equal(fake.statusItem.text, "$(error) Gazette");
  assert.ok(fake.statusItem.shown);
  ctx.subscriptions.forEach((item) => item.dispose());
  await extension.deactivate();
});

test("'Start here' with a wrong gazette.server.path names the setting", async () => {
  resetFake();
  fake.settings = { server: { path: "/nonexistent/gazette" } };
  const ctx = context();
  await extension.activate(ctx as never);
  assert.deepEqual(fake.errors, []);
  await fake.registered.get("gazette.start")?.();
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0], /`gazette\.server\.path` \(\/nonexistent\/gazette\) does not exist/);
  ctx.subscriptions.forEach((item) => item.dispose());
  await extension.deactivate();
});

test("export without a server runs the CLI, and says so when no binary exists", async () => {
  resetFake();
  fake.foundFiles = ["/nonexistent-workspace/corpus/gazette.toml"];
  const ctx = context();
  await withoutServerOnPath(async () => {
    await extension.activate(ctx as never);
    fake.errors.length = 0;
    await fake.registered.get("gazette.exportAnnotations")?.();
  });
  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0], /no `gazette` server binary found/);
  ctx.subscriptions.forEach((item) => item.dispose());
  await extension.deactivate();
});
