// The status bar's state: the server's lifecycle plus the work-done progress it reports ($/progress).
//
// Kept free of the `vscode` API: `extension.ts` feeds it protocol notifications and paints the
// `StatusView` it returns, and the tests feed it sequences of notifications directly.

/** The three work-done progress payloads of the protocol (`WorkDoneProgressBegin/Report/End`). */
export type WorkDoneProgressValue =
  | { kind: "begin"; title: string; message?: string; percentage?: number; cancellable?: boolean }
  | { kind: "report"; message?: string; percentage?: number; cancellable?: boolean }
  | { kind: "end"; message?: string };

/** Where the language client is in its life. */
export type ServerState = "starting" | "running" | "stopped" | "failed";

/** What the status bar item shows. `text` uses VS Code's `$(icon)` syntax. */
export interface StatusView {
  text: string;
  tooltip: string;
  /** Whether the item should use the warning background (server failed or missing). */
  warning: boolean;
}

interface ActiveProgress {
  title: string;
  message?: string;
  percentage?: number;
}

/** Tracks the server state and every running progress; the most recently begun one is displayed. */
export class ProgressTracker {
  private state: ServerState = "stopped";
  private detail: string | undefined;
  // Insertion order is begin order; a Map keeps it and lets `end` remove from the middle.
  private readonly active = new Map<string | number, ActiveProgress>();
  private lastFinished: string | undefined;

  setState(state: ServerState, detail?: string): void {
    this.state = state;
    this.detail = detail;
    if (state !== "running") {
      // A restarted server starts its progress tokens afresh; stale ones would spin forever.
      this.active.clear();
    }
  }

  /** Applies one `$/progress` notification. Reports and ends for unknown tokens are ignored: the
   * protocol forbids them, and a stray one must not resurrect a finished indexing message. */
  handle(token: string | number, value: WorkDoneProgressValue): void {
    switch (value.kind) {
      case "begin":
        this.active.delete(token);
        this.active.set(token, {
          title: value.title,
          message: value.message,
          percentage: clampPercentage(value.percentage),
        });
        break;
      case "report": {
        const progress = this.active.get(token);
        if (progress === undefined) {
          return;
        }
        if (value.message !== undefined) {
          progress.message = value.message;
        }
        if (value.percentage !== undefined) {
          progress.percentage = clampPercentage(value.percentage);
        }
        break;
      }
      case "end": {
        const progress = this.active.get(token);
        if (progress === undefined) {
          return;
        }
        this.active.delete(token);
        this.lastFinished = value.message ?? `${progress.title}: done`;
        break;
      }
    }
  }

  /** Whether any progress is running (the "busy" state). */
  get busy(): boolean {
    return this.active.size > 0;
  }

  view(): StatusView {
    switch (this.state) {
      case "starting":
        return { text: "$(sync~spin) Gazette", tooltip: "Gazette: starting the language server", warning: false };
      case "failed":
        return {
          text: "$(error) Gazette",
          tooltip: `Gazette: the language server is not running. ${this.detail ?? ""}`.trim(),
          warning: true,
        };
      case "stopped":
        return { text: "$(circle-slash) Gazette", tooltip: "Gazette: the language server is stopped", warning: false };
      case "running":
        break;
    }
    const current = [...this.active.values()].pop();
    if (current === undefined) {
      const tooltip = this.lastFinished === undefined ? "Gazette: ready" : `Gazette: ready (${this.lastFinished})`;
      return { text: "$(check) Gazette", tooltip, warning: false };
    }
    const percentage = current.percentage === undefined ? "" : ` ${Math.round(current.percentage)}%`;
    const message = current.message === undefined ? "" : ` — ${current.message}`;
    return {
      text: `$(sync~spin) Gazette${percentage}`,
      tooltip: `Gazette: ${current.title}${percentage}${message}`,
      warning: false,
    };
  }
}

function clampPercentage(percentage: number | undefined): number | undefined {
  if (percentage === undefined || !Number.isFinite(percentage)) {
    return undefined;
  }
  return Math.min(100, Math.max(0, percentage));
}
