#!/usr/bin/env bash
# Editor tests (issue 7), called by .ci/run: the VS Code extension (compile, unit and contract tests,
# .vsix packaging) and the Neovim plugin (headless unit and end-to-end tests), both against the debug
# `gazette` binary. Installs Neovim with apt on a fresh Debian machine when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

step() { printf '\n== editors: %s\n' "$*"; }
started=$SECONDS

step "server binary"
cargo build --locked -p gazette
export GAZETTE_BIN="$root/target/debug/gazette" GAZETTE_SERVER="$root/target/debug/gazette" GAZETTE_REQUIRE_SERVER=1

if ! command -v nvim >/dev/null 2>&1; then
  step "installing neovim (apt)"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "editors: nvim is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "editors: $tool is missing (Node.js 20+ is needed)" >&2; exit 2; }
done

step "vscode: npm ci, compile, test, package"
vscode_started=$SECONDS
(
  cd editors/vscode
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent compile
  npm test
  npx --no-install vsce package --out "$root/target/gazette.vsix"
)
# The package must hold the compiled entry point, the manifest and the language client.
listing="$(python3 -m zipfile -l "$root/target/gazette.vsix")"
for entry in extension/package.json extension/out/src/extension.js extension/node_modules/vscode-languageclient/package.json; do
  grep -q "$entry" <<<"$listing" || { echo "editors: $entry is missing from gazette.vsix" >&2; exit 1; }
done
if grep -q "extension/out/test/" <<<"$listing"; then
  echo "editors: tests were packaged into gazette.vsix" >&2
  exit 1
fi
vscode_seconds=$((SECONDS - vscode_started))

step "neovim $(nvim --version | head -n1): headless unit and end-to-end tests"
nvim_started=$SECONDS
editors/neovim/tests/run.sh
nvim_seconds=$((SECONDS - nvim_started))

printf '\n== editors: done in %ss (vscode %ss, neovim %ss)\n' "$((SECONDS - started))" "$vscode_seconds" "$nvim_seconds"
