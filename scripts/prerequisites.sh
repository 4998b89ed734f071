# Shared by run.sh and test.sh: make sure the Debian packages InclusionMap needs are installed.
# As root (or with password-less sudo) missing packages are installed; otherwise we stop and name them.

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "InclusionMap needs the .NET 10 SDK (https://dotnet.microsoft.com/download): 'dotnet' is not on PATH." >&2
    exit 1
  fi
}

# ensure_packages PKG... : installs the missing ones, or exits with the exact apt-get command to run.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "InclusionMap needs these Debian packages: ${missing[*]}" >&2
      echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "Installing ${missing[*]} ..." >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# ensure_node: Node.js and npm (used by test tooling); the machine's own install is fine, else Debian's packages.
ensure_node() {
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then return 0; fi
  ensure_packages nodejs npm
}

# The PostgreSQL server binaries of the newest installed version.
pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
