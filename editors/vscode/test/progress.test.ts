// Unit tests of the status bar state: server lifecycle and $/progress sequences.

import * as assert from "node:assert/strict";
import { test } from "node:test";

import { ProgressTracker } from "../src/progress";

test("indexing progress is shown with its percentage and ends in the ready state", () => {
  const tracker = new ProgressTracker();
  tracker.setState("starting");
  assert.equal(tracker.view().text, "$(sync~spin) Gazette");
  tracker.setState("running");
  assert.equal(tracker.view().text, "$(check) Gazette");

  tracker.handle("index", { kind: "begin", title: "Indexing", message: "0/5 documents", percentage: 0 });
  assert.deepEqual(tracker.view(), { text: "$(sync~spin) Gazette 0%", tooltip: "Gazette: Indexing 0% — 0/5 documents", warning: false });
  tracker.handle("index", { kind: "report", message: "3/5 documents", percentage: 60.4 });
  assert.equal(tracker.view().text, "$(sync~spin) Gazette 60%");
  assert.ok(tracker.busy);
  tracker.handle("index", { kind: "end", message: "5 documents indexed" });
  assert.deepEqual(tracker.view(), { text: "$(check) Gazette", tooltip: "Gazette: ready (5 documents indexed)", warning: false });
  assert.ok(!tracker.busy);
});

test("the most recent of concurrent progresses is displayed; ending it reveals the other", () => {
  const tracker = new ProgressTracker();
  tracker.setState("running");
  tracker.handle(1, { kind: "begin", title: "Indexing", percentage: 10 });
  tracker.handle(2, { kind: "begin", title: "Exporting" });
  assert.equal(tracker.view().tooltip, "Gazette: Exporting");
  tracker.handle(2, { kind: "end" });
  assert.equal(tracker.view().text, "$(sync~spin) Gazette 10%");
});

test("reports and ends for unknown tokens are ignored, percentages are clamped", () => {
  const tracker = new ProgressTracker();
  tracker.setState("running");
  tracker.handle("ghost", { kind: "report", percentage: 50 });
  tracker.handle("ghost", { kind: "end" });
  assert.deepEqual(tracker.view(), { text: "$(check) Gazette", tooltip: "Gazette: ready", warning: false });
  tracker.handle("t", { kind: "begin", title: "Indexing", percentage: 250 });
  assert.equal(tracker.view().text, "$(sync~spin) Gazette 100%");
  tracker.handle("t", { kind: "report", percentage: Number.NaN });
  assert.equal(tracker.view().text, "$(sync~spin) Gazette");
});

test("a failed or restarted server drops its running progress", () => {
  const tracker = new ProgressTracker();
  tracker.setState("running");
  tracker.handle("index", { kind: "begin", title: "Indexing", percentage: 5 });
  tracker.setState("failed", "no binary");
  assert.deepEqual(tracker.view(), { text: "$(error) Gazette", tooltip: "Gazette: the language server is not running. no binary", warning: true });
  tracker.setState("running");
  assert.equal(tracker.view().text, "$(check) Gazette");
});
