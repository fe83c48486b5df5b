#!/usr/bin/env bash
# Issue 16 item 7: what a poll with nothing new costs when many records share one time.
#   tests/bench/repoll.sh [overlap|keyset] [BUILD]   (default: keyset, build)
# The sandbox portal gets 40,000 leads changed in the same second; a first run of the demo project
# delivers them (CRM and portal limits lifted), a second run with nothing new is measured: wall time,
# CPU time and the portal calls it made. "overlap" polls with the overlap window only, "keyset"
# resumes after the last id read (after_id_param).
set -euo pipefail
mode=${1:-keyset}
build=${2:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
run=$root/$build/app/transom-run sandbox=$root/$build/app/transom-sandbox
d=$(mktemp -d "${TMPDIR:-/tmp}/repoll.XXXXXX")
"$sandbox" --port 0 --crm-rate-limit 0 >"$d/sandbox.out" 2>&1 &
sp=$!
trap 'kill $sp; rm -rf "$d"' EXIT
for _ in $(seq 50); do grep -q listening "$d/sandbox.out" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$d/sandbox.out")
curl -s -XPOST "$base/_admin/portal/leads" -d '{"count": 40000}' >/dev/null
after_id=after_id
[ "$mode" = overlap ] && after_id=
sed "s|@RESOURCES@|$root/resources|; s|http://127.0.0.1:8765|$base|g" "$root/resources/demo/project.json" |
    python3 -c '
import json, sys
p = json.load(sys.stdin)
p["connections"]["portal"]["limits"] = {"windows": [{"limit": 100000, "per": "minute"}], "max_in_flight": 2}
p["connections"]["portal"]["settings"] = {"after_id_param": sys.argv[1]}
p["connections"]["crm"]["limits"] = {"windows": [{"limit": 1000000, "per": "10s"}], "max_in_flight": 16}
json.dump(p, sys.stdout)' "$after_id" >"$d/project.json"
install -m 600 "$root/resources/demo/credentials.json" "$d/credentials.json"
calls() { curl -s "$base/_admin/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("requests.portal.leads", 0))'; }
/usr/bin/time -f "first run: %e s wall, %U s user + %S s system CPU" "$run" run "$d/project.json" >/dev/null || true
before=$(calls)
/usr/bin/time -f "nothing new ($mode): %e s wall, %U s user + %S s system CPU" "$run" run "$d/project.json" || true
echo "portal calls with nothing new: $(($(calls) - before))"
