#!/usr/bin/env bash
# Lighthouse performance and accessibility scores of a page of a running InclusionMap (default: the home page of
# ./run.sh). Prints "performance N accessibility N"; the full JSON report is kept when LIGHTHOUSE_REPORT is set.
#   bench/lighthouse.sh [URL]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
url="${1:-http://127.0.0.1:5080/}"
source "$here/../scripts/prerequisites.sh"
ensure_node
ensure_packages chromium
if [ ! -d "$here/lighthouse/node_modules/lighthouse" ]; then
  (cd "$here/lighthouse" && npm ci --no-audit --no-fund --loglevel=error)
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
flags="--headless=new --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
# Chromium refuses to run as root with its sandbox.
[ "$(id -u)" -eq 0 ] && flags="$flags --no-sandbox"
report="${LIGHTHOUSE_REPORT:-$(mktemp --suffix=.json)}"
node "$here/lighthouse/node_modules/lighthouse/cli/index.js" "$url" --quiet \
  --only-categories=performance,accessibility --output=json --output-path="$report" --chrome-flags="$flags" >&2
node -e '
  const r = require(process.argv[1]);
  const score = c => Math.round(r.categories[c].score * 100);
  console.log(`performance ${score("performance")} accessibility ${score("accessibility")}`);
  const m = id => r.audits[id] ? r.audits[id].displayValue : "?";
  console.log(`metrics: FCP ${m("first-contentful-paint")}, LCP ${m("largest-contentful-paint")}, TBT ${m("total-blocking-time")}, CLS ${m("cumulative-layout-shift")}, Speed Index ${m("speed-index")}`);
  const opportunities = Object.values(r.audits).filter(a => a.details && a.details.type === "opportunity" && a.details.overallSavingsMs > 100)
    .sort((a, b) => b.details.overallSavingsMs - a.details.overallSavingsMs).slice(0, 3);
  if (opportunities.length) console.log("opportunities: " + opportunities.map(a => `${a.title} (${Math.round(a.details.overallSavingsMs)} ms)`).join("; "));
  for (const a of Object.values(r.audits).filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary"))
    console.error(`  failed audit: ${a.id} (${a.title})`);
' "$report"
[ -n "${LIGHTHOUSE_REPORT:-}" ] || rm -f "$report"
