// Unit tests of command routing: which server command or request each client command uses, and the
// message when the server lacks it.

import * as assert from "node:assert/strict";
import { test } from "node:test";

import { COMMANDS, CommandSpec, commandAvailability, exportCommandLine } from "../src/commands";

function command(id: string): CommandSpec {
  const spec = COMMANDS.find((candidate) => candidate.id === id);
  assert.ok(spec, id);
  return spec;
}

test("client-only commands need no server", () => {
  assert.deepEqual(commandAvailability(command("gazette.restart"), undefined), { kind: "available" });
});

test("server commands need a running server", () => {
  const result = commandAvailability(command("gazette.reindex"), undefined);
  assert.equal(result.kind, "unsupported");
  assert.match(result.kind === "unsupported" ? result.message : "", /not running/);
});

test("the first advertised spelling of a server command is used", () => {
  const capabilities = { executeCommandProvider: { commands: ["reindex", "gazette/reindex"] } };
  assert.deepEqual(commandAvailability(command("gazette.reindex"), capabilities), { kind: "available", serverCommand: "gazette/reindex" });
});

test("a server without the command gets a clear 'not supported' message", () => {
  const capabilities = { executeCommandProvider: { commands: ["gazette.review.acceptAll"] } };
  const result = commandAvailability(command("gazette.reindex"), capabilities);
  assert.deepEqual(result, {
    kind: "unsupported",
    message:
      'Gazette: "Re-index the corpus" is not supported by this version of the Gazette server ' +
      "(it does not advertise the `gazette.reindex` command). Update the server binary.",
  });
  assert.equal(commandAvailability(command("gazette.acceptAllSuggestions"), {}).kind, "unsupported");
  assert.equal(commandAvailability(command("gazette.annotateSelection"), capabilities).kind, "unsupported");
});

test("showing a locality's mentions rides on textDocument/references", () => {
  const spec = command("gazette.showLocalityMentions");
  assert.equal(commandAvailability(spec, { referencesProvider: false }).kind, "unsupported");
  assert.deepEqual(commandAvailability(spec, { referencesProvider: { workDoneProgress: true } }), {
    kind: "available",
    method: "textDocument/references",
  });
});

test("command ids are unique and namespaced", () => {
  const ids = COMMANDS.map((spec) => spec.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) {
    assert.match(id, /^gazette\.[a-zA-Z]+$/);
  }
});

test("export falls back to the CLI when the server lacks the command or is not running", () => {
  const spec = command("gazette.exportAnnotations");
  assert.deepEqual(commandAvailability(spec, undefined), { kind: "cli" });
  assert.deepEqual(commandAvailability(spec, { executeCommandProvider: { commands: [] } }), { kind: "cli" });
  assert.deepEqual(commandAvailability(spec, { executeCommandProvider: { commands: ["gazette.exportAnnotations"] } }), {
    kind: "available",
    serverCommand: "gazette.exportAnnotations",
  });
  assert.deepEqual(exportCommandLine("/corpus", "brat", "/corpus/export/brat"), [
    "export", "/corpus", "--format", "brat", "--out", "/corpus/export/brat",
  ]);
});

test("review commands use the server's gazette.review.* names", () => {
  const capabilities = { executeCommandProvider: { commands: ["gazette.review.acceptAll", "gazette.review.decide"] } };
  assert.deepEqual(commandAvailability(command("gazette.acceptAllSuggestions"), capabilities), {
    kind: "available",
    serverCommand: "gazette.review.acceptAll",
  });
  assert.deepEqual(commandAvailability(command("gazette.annotateSelection"), capabilities), {
    kind: "available",
    serverCommand: "gazette.review.decide",
  });
});
