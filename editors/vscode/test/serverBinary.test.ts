// Unit tests of the server binary lookup: setting, then PATH, then the bundle, and the messages.

import * as assert from "node:assert/strict";
import { test } from "node:test";

import { BinaryLookupEnvironment, INSTALL_HINT, resolveServerBinary } from "../src/serverBinary";

function machine(files: string[], overrides: Partial<BinaryLookupEnvironment> = {}): BinaryLookupEnvironment {
  const existing = new Set(files);
  return {
    platform: "linux",
    arch: "x64",
    env: { PATH: "/usr/local/bin:/usr/bin" },
    homeDir: "/home/ana",
    extensionPath: "/ext",
    workspaceFolder: "/corpus",
    isExecutableFile: (candidate) => existing.has(candidate),
    ...overrides,
  };
}

test("the setting wins over PATH and the bundle", () => {
  const lookup = machine(["/opt/gazette", "/usr/bin/gazette", "/ext/server/gazette"]);
  assert.deepEqual(resolveServerBinary("/opt/gazette", lookup), { kind: "found", path: "/opt/gazette", source: "setting" });
});

test("a configured path that does not exist is an error, not a silent fall-back", () => {
  const result = resolveServerBinary("/opt/missing", machine(["/usr/bin/gazette"]));
  assert.equal(result.kind, "missing");
  assert.match(result.kind === "missing" ? result.message : "", /gazette\.server\.path.*\/opt\/missing.*does not exist/);
});

test("setting values expand ~, ${workspaceFolder} and relative paths", () => {
  const files = ["/home/ana/bin/gazette", "/corpus/tools/gazette", "/corpus/target/debug/gazette"];
  assert.equal(resolveServerBinary("~/bin/gazette", machine(files)).kind, "found");
  const fromFolder = resolveServerBinary("${workspaceFolder}/tools/gazette", machine(files));
  assert.deepEqual(fromFolder, { kind: "found", path: "/corpus/tools/gazette", source: "setting" });
  const relative = resolveServerBinary("target/debug/gazette", machine(files));
  assert.deepEqual(relative, { kind: "found", path: "/corpus/target/debug/gazette", source: "setting" });
});

test("blank settings are ignored and PATH is searched in order", () => {
  const lookup = machine(["/usr/bin/gazette", "/usr/local/bin/gazette"]);
  assert.deepEqual(resolveServerBinary("  ", lookup), { kind: "found", path: "/usr/local/bin/gazette", source: "path" });
  assert.deepEqual(resolveServerBinary(null, machine(["/usr/bin/gazette"])), { kind: "found", path: "/usr/bin/gazette", source: "path" });
});

test("the bundled binary is the last resort, platform directory first", () => {
  const both = machine(["/ext/server/linux-x64/gazette", "/ext/server/gazette"]);
  assert.deepEqual(resolveServerBinary(undefined, both), { kind: "found", path: "/ext/server/linux-x64/gazette", source: "bundled" });
  const generic = machine(["/ext/server/gazette"], { arch: "arm64" });
  assert.deepEqual(resolveServerBinary(undefined, generic), { kind: "found", path: "/ext/server/gazette", source: "bundled" });
});

test("Windows: Path in any casing, ';' separators and PATHEXT", () => {
  const lookup = machine(["C:\\tools\\gazette.exe"], {
    platform: "win32",
    env: { Path: "C:\\Windows;C:\\tools", PATHEXT: ".COM;.EXE" },
    extensionPath: "C:\\ext",
    workspaceFolder: "C:\\corpus",
  });
  assert.deepEqual(resolveServerBinary(undefined, lookup), { kind: "found", path: "C:\\tools\\gazette.exe", source: "path" });
});

test("nothing found: the message says where we looked and how to install", () => {
  const result = resolveServerBinary(undefined, machine([], { env: {} }));
  assert.equal(result.kind, "missing");
  if (result.kind === "missing") {
    assert.ok(result.message.includes(INSTALL_HINT));
    assert.match(result.message, /no `gazette` server binary found/);
    assert.deepEqual(result.tried, ["/ext/server/linux-x64/gazette", "/ext/server/gazette"]);
  }
});
