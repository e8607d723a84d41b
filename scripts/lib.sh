# Shared helpers for the project's scripts. Every installer here is idempotent: it checks first
# and installs only what is missing, from the registries these machines reach (Debian, crates.io,
# npm, Maven Central). Nothing downloads a toolchain or browser by its own installer.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${COLMENA_TOOLS_DIR:-$HOME/.cache/colmena-tools}"

log() { printf '\033[1;33m==>\033[0m %s\n' "$*" >&2; }

# on_exit CMD: runs CMD when the script exits, after the commands registered before it (a plain
# `trap … EXIT` would replace them).
on_exit() {
  _on_exit_commands="${_on_exit_commands:-}$1
"
  trap 'eval "$_on_exit_commands"' EXIT
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_apt PKG...: installs the Debian packages that are not installed yet.
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The wasm-bindgen version pinned in the workspace (the CLI must match it exactly).
wasm_bindgen_version() {
  sed -nE 's/^wasm-bindgen = "=([0-9.]+)"/\1/p' "$ROOT/Cargo.toml"
}

# ensure_wasm_bindgen: puts the matching wasm-bindgen CLI on PATH, installing it once per version.
ensure_wasm_bindgen() {
  local version dir
  version="$(wasm_bindgen_version)"
  dir="$TOOLS_DIR/wasm-bindgen-$version"
  if [ ! -x "$dir/bin/wasm-bindgen" ]; then
    log "installing wasm-bindgen-cli $version into $dir (a few minutes, once)"
    # --locked first; the registry mirror may lack a locked transitive version, then resolve anew.
    cargo install -q wasm-bindgen-cli --version "$version" --locked --root "$dir" 2>/dev/null \
      || cargo install -q wasm-bindgen-cli --version "$version" --root "$dir"
  fi
  export PATH="$dir/bin:$PATH"
}

# ensure_chromium: Debian's Chromium for the browser tests.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || ensure_apt chromium
}

# ensure_npm_deps DIR: npm ci in DIR when its node_modules is missing or older than the lock file.
ensure_npm_deps() {
  local dir="$1"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "installing npm packages in ${dir#$ROOT/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# start_test_postgres [durable]: a throwaway PostgreSQL from Debian's packages on a free loopback
# port, trusting local connections, stopped when the calling script exits. Tests run it with
# fsync off; `durable` keeps PostgreSQL's defaults (benchmarks). PostgreSQL refuses to run as
# root, so as root it runs as the `postgres` user. Exports COLMENA_TEST_POSTGRES_URL.
start_test_postgres() {
  local fsync="-c fsync=off"
  [ "${1:-}" = durable ] && fsync=""
  ensure_apt postgresql
  local bindir dir port as_pg=()
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  dir="$(mktemp -d /tmp/colmena-pg.XXXXXX)"
  port="$(free_port)"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    as_pg=(runuser -u postgres --)
  fi
  "${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U colmena --auth=trust -E UTF8 >/dev/null
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $fsync -c max_connections=300" start >/dev/null
  on_exit "${as_pg[*]} $bindir/pg_ctl -D $dir/data -m fast stop >/dev/null 2>&1; rm -rf $dir"
  export COLMENA_TEST_POSTGRES_URL="postgres://colmena@127.0.0.1:$port"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

# ensure_venv DIR CHECK PACKAGE…: a virtualenv at DIR with the PyPI packages, made once; CHECK is
# Python code that fails until they are installed.
ensure_venv() {
  local dir="$1" check="$2"
  shift 2
  if ! "$dir/bin/python" -c "$check" 2>/dev/null; then
    log "installing $* into $dir (once)"
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check "$@"
  fi
}

# ensure_schemathesis: schemathesis (PyPI) in a virtualenv of its own, once per version; puts `st`
# on PATH.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local dir="$TOOLS_DIR/schemathesis-$SCHEMATHESIS_VERSION"
  ensure_venv "$dir" 'import schemathesis' "schemathesis==$SCHEMATHESIS_VERSION"
  export PATH="$dir/bin:$PATH"
}

# ensure_aiosmtpd: aiosmtpd (PyPI), the SMTP server the mail tests start, in a virtualenv of its
# own, once per version; exports COLMENA_AIOSMTPD_PYTHON, the interpreter that has it (the tests
# run tools/test-support/smtp_sink.py with it).
AIOSMTPD_VERSION=1.4.6
ensure_aiosmtpd() {
  local dir="$TOOLS_DIR/aiosmtpd-$AIOSMTPD_VERSION"
  ensure_venv "$dir" 'import aiosmtpd' "aiosmtpd==$AIOSMTPD_VERSION"
  export COLMENA_AIOSMTPD_PYTHON="$dir/bin/python"
}

# ensure_scale_tools: moto's S3-compatible server and prometheus_client (PyPI), in a virtualenv of
# their own, once per version; exports COLMENA_SCALE_PYTHON (runs the scale-out test) and
# COLMENA_MOTO_SERVER.
MOTO_VERSION=5.2.6
PROMETHEUS_CLIENT_VERSION=0.26.0
ensure_scale_tools() {
  local dir="$TOOLS_DIR/scale-tools-$MOTO_VERSION-$PROMETHEUS_CLIENT_VERSION"
  ensure_venv "$dir" 'import moto.server, prometheus_client' \
    "moto[server]==$MOTO_VERSION" "prometheus-client==$PROMETHEUS_CLIENT_VERSION"
  export COLMENA_SCALE_PYTHON="$dir/bin/python" COLMENA_MOTO_SERVER="$dir/bin/moto_server"
}

# free_port: an unused loopback TCP port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_demo_server [ARGS…]: starts colmena-server with the demo stores on a free port and a
# throwaway data directory, stopped when the script exits; sets DEMO_BASE to its URL.
start_demo_server() {
  local bin="${COLMENA_SERVER_BIN:-$ROOT/target/debug/colmena-server}"
  local data port server
  data="$(mktemp -d /tmp/colmena-server.XXXXXX)"
  port="$(free_port)"
  "$bin" --demo --addr "127.0.0.1:$port" --database-url "sqlite://$data/colmena.db" \
    --media-dir "$data/media" --files-dir "$data/files" --mail-dir "$data/mail" "$@" \
    >"$data/server.log" 2>&1 &
  server=$!
  on_exit "kill $server 2>/dev/null; rm -rf $data"
  for _ in $(seq 100); do
    grep -q "listening on" "$data/server.log" && break
    sleep 0.1
  done
  DEMO_BASE="http://127.0.0.1:$port"
}
