#!/usr/bin/env bash
# The general engine's cost (docs/performance.md, "Model format 2 and
# records"): kdl before the engine (commit 324b9b4) against this build on a
# generated 10,000-system catalog, and records on every system against none.
# CPU time (user+sys) of the kdl process, medians of interleaved rounds.
#
#   scripts/bench-engine.sh            # ROUNDS=7 SYSTEMS=10000 by default
#
# Needs: cargo, git, python3. Work goes to $BENCH_DIR (default
# /tmp/kdl-bench-engine); the old build to $BENCH_DIR/old.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
SYSTEMS=${SYSTEMS:-10000}
BENCH_DIR=${BENCH_DIR:-/tmp/kdl-bench-engine}
OLD_REV=324b9b4
mkdir -p "$BENCH_DIR"

cargo build --release --quiet --bin kdl --example gen_catalog
NEW=$PWD/target/release/kdl
GEN=$PWD/target/release/examples/gen_catalog
if [ ! -x "$BENCH_DIR/old/target/release/kdl" ]; then
  rm -rf "$BENCH_DIR/old"
  git worktree add --force --detach "$BENCH_DIR/old" "$OLD_REV" >/dev/null
  (cd "$BENCH_DIR/old" && cargo build --release --quiet --bin kdl)
fi
OLD=$BENCH_DIR/old/target/release/kdl

A=$BENCH_DIR/cat-$SYSTEMS
[ -f "$A/kdl.yaml" ] || "$GEN" --systems "$SYSTEMS" --out "$A" --seed 1 >/dev/null 2>&1
# B0: the Kungsbacka model inside the catalog with a record type declared;
# B1: plus a require/record instance and one record on every system.
for v in B0 B1; do
  d=$BENCH_DIR/$v-$SYSTEMS
  [ -f "$d/kdl.yaml" ] && continue
  rm -rf "$d"
  cp -r "$A" "$d"
  sed -i 's|^model: .*|model: ./model.yaml|' "$d/kdl.yaml"
  python3 - "$d" "$v" "$PWD/rules/kungsbacka-2023.1.yaml" <<'PY'
import glob, os, sys
d, v, model = sys.argv[1:]
m = open(model, encoding="utf-8").read()
rt = ("record-types:\n  godkannande:\n    label: Godkännande av system\n"
      "    label-en: Approval of a system\n    on: [system]\n    by: person\n")
m = m.replace("\nrules:\n", "\n" + rt + "\nrules:\n", 1)
if v == "B1":
    m += ("\n  bench/godkannande:\n    kind: require/record\n    severity: error\n"
          "    source: bench\n    applies-to: {entity: system}\n"
          "    params: {record: godkannande}\n")
open(os.path.join(d, "model.yaml"), "w", encoding="utf-8").write(m)
if v == "B1":
    person = sorted(os.listdir(os.path.join(d, "personer")))[0][:-5]
    for f in glob.glob(os.path.join(d, "system", "**", "*.yaml"), recursive=True):
        with open(f, "a", encoding="utf-8") as out:
            out.write(f"records:\n  - type: godkannande\n    date: 2025-01-15\n    by: {person}\n")
PY
done

cpu() { # cpu ROUNDS name=cmd ...
  python3 - "$@" <<'PY'
import resource, statistics, subprocess, sys
rounds = int(sys.argv[1]); cmds = [a.split("=", 1) for a in sys.argv[2:]]
res = {n: [] for n, _ in cmds}
for r in range(rounds + 1):          # round 0 warms the page cache
    for n, c in cmds:
        b = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(c.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        a = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r:
            res[n].append(a.ru_utime - b.ru_utime + a.ru_stime - b.ru_stime)
base = statistics.median(res[cmds[0][0]])
print("| run | CPU (user+sys) median | min | ratio |\n|---|---:|---:|---:|")
for n, _ in cmds:
    med = statistics.median(res[n])
    print(f"| {n} | {med:.3f} s | {min(res[n]):.3f} s | {med / base:.2f} |")
PY
}
ARGS="--format json --as-of 2026-11-23"
echo "machine: $(nproc) cores; $SYSTEMS systems; $ROUNDS rounds"
echo; echo "before the engine ($OLD_REV) vs this build:"
cpu "$ROUNDS" "before=$OLD lint $A $ARGS" "now=$NEW lint $A $ARGS"
echo; echo "no records vs a record on every system:"
cpu "$ROUNDS" "no-records=$NEW lint $BENCH_DIR/B0-$SYSTEMS $ARGS" "records=$NEW lint $BENCH_DIR/B1-$SYSTEMS $ARGS"
