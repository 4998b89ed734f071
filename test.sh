#!/usr/bin/env bash
# Runs every test against real components: one private PostGIS cluster for the run (a fresh database per test class),
# the real server over real HTTP. Installs what is missing when run as root or with sudo.
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
ensure_dotnet
ensure_packages postgresql-15 postgresql-15-postgis-3 libfontconfig1 fonts-dejavu-core chromium || exit 1
ensure_node || exit 1

for node_project in tests/*/package.json; do
  [ -f "$node_project" ] || continue
  dir=$(dirname "$node_project")
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm ci failed in $dir" >&2; exit 1; }
done

dotnet build InclusionMap.sln -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

# The run's private cluster: Unix socket only, no durability (throw-away data). Its directory (mktemp: 0700) holds the
# socket, so only the cluster's account and root reach it: the roles need no password (production's have them).
PGBIN=$(pg_bindir)
TEST_STATE=$(mktemp -d /tmp/inclusionmap-test-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$TEST_STATE"; as_pg=(runuser -u postgres --); fi
stop_cluster() {
  (cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TEST_STATE/pgdata" -m immediate -w stop >/dev/null 2>&1)
  rm -rf "$TEST_STATE"
}
trap stop_cluster EXIT
(cd / && "${as_pg[@]}" "$PGBIN/initdb" -D "$TEST_STATE/pgdata" -U inclusionmap --auth-local=trust --auth-host=reject \
  -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null) \
  || { echo "initdb failed" >&2; exit 1; }
(cd / && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$TEST_STATE/pgdata" -l "$TEST_STATE/postgresql.log" -w -t 60 \
  -o "-c listen_addresses='' -k $TEST_STATE -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off \
      -c full_page_writes=off -c max_connections=400" start >/dev/null) \
  || { cat "$TEST_STATE/postgresql.log" >&2; exit 1; }
export INCLUSIONMAP_TEST_PGHOST="$TEST_STATE"

LOG=$(mktemp)
dotnet test InclusionMap.sln -c Release --no-build --nologo 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, ..." line per test assembly.
read -r passed failed skipped < <(grep -E '^\s*(Passed|Failed)!' "$LOG" | awk -F'[:,]' '
  { for (i = 1; i <= NF; i++) { gsub(/ /, "", $i) }
    for (i = 1; i < NF; i++) { if ($i ~ /Failed$/) f += $(i+1); if ($i == "Passed") p += $(i+1); if ($i == "Skipped") s += $(i+1) } }
  END { printf "%d %d %d\n", p, f, s }')
rm -f "$LOG"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
