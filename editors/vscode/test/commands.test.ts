// Unit tests of command routing: which server command or request each client command uses, and the
// message when the server lacks it.

import * as assert from "node:assert/strict";
import { test } from "node:test";

import { COMMANDS, CommandSpec, commandAvailability } from "../src/commands";

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
  const capabilities = { executeCommandProvider: { commands: ["gazette.reindex"] } };
  const result = commandAvailability(command("gazette.exportAnnotations"), capabilities);
  assert.deepEqual(result, {
    kind: "unsupported",
    message:
      'Gazette: "Export annotations" is not supported by this version of the Gazette server ' +
      "(it does not advertise the `gazette.exportAnnotations` command). Update the server binary.",
  });
  assert.equal(commandAvailability(command("gazette.acceptAllSuggestions"), {}).kind, "unsupported");
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
