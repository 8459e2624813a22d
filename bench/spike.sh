#!/usr/bin/env bash
# bench/spike.sh DATA_DIR PORT — Parley as its users serve it (`parley serve`, 2 workers),
# measured with wrk (2 threads x 16 connections, as the shared peer benchmark) on the guest
# forum page, thread page 1 and last page, and thread page 1 signed in; with the guest page
# cache on and off, keep-alive off (the default) and on. Prints req/s, p50 and p99, and
# the resident memory of each process at idle and under load. The data set is the peer
# benchmark's (bench/peers/seed_parley.py into DATA_DIR). Figures only; asserts nothing.
set -euo pipefail
DATA="${1:?DATA_DIR}"; PORT="${2:?PORT}"
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(dirname "$HERE")"
export PARLEY_DATA_DIR="$DATA" DJANGO_SETTINGS_MODULE=parley.settings
DURATION="${DURATION:-10s}"; WARMUP="${WARMUP:-3s}"
PARLEY="$ROOT/.venv/bin/parley"
mapfile -t specs < <(cd "$ROOT" && .venv/bin/python bench/peers/seed_parley.py --urls 2>/dev/null)
SESSION="$(cd "$ROOT" && "$PARLEY" shell -c '
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from parley.members.models import Member
u = Member.objects.get(username="benchuser01")
s = SessionStore()
s[SESSION_KEY] = str(u.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = u.get_session_auth_hash()
s.create()
print(s.session_key)' | tail -n1)"

rss() { # resident memory (MB) of the server's processes (its process group)
  local pgid; pgid="$(ps -o pgid= -p "$(cat "$DATA/spike-serve.pid")" | tr -d ' ')"
  ps -o rss=,args= -g "$pgid" | awk '{name = ($0 ~ /db_worker/) ? "task-worker" : "gunicorn"; printf "%s:%dMB ", name, $1 / 1024}'
}
start() {
  (cd "$ROOT" && PORT="$PORT" WORKERS=2 HOST=127.0.0.1 setsid "$PARLEY" serve --periodic-every 0 >"$DATA/spike-serve.log" 2>&1 & echo $! >"$DATA/spike-serve.pid")
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0; sleep 0.5; done
  echo "parley serve did not start" >&2; tail -20 "$DATA/spike-serve.log" >&2; exit 1
}
stop() { local pid; pid="$(cat "$DATA/spike-serve.pid")"; kill -TERM -- "-$pid" 2>/dev/null || true; sleep 3; kill -KILL -- "-$pid" 2>/dev/null || true; }
measure() { # label url [wrk args]
  local label="$1" url="$2"; shift 2
  wrk -t2 -c16 -d"$WARMUP" "$@" "$url" >/dev/null 2>&1 || true
  local out; out="$(wrk -t2 -c16 -d"$DURATION" --latency "$@" "$url")"
  local mem; mem="$(rss)"
  printf '%-38s %9s req/s  p50 %8s  p99 %8s  load %s  %s\n' "$label" \
    "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="50%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(cut -d' ' -f1 /proc/loadavg)" "$mem"
}
run_set() {
  local name="$1"
  start
  echo "-- $name (idle: $(rss))"
  for spec in "${specs[@]}"; do
    label="${spec%%=*}"; path="${spec#*=}"; path="${path%%|*}"
    measure "$name $label" "http://127.0.0.1:$PORT$path"
  done
  thread="$(printf '%s\n' "${specs[@]}" | sed -n 's/^thread_p1=\([^|]*\).*/\1/p')"
  measure "$name thread_p1 signed in" "http://127.0.0.1:$PORT$thread" -H "Cookie: sessionid=$SESSION"
  stop
}
echo "# $(date -u +%FT%TZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) wrk -t2 -c16 -d$DURATION"
PARLEY_GUEST_CACHE=1 run_set "cache on, keep-alive 0 "
PARLEY_GUEST_CACHE=0 run_set "cache off, keep-alive 0"
PARLEY_KEEPALIVE=2 PARLEY_GUEST_CACHE=1 run_set "cache on, keep-alive 2 "
