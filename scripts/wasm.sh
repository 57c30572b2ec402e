#!/usr/bin/env bash
# Builds the in-browser licence checker: the licence engine compiled to WebAssembly
# (crates/ospo-wasm), its JavaScript bindings, and the checker page as a static folder.
#
#   ./scripts/wasm.sh [OUT_DIR]     default OUT_DIR: $CARGO_TARGET_DIR/wasm, else target/wasm
#
# Idempotent: the tools (wasm-bindgen-cli of the exact version in Cargo.lock, wasm-opt from
# npm's binaryen) are installed into .tools/ only when missing or of another version.
# `ospo serve` serves the result on /licences/check; the folder also works on its own on
# any static file host (docs/wasm.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="${1:-$target_dir/wasm}"
tools="$root/.tools"
binaryen_version=132

step() { printf '\n==> %s\n' "$*"; }

step "wasm32 target"
rustup target add wasm32-unknown-unknown 2>&1 | grep -v 'is up to date' || true

# The wasm-bindgen crate version in Cargo.lock; the CLI must match it exactly.
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$wb_version" ]; then
  echo "wasm-bindgen is not in Cargo.lock" >&2
  exit 2
fi
step "wasm-bindgen-cli $wb_version"
if [ "$("$tools/bin/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  # No --locked: the CLI's own lockfile pins a crate version the registry may not serve.
  cargo install wasm-bindgen-cli --version "=$wb_version" --root "$tools" --force
fi
"$tools/bin/wasm-bindgen" --version

step "wasm-opt (binaryen $binaryen_version from npm)"
wasm_opt="$tools/npm/node_modules/.bin/wasm-opt"
if ! "$wasm_opt" --version 2>/dev/null | grep -q "version $binaryen_version"; then
  npm install --prefix "$tools/npm" --no-audit --no-fund --loglevel=error "binaryen@$binaryen_version"
fi
"$wasm_opt" --version

step "build ospo-wasm (release, wasm32-unknown-unknown)"
cargo build --release --locked -p ospo-wasm --target wasm32-unknown-unknown
raw="$target_dir/wasm32-unknown-unknown/release/ospo_wasm.wasm"

step "bindings and page into $out"
mkdir -p "$out"
# wasm-opt takes half a minute: redo the bindings only when cargo produced a new module.
if [ "$out/ospo_wasm_bg.wasm" -nt "$raw" ] && [ "$out/ospo_wasm.js" -nt "$raw" ]; then
  echo "bindings up to date"
else
  "$tools/bin/wasm-bindgen" --target web --out-dir "$out" --out-name ospo_wasm "$raw"
  # The features Rust's wasm32-unknown-unknown target enables by default.
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/ospo_wasm_bg.wasm" -o "$out/ospo_wasm_bg.wasm.opt"
  mv "$out/ospo_wasm_bg.wasm.opt" "$out/ospo_wasm_bg.wasm"
fi
# The page's script, service worker and stylesheet are the server's own files; index.html is
# the checker page for a static host.
static="$root/crates/ospo-server/static"
cp "$static/checker.js" "$static/checker.css" "$static/sw.js" "$out/"
cp "$static/index.html" "$out/index.html"

step "sizes"
wasm="$out/ospo_wasm_bg.wasm"
printf '%-28s %9s %9s\n' file bytes gzip-9
for f in "$wasm" "$out/ospo_wasm.js" "$out/checker.js"; do
  printf '%-28s %9d %9d\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
printf '%-28s %9d\n' "(before wasm-opt)" "$(stat -c %s "$raw")"
