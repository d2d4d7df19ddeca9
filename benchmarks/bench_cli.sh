#!/usr/bin/env bash
# Cold start of the command line: medians of fresh processes, measured with hyperfine.
#
#   benchmarks/bench_cli.sh            # 30 runs each, 3 warm-ups
#   RUNS=50 benchmarks/bench_cli.sh
#
# Prints a table of medians, then which heavy modules (rdflib, networkx, pyvis, pyshacl,
# owlrl, pandas) each command imports: a command that does not need them should not pay.
set -euo pipefail

RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
# The interpreter and the entry point themselves, not wrapper scripts (a pyenv shim adds ~150 ms).
PY=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}
RG=${RELAXGRAPH:-$(dirname "$PY")/relaxgraph}
[ -x "$RG" ] || RG=$(command -v relaxgraph)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

command -v hyperfine >/dev/null || { echo "needs hyperfine (Debian: apt-get install hyperfine)" >&2; exit 2; }

COUNT='SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
names=("python -c pass" "relaxgraph --help" "relaxgraph query -e COUNT" "relaxgraph query side-effects" "python -c 'import rdflib'")
cmds=("$PY -c pass" "$RG --help" "$RG query -e '$COUNT'" "$RG query side-effects" "$PY -c 'import rdflib'")

for i in "${!cmds[@]}"; do
  hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/$i.json" "${cmds[$i]}" >/dev/null 2>&1 \
    || { echo "failed: ${cmds[$i]}" >&2; continue; }
done

"$PY" - "$OUT" "${names[@]}" <<'EOF'
import json, statistics, sys
from pathlib import Path
out, names = Path(sys.argv[1]), sys.argv[2:]
print(f"| command | median ms | min ms | runs |")
print("|---|---|---|---|")
for i, name in enumerate(names):
    f = out / f"{i}.json"
    if not f.exists() or not f.read_text().strip():
        print(f"| {name} | failed | | |")
        continue
    r = json.loads(f.read_text())["results"][0]
    times = r["times"]
    print(f"| `{name}` | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} | {len(times)} |")
EOF

echo
echo "Heavy imports per command (python -X importtime):"
for args in "--help" "query -e '$COUNT'" "query side-effects"; do
  heavy=$(eval "$PY -X importtime -m relaxgraph $args" 2>&1 >/dev/null \
    | grep -oE '\| +(rdflib|networkx|pyvis|pyshacl|owlrl|pandas)$' | awk '{print $2}' | sort -u | tr '\n' ' ') || true
  echo "  relaxgraph $args: ${heavy:-none}"
done
