#!/usr/bin/env bash
# bench/peers/compare.sh — Spirit and `parley serve` side by side, interleaved rounds, the
# shared peer benchmark's load (wrk -t2 -c16) and data set. Both must be installed and
# running already (see bench/README.md for the commands): SPIRIT=http://127.0.0.1:PORT,
# PARLEY=http://127.0.0.1:PORT, SPIRIT_SESSION / PARLEY_SESSION = a signed-in session id.
# Prints one line per page and peer per round, and the Parley ÷ Spirit ratio of req/s.
# NGINX=http://127.0.0.1:PORT NGINX_WWW=DIR (optional): nginx serving the exact bytes of
# Parley's guest pages (saved into DIR/parley-serve/ here first; start nginx with the shared
# setup_nginx.sh, NGINX_SOURCES=parley-serve) is measured in each round too: the ceiling.
set -euo pipefail
ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-8s}"; WARMUP="${WARMUP:-2s}"
SPIRIT_THREAD=/topic/200/benchmark-big-thread-0001-with-five-hundred-posts/
declare -A SPIRIT_PAGES=(
  [forum]=/category/3/benchmark-forum/ [thread_p1]=$SPIRIT_THREAD [thread_last]="$SPIRIT_THREAD?page=25"
)
declare -A PARLEY_PAGES=([forum]=/forums/1/ [thread_p1]=/threads/200/ [thread_last]="/threads/200/?page=25")
one() { # url [cookie] -> "rps p50 p99"
  local url="$1" cookie="${2:-}" args=()
  [ -n "$cookie" ] && args=(-H "Cookie: sessionid=$cookie")
  wrk -t2 -c16 -d"$WARMUP" "${args[@]}" "$url" >/dev/null 2>&1 || true
  local out; out="$(wrk -t2 -c16 -d"$DURATION" --latency "${args[@]}" "$url")"
  echo "$(awk '/Requests\/sec/{print $2}' <<<"$out") $(awk '$1=="50%"{print $2}' <<<"$out") $(awk '$1=="99%"{print $2}' <<<"$out")"
}
if [ -n "${NGINX:-}" ]; then
  mkdir -p "$NGINX_WWW/parley-serve"
  for base in forum thread_p1 thread_last; do
    curl -sf -o "$NGINX_WWW/parley-serve/$base.html" "$PARLEY${PARLEY_PAGES[$base]}"
  done
fi
echo "# $(date -u +%FT%TZ) nproc=$(nproc) wrk -t2 -c16 -d$DURATION, $ROUNDS interleaved rounds"
for round in $(seq 1 "$ROUNDS"); do
  for page in forum thread_p1 thread_last thread_p1_signed_in; do
    base="${page%_signed_in}"
    if [ "$page" = thread_p1_signed_in ]; then s_cookie="$SPIRIT_SESSION"; p_cookie="$PARLEY_SESSION"; else s_cookie=""; p_cookie=""; fi
    read -r s_rps s_p50 s_p99 < <(one "$SPIRIT${SPIRIT_PAGES[$base]}" "$s_cookie")
    load_s="$(cut -d' ' -f1 /proc/loadavg)"
    read -r p_rps p_p50 p_p99 < <(one "$PARLEY${PARLEY_PAGES[$base]}" "$p_cookie")
    load_p="$(cut -d' ' -f1 /proc/loadavg)"
    ratio="$(python3 -c "print(f'{$p_rps / $s_rps:.1f}')")"
    printf 'round %s %-20s spirit %8s req/s p50 %8s p99 %8s (load %s) | parley %8s req/s p50 %8s p99 %8s (load %s) | x%s\n' \
      "$round" "$page" "$s_rps" "$s_p50" "$s_p99" "$load_s" "$p_rps" "$p_p50" "$p_p99" "$load_p" "$ratio"
    if [ -n "${NGINX:-}" ] && [ "$page" = "$base" ]; then
      read -r n_rps n_p50 n_p99 < <(one "$NGINX/parley-serve/$base.html")
      printf 'round %s %-20s nginx, the same bytes %8s req/s p50 %8s p99 %8s | parley / nginx %s\n' \
        "$round" "$page" "$n_rps" "$n_p50" "$n_p99" "$(python3 -c "print(f'{$p_rps / $n_rps:.3f}')")"
    fi
  done
done
