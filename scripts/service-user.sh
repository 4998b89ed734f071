# Sourced by run.sh: starts the built executable, never as root.
# Started by a normal user it runs as that user, as before. Started as root, a dedicated system account (created when
# missing, no login shell) owns the state directory and the executable replaces this shell as that account (setpriv:
# no root process stays behind, and Ctrl-C or SIGTERM reach the server itself). The private PostgreSQL cluster then
# runs as that account too.

INCLUSIONMAP_SERVICE_USER=inclusionmap

# exec_inclusionmap APP_DIR ARG... : replaces the shell with `dotnet APP_DIR/inclusionmap.dll ARG...`.
exec_inclusionmap() {
  local app
  app=$(readlink -f "$1")
  shift
  if [ "$(id -u)" -ne 0 ]; then exec dotnet "$app/inclusionmap.dll" "$@"; fi

  local user=$INCLUSIONMAP_SERVICE_USER
  local state=${INCLUSIONMAP_STATE:-/var/lib/inclusionmap}
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment "InclusionMap server" "$user"
  fi
  # The state directory is the account's alone; one an older version made (root's, its cluster the postgres account's)
  # is handed over.
  install -d -m 700 -o "$user" -g "$user" "$state"
  if [ -n "$(find "$state" ! -user "$user" -print -quit)" ]; then chown -R "$user:$user" "$state"; fi
  if ! as_service_user test -w "$state"; then
    echo "The $user account cannot reach $state: set INCLUSIONMAP_STATE to a directory outside root's home." >&2
    exit 1
  fi

  local dotnet
  dotnet=$(readlink -f "$(command -v dotnet)")
  if ! as_service_user test -x "$dotnet"; then
    echo "The $user account cannot run $dotnet: install the .NET SDK system-wide, or run ./run.sh as a normal user." >&2
    exit 1
  fi
  # The account must read the build and the open data; a checkout under /root is out of its reach, so a root-owned
  # copy serves instead.
  app=$(readable_by_service_user "$app" /usr/local/lib/inclusionmap)
  local data
  data=$(open_data_directory)
  if [ -n "$data" ]; then data=$(readable_by_service_user "$data" /usr/local/share/inclusionmap/data); fi

  exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs -- \
    env HOME="$state" DOTNET_CLI_HOME="$state" USER="$user" LOGNAME="$user" INCLUSIONMAP_STATE="$state" ${data:+INCLUSIONMAP_DATA="$data"} \
    "$dotnet" "$app/inclusionmap.dll" "$@"
}

as_service_user() {
  setpriv --reuid="$INCLUSIONMAP_SERVICE_USER" --regid="$INCLUSIONMAP_SERVICE_USER" --init-groups -- "$@"
}

# readable_by_service_user DIR COPY: prints DIR when the account can read all of it, else refreshes COPY from DIR
# (root-owned, world-readable; replaced files are unlinked first, so a running server keeps its own) and prints COPY.
readable_by_service_user() {
  local dir=$1 copy=$2
  if [ -z "$(as_service_user find "$dir" ! -readable -print -quit 2>&1)" ]; then
    echo "$dir"
    return
  fi
  mkdir -p "$copy"
  cp -rT -u --remove-destination --preserve=timestamps "$dir" "$copy"
  chmod -R a+rX,go-w "$copy"
  echo "$copy"
}

# The open data as the executable finds it: INCLUSIONMAP_DATA, else shared/data beside the repository (nothing if absent).
open_data_directory() {
  if [ -n "${INCLUSIONMAP_DATA:-}" ]; then
    readlink -f "$INCLUSIONMAP_DATA"
    return
  fi
  local dir=$PWD
  while :; do
    if [ -d "$dir/shared/data/lieux" ]; then
      echo "$dir/shared/data"
      return
    fi
    [ "$dir" = / ] && return
    dir=$(dirname "$dir")
  done
}
