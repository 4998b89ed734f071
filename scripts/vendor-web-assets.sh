#!/usr/bin/env bash
# Refreshes the third-party browser files served by the server (no CDN at run time): installs the exact versions
# below from npm into a temporary folder and copies the built files, with their licences, into wwwroot/vendor.
# Run it after changing a version; the copied files are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/InclusionMap.Server/wwwroot/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error \
  graphiql@3.8.3 react@18.3.1 react-dom@18.3.1 maplibre-gl@6.17.0 >&2)
m="$work/node_modules"
mkdir -p "$dest/graphiql" "$dest/react" "$dest/maplibre-gl"
cp "$m/graphiql/graphiql.min.js" "$m/graphiql/graphiql.min.css" "$dest/graphiql/"
cp "$m/graphiql/LICENSE" "$dest/graphiql/LICENSE"
cp "$m/react/umd/react.production.min.js" "$m/react-dom/umd/react-dom.production.min.js" "$dest/react/"
cp "$m/react/LICENSE" "$dest/react/LICENSE"
if [ -d "$m/maplibre-gl/dist" ]; then
  # Production ES modules only: the main module loads its worker from the same folder.
  cp "$m/maplibre-gl/dist/maplibre-gl.mjs" "$m/maplibre-gl/dist/maplibre-gl-worker.mjs" "$m/maplibre-gl/dist/maplibre-gl.css" "$dest/maplibre-gl/"
  cp "$m/maplibre-gl/LICENSE.txt" "$dest/maplibre-gl/LICENSE.txt" 2>/dev/null || cp "$m/maplibre-gl/LICENSE"* "$dest/maplibre-gl/"
fi
for p in graphiql react react-dom maplibre-gl; do
  printf '%s %s\n' "$p" "$(node -p "require('$m/$p/package.json').version")"
done > "$dest/VERSIONS"
cat "$dest/VERSIONS"
