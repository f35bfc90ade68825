#!/usr/bin/env bash
# Editor tests (issue 7), called by .ci/run: the VS Code extension (compile, unit and contract tests,
# .vsix packaging), the Neovim plugin (headless unit and end-to-end tests) and the README's Emacs
# eglot setup (headless), all against the debug `gazette` binary. Installs Neovim, Emacs and eglot
# with apt on a fresh Debian machine when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

step() { printf '\n== editors: %s\n' "$*"; }
started=$SECONDS

step "server binary"
cargo build --locked -p gazette
export GAZETTE_BIN="$root/target/debug/gazette" GAZETTE_SERVER="$root/target/debug/gazette" GAZETTE_REQUIRE_SERVER=1

# Debian packages the tests need, installed once on a fresh machine (root and apt-get required).
missing=()
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
command -v emacs >/dev/null 2>&1 || missing+=(emacs-nox)
ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null 2>&1 || missing+=(elpa-eglot)
if [ "${#missing[@]}" -gt 0 ]; then
  step "installing ${missing[*]} (apt)"
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "editors: ${missing[*]} missing and cannot be installed here (needs root and apt-get)" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
  npx --no-install vsce package --no-dependencies --out "$root/target/gazette.vsix"
)
# The package holds the manifest and the esbuild bundle (language client inside), nothing else of ours.
listing="$(python3 -m zipfile -l "$root/target/gazette.vsix")"
for entry in extension/package.json extension/dist/extension.js; do
  grep -q "$entry" <<<"$listing" || { echo "editors: $entry is missing from gazette.vsix" >&2; exit 1; }
done
if grep -Eq "extension/(out|src|test|node_modules)/" <<<"$listing"; then
  echo "editors: sources, tests or node_modules were packaged into gazette.vsix" >&2
  exit 1
fi
vscode_seconds=$((SECONDS - vscode_started))

step "neovim $(nvim --version | head -n1): headless unit and end-to-end tests"
nvim_started=$SECONDS
editors/neovim/tests/run.sh
nvim_seconds=$((SECONDS - nvim_started))

step "emacs $(emacs --version | head -n1 | cut -d' ' -f3) + eglot: headless test of the README configuration"
emacs_started=$SECONDS
timeout 120 emacs --batch -Q -l editors/emacs/eglot-test.el
emacs_seconds=$((SECONDS - emacs_started))

printf '\n== editors: done in %ss (vscode %ss, neovim %ss, emacs %ss)\n' "$((SECONDS - started))" "$vscode_seconds" "$nvim_seconds" "$emacs_seconds"
