#!/usr/bin/env bash
# Runs the Neovim plugin's tests in headless Neovim: unit.lua (no server needed), then e2e.lua
# against $GAZETTE_BIN (default: target/debug/gazette). Exits non-zero when any check fails.
set -euo pipefail
plugin="$(cd "$(dirname "$0")/.." && pwd)"
run() {
  # --clean: no user config or plugins; -i NONE: no shada. `timeout` guards against a hung server.
  timeout 180 nvim --headless --clean -i NONE --cmd "set rtp^=$plugin" -c "luafile $plugin/tests/$1"
}
run unit.lua
run e2e.lua
