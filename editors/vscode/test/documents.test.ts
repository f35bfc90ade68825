// Unit tests of the document selectors and server arguments.

import * as assert from "node:assert/strict";
import { test } from "node:test";

import { corpusRoots, documentSelector, serverArguments } from "../src/documents";

test("corpus roots are the deduplicated, sorted directories of gazette.toml files", () => {
  assert.deepEqual(corpusRoots(["/w/b/gazette.toml", "/w/a/gazette.toml", "/w/a/gazette.toml"]), ["/w/a", "/w/b"]);
});

test("documents are plain-text files under a corpus root", () => {
  assert.deepEqual(documentSelector(["/w/a"]), [{ scheme: "file", language: "plaintext", pattern: "/w/a/**/*" }]);
});

test("without a root, every plain-text document is served (started by command)", () => {
  assert.deepEqual(documentSelector([]), [
    { scheme: "file", language: "plaintext" },
    { scheme: "untitled", language: "plaintext" },
  ]);
});

test("server arguments: serve, then the user's strings only", () => {
  assert.deepEqual(serverArguments(undefined), ["serve"]);
  assert.deepEqual(serverArguments(["--log-level", 3, "debug"]), ["serve", "--log-level", "debug"]);
});
