#!/bin/sh
# Runs Turso's official TypeScript client (@tursodatabase/api) against a freshly started
# sandbox-server and checks its group methods. Not part of `cargo test`: it needs node and npm,
# and installs the client (pinned) into target/tsclient on first use, never globally.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
prefix="$target/tsclient"
client=@tursodatabase/api@2.0.5
if [ ! -f "$prefix/node_modules/@tursodatabase/api/package.json" ]; then
    echo "ts-client-check: installing $client into $prefix (npm)"
    npm install --no-save --no-audit --no-fund --prefix "$prefix" "$client"
fi
(cd "$root" && cargo build -q -p sandbox --bin sandbox-server)
exec node "$root/sandbox/ts-client-check/check.mjs" "$target/debug/sandbox-server" "$prefix"
