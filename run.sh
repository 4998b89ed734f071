#!/usr/bin/env bash
# Runs InclusionMap on its embedded default: a private PostGIS cluster it starts itself (in ~/.local/share/inclusionmap,
# or /var/lib/inclusionmap as root), loaded with the open data on first start, served on http://127.0.0.1:5080.
# Started as root, it installs and builds as root, then the server runs as the `inclusionmap` system account
# (scripts/service-user.sh). Arguments go to the executable:  ./run.sh import FILE...   ./run.sh --urls http://127.0.0.1:6000
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh
source scripts/service-user.sh
ensure_dotnet
ensure_packages postgresql-15 postgresql-15-postgis-3 libfontconfig1 fonts-dejavu-core
dotnet build src/InclusionMap.Server -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec_inclusionmap src/InclusionMap.Server/bin/Release/net10.0 "$@"
