#!/usr/bin/env bash
# The benchmarks in one command: import throughput, then the API at the real size and at scaled-up copies of the real catalogue
# (25,000 and 250,000 sites) beside the raw SQL floor, wrk throughput, the PostGraphile peer, peak memory and
# Lighthouse scores. Everything runs on a private PostGIS cluster under /tmp, removed at the end.
# Writes docs/benchmarks.md.
#   ./bench/run.sh                 full run (wrk 20 s per measure; about 15 minutes on 2 cores)
#   ./bench/run.sh --quick         short run (wrk 3 s, 60 query points) to check that everything works
#   options: --duration S  --connections N  --points N  --sizes 25000,250000  --no-lighthouse  [import] [api]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_dotnet
ensure_packages postgresql-15 postgresql-15-postgis-3 wrk chromium
ensure_node

echo "Building (Release) ..." >&2
dotnet build src/InclusionMap.Server -c Release -v quiet -clp:ErrorsOnly -nologo
dotnet build bench/InclusionMap.Bench -c Release -v quiet -clp:ErrorsOnly -nologo

# The peer and Lighthouse, at the versions of their committed lock files.
for dir in bench/peer bench/lighthouse; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

exec dotnet bench/InclusionMap.Bench/bin/Release/net10.0/InclusionMap.Bench.dll "$@"
