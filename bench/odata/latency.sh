#!/usr/bin/env bash
# OData feed latency against a running server, each query beside its raw SQL floor (the same SQL through psql).
# Usage: bench/odata/latency.sh http://127.0.0.1:5080 "host=/path/to/socket dbname=... user=..."
# Prints a Markdown table: median of N runs after 3 warm-ups. Figures depend on the machine: note it with them.
set -euo pipefail
BASE=${1:?server base URL}
PG=${2:?libpq connection string of the same database}
N=${N:-21}
P="geography'SRID=4326;POINT(1.8717 46.1703)'"
POLY="geography'SRID=4326;POLYGON((1.10 45.70, 1.45 45.70, 1.45 45.95, 1.10 45.95, 1.10 45.70))'"
PT="ST_SetSRID(ST_MakePoint(1.8717, 46.1703), 4326)"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

http_ms() {
  local url=$1 code
  for _ in 1 2 3; do code=$(curl -s -o /dev/null -g -w '%{http_code}' "$url"); done
  [ "$code" = 200 ] || { echo "HTTP $code for $url" >&2; exit 1; }
  for _ in $(seq "$N"); do curl -s -o /dev/null -g -w '%{time_total}\n' "$url"; done | awk '{printf "%.2f\n", $1 * 1000}' | median
}

# One session for all runs (a new backend loads PostGIS, ~25 ms): 3 warm-ups, then N measured executions.
sql_ms() {
  local sql=$1
  for _ in $(seq $((N + 3))); do echo "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $sql;"; done \
    | psql "$PG" -Atq | awk '/Execution Time/ {print $3}' | tail -n "$N" | median
}

enc() { python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=sys.argv[2]))" "$1" "=&\$/(),?'"; }

row() {
  local name=$1 query=$2 sql=$3
  printf '| %s | `%s` | %s ms | %s ms |\n' "$name" "$query" "$(http_ms "$BASE/odata/$(enc "$query")")" "$(sql_ms "$sql")"
}

echo "| query | URL (after /odata/) | HTTP median | SQL floor (execution) |"
echo "|---|---|---|---|"
row "first page of Sites" "Sites" "SELECT * FROM sites ORDER BY id LIMIT 101"
row "10 nearest" "Sites?\$orderby=geo.distance(Location, $P)&\$top=10&\$select=Id,Nom" \
  "SELECT id, nom FROM sites ORDER BY location <-> $PT::geography LIMIT 11"
row "radius 20 km, count" "Sites?\$filter=geo.distance(Location, $P) le 20000&\$count=true&\$top=0" \
  "SELECT count(*) FROM sites WHERE ST_DWithin(location, $PT::geography, 20000, false)"
row "sites in a polygon" "Sites?\$filter=geo.intersects(Location, $POLY)&\$select=Id" \
  "SELECT id FROM sites WHERE ST_Intersects(location_geometry, ST_GeomFromText('POLYGON((1.10 45.70, 1.45 45.70, 1.45 45.95, 1.10 45.95, 1.10 45.70))', 4326)) ORDER BY id LIMIT 101"
row "commune holding a point" "Communes?\$filter=geo.intersects(Geometry, $P)&\$select=Code,Nom" \
  "SELECT code, nom FROM communes WHERE ST_Intersects(geometry, $PT) ORDER BY code LIMIT 101"
row "sites per département" "Sites?\$apply=groupby((DepartementCode),aggregate(\$count as Sites))" \
  "SELECT departement_code, count(*) FROM sites GROUP BY departement_code ORDER BY departement_code LIMIT 102"
row "population per département" "Communes?\$apply=groupby((DepartementCode),aggregate(Population with sum as Population))" \
  "SELECT departement_code, sum(population) FROM communes GROUP BY departement_code ORDER BY departement_code LIMIT 102"
row "\$search" "Sites?\$search=gueret&\$select=Id,Nom" \
  "SELECT id, nom FROM sites WHERE search_text LIKE '%gueret%' ORDER BY id LIMIT 101"
row "one commune with polygon" "Communes('23096')?\$select=Code,Geometry" "SELECT code, geometry FROM communes WHERE code = '23096'"

# Whole feeds followed link by link, as Excel or Power BI load them (one client process, JSON parsing included).
for set in Sites Communes; do
  python3 - "$BASE/odata/$set" <<'PY'
import json, sys, time, urllib.request
url, pages, rows, start = sys.argv[1], 0, 0, time.perf_counter()
while url:
    with urllib.request.urlopen(url) as response:
        body = json.load(response)
    pages, rows, url = pages + 1, rows + len(body["value"]), body.get("@odata.nextLink")
print(f"Whole feed {sys.argv[1].rsplit('/', 1)[1]}: {rows} rows in {pages} pages, {time.perf_counter() - start:.1f} s")
PY
done
