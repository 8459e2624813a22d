#!/usr/bin/env bash
# setup_parley.sh install|start|stop|urls|queries   (see setup_spirit.sh for the contract)
# Parley, our own forum. Its source is a clone of the project repo ($PARLEY_REPO, default
# the current directory) in /tmp/peers/parley/src, installed editable (as its Makefile does: the
# templates live beside the package). SQLite (WAL) in PARLEY_DATA_DIR, LocMem cache,
# DEBUG off: Parley's own defaults, no settings file of ours.
#
# Instances (PARLEY_INSTANCE), so several can be measured side by side:
#   parley        (default) the standard data set, harness gunicorn: 2 sync workers, port 8104
#   parley-serve  the same database, served as Parley's users run it: `parley serve`
#                 (gunicorn gthread, WORKERS=2 x 4 threads, access log to stdout -> a file,
#                 collectstatic at start, plus its background-task worker), port 8105
#   parley-deep   a separate database (/tmp/peers/parley/deep) holding one thread of
#                 $PARLEY_DEEP_POSTS posts (100,000), harness gunicorn, port 8106
# Use the instance name as PEER for run_wrk.sh. Each instance keeps its pid file and log in
# /tmp/peers/<instance>/ (the venv there is a symlink to /tmp/peers/parley/venv).
# Parley's working copy of the shared script (the shared seed_parley.py predates confirmed
# e-mail addresses): the helpers come from the shared folder, the seed from here.
HERE="$(cd "$(dirname "$0")" && pwd)"
. "${BENCH_PEERS:-/work/shared/bench-peers}/lib.sh"
NAME=parley
INSTANCE="${PARLEY_INSTANCE:-parley}"
DIR="$PEERS_ROOT/$NAME"; SRC="$DIR/src"; PY="$DIR/venv/bin/python"; PARLEY="$DIR/venv/bin/parley"
PARLEY_REPO="${PARLEY_REPO:-$(pwd)}"
export DJANGO_SETTINGS_MODULE=parley.settings
case "$INSTANCE" in
  parley)       PORT="${PARLEY_PORT:-8104}"; DATA="$DIR/data" ;;
  parley-serve) PORT="${PARLEY_SERVE_PORT:-8105}"; DATA="$DIR/data" ;;
  parley-deep)  PORT="${PARLEY_DEEP_PORT:-8106}"; DATA="$DIR/deep" ;;
  *) echo "unknown PARLEY_INSTANCE=$INSTANCE" >&2; exit 2 ;;
esac
export PARLEY_DATA_DIR="$DATA"
IDIR="$PEERS_ROOT/$INSTANCE"
DEEP_POSTS="${PARLEY_DEEP_POSTS:-100000}"
deep_flag() { [ "$INSTANCE" = parley-deep ] && echo --deep || true; }

case "${1:-}" in
install)
  if [ "$INSTANCE" = parley-serve ]; then log "parley-serve uses the database of the parley instance: install that"; exit 0; fi
  mkdir -p "$DIR"
  [ -d "$SRC/.git" ] || git clone -q "$PARLEY_REPO" "$SRC"
  log "parley source: $(git -C "$SRC" log --oneline -1)"
  make_venv "$NAME" -e "$SRC"
  rm -rf "$DATA"; mkdir -p "$DATA"
  cd "$SRC"
  "$PARLEY" migrate --noinput -v0
  "$PARLEY" collectstatic --noinput -v0
  if [ "$INSTANCE" = parley-deep ]; then
    "$PY" "$HERE/seed_parley.py" --deep "$DEEP_POSTS"
  else
    "$PY" "$HERE/seed_parley.py"
  fi
  "$PARLEY" recount | tail -3
  # The seed's events (search, links, alerts ...) are handled now, as a running forum's
  # worker would have: otherwise `parley serve`'s worker spends the first minute of the
  # measurement on that backlog, on the same two cores (it took 31% CPU during a run).
  "$PARLEY" db_worker --batch --no-startup-delay -v0
  ;;
start)
  mkdir -p "$IDIR"; [ -e "$IDIR/venv" ] || ln -s "$DIR/venv" "$IDIR/venv"
  if [ "$INSTANCE" != parley-serve ]; then
    start_gunicorn "$INSTANCE" "$PORT" "$SRC" parley.wsgi:application
  else
    pidfile="$IDIR/server.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "$INSTANCE already running (pid $(cat "$pidfile"))"; exit 0
    fi
    log "starting \`parley serve\` on 127.0.0.1:$PORT (WORKERS=2)"
    ( cd "$SRC" && PORT="$PORT" WORKERS=2 HOST=127.0.0.1 exec "$PARLEY" serve >>"$IDIR/serve.log" 2>&1 ) &
    echo $! > "$pidfile"
    wait_http "http://127.0.0.1:$PORT/healthz" 60 || { log "parley serve did not come up"; tail -30 "$IDIR/serve.log" >&2; exit 1; }
    # its background-task worker is a child process: keep its pid to stop it by pid too
    for c in $(ps -o pid= --ppid "$(cat "$pidfile")"); do
      if grep -q db_worker "/proc/$c/cmdline" 2>/dev/null; then echo "$c" > "$IDIR/task-worker.pid"; fi
    done
  fi
  ;;
stop)
  stop_pidfile "$IDIR/server.pid"
  stop_pidfile "$IDIR/task-worker.pid"   # `parley serve` stops it itself; this is a backstop
  ;;
urls)  echo "base=http://127.0.0.1:$PORT"; cd "$SRC" && "$PY" "$HERE/seed_parley.py" --urls $(deep_flag) ;;
queries) cd "$SRC" && mapfile -t specs < <("$PY" "$HERE/seed_parley.py" --urls $(deep_flag) 2>/dev/null) && "$PY" "$BENCH_DIR/count_queries.py" "${specs[@]}" ;;
*) echo "usage: [PARLEY_INSTANCE=parley|parley-serve|parley-deep] $0 install|start|stop|urls|queries" >&2; exit 2;;
esac
