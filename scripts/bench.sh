#!/usr/bin/env bash
# End-to-end benchmark of `kdl lint --format json` on generated catalogs.
#
#   scripts/bench.sh                 # 1k, 10k and 100k systems
#   SIZES="1000 10000" scripts/bench.sh
#   RUNS=11 scripts/bench.sh         # rounds per size (default 7, 3 at 100k)
#   KDL=/path/to/kdl scripts/bench.sh   # that binary (no build)
#   COMPARE=1 scripts/bench.sh       # also check-jsonschema and a plain YAML parse (10k)
#   PR_SIZES="10000" REPORT_SIZES="10000" scripts/bench.sh
#                                    # sizes of the --changed-since and report rows
#                                    # (default: 10k and 100k when measured above; "" skips)
#
# Each size prints kdl next to the read floor (`find … -print0 | xargs -0
# cat`: reading every byte, nothing else), measured in the same interleaved
# rounds, and their ratio.
#
# Needs: cargo; GNU time (/usr/bin/time); for COMPARE=1 also python3 and
# hyperfine (installed with `cargo install hyperfine` if missing).
# Catalogs go to $BENCH_DIR (default /tmp/kdl-bench), generated once per size
# and seed (delete the directory to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000 100000"}
BENCH_DIR=${BENCH_DIR:-/tmp/kdl-bench}
AS_OF=2026-11-23
mkdir -p "$BENCH_DIR"

# KDL=path/to/kdl measures that binary instead of building this tree.
if [ -z "${KDL:-}" ]; then
  cargo build --release --quiet --bin kdl --example gen_catalog
  KDL=$PWD/target/release/kdl
fi
GEN=$PWD/target/release/examples/gen_catalog

# Wall, CPU (user+sys) and peak RSS of one command, from GNU time:
# prints "wall user sys rss_kb".
measure() {
  /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.txt" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$BENCH_DIR/time.txt"
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "kdl: $($KDL --version)"
echo "read floor: find DIR -name '*.yaml' -print0 | xargs -0 cat >/dev/null (the same catalog, in the same rounds)"
printf '\n| systems | files | MB | read floor (wall) | kdl wall | kdl CPU (user+sys) | kdl / floor (wall) | files/s | peak RSS |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'

for n in $SIZES; do
  dir=$BENCH_DIR/cat-$n
  if [ ! -f "$dir/kdl.yaml" ]; then
    [ -x "$GEN" ] || cargo build --release --quiet --example gen_catalog
    "$GEN" --systems "$n" --out "$dir" --seed 1 >/dev/null 2>&1
  fi
  files=$(find "$dir/" -name '*.yaml' | wc -l)
  mb=$(du -sm --apparent-size "$dir/" | cut -f1)
  runs=${RUNS:-7}; [ "$n" -ge 100000 ] && runs=${RUNS:-3}
  # One warm-up of each, then interleaved rounds (floor, kdl): on a shared
  # machine both see the same load. Medians of each.
  measure sh -c "find '$dir/' -name '*.yaml' -print0 | xargs -0 cat" >/dev/null
  measure "$KDL" lint "$dir" --format json --as-of "$AS_OF" >/dev/null
  : >"$BENCH_DIR/floor-$n.txt"; : >"$BENCH_DIR/kdl-$n.txt"
  for _ in $(seq "$runs"); do
    measure sh -c "find '$dir/' -name '*.yaml' -print0 | xargs -0 cat" >>"$BENCH_DIR/floor-$n.txt"
    measure "$KDL" lint "$dir" --format json --as-of "$AS_OF" >>"$BENCH_DIR/kdl-$n.txt"
  done
  floor=$(awk '{print $1}' "$BENCH_DIR/floor-$n.txt" | median)
  wall=$(awk '{print $1}' "$BENCH_DIR/kdl-$n.txt" | median)
  cpu=$(awk '{print $2 + $3}' "$BENCH_DIR/kdl-$n.txt" | median)
  rss=$(awk '{print $4}' "$BENCH_DIR/kdl-$n.txt" | sort -g | tail -n 1)
  ratio=$(awk -v k="$wall" -v f="$floor" 'BEGIN{printf "%.2f", (f > 0) ? k / f : 0}')
  fps=$(awk -v f="$files" -v t="$wall" 'BEGIN{printf "%.0f", (t > 0) ? f / t : 0}')
  printf '| %s | %s | %s | %s s | %s s | %s s | %s× | %s | %s MB |\n' \
    "$n" "$files" "$mb" "$floor" "$wall" "$cpu" "$ratio" "$fps" "$((rss / 1024))"
done
echo "(medians of interleaved rounds after a warm-up: ${RUNS:-7, 3 at 100k}; RUNS=N to change)"

# Interleaved rounds of two commands; prints "wall_a wall_b cpu_a cpu_b rss_a rss_b"
# (medians; RSS the largest seen).
pair() {
  local runs=$1 a=$2 b=$3
  : >"$BENCH_DIR/a.txt"; : >"$BENCH_DIR/b.txt"
  sh -c "$a" >/dev/null 2>&1 || true; sh -c "$b" >/dev/null 2>&1 || true
  for _ in $(seq "$runs"); do
    measure sh -c "$a" >>"$BENCH_DIR/a.txt"
    measure sh -c "$b" >>"$BENCH_DIR/b.txt"
  done
  echo "$(awk '{print $1}' "$BENCH_DIR/a.txt" | median) $(awk '{print $1}' "$BENCH_DIR/b.txt" | median)" \
    "$(awk '{print $2+$3}' "$BENCH_DIR/a.txt" | median) $(awk '{print $2+$3}' "$BENCH_DIR/b.txt" | median)" \
    "$(awk '{print $4}' "$BENCH_DIR/a.txt" | sort -g | tail -n 1) $(awk '{print $4}' "$BENCH_DIR/b.txt" | sort -g | tail -n 1)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (a > 0) ? b / a : 0}'; }
default_sizes=$(for n in $SIZES; do if [ "$n" -ge 10000 ]; then printf "%s " "$n"; fi; done)

# Pull-request mode: a git repository made from the catalog, one person
# file changed on a branch; `--changed-since main` against a full lint of
# the same checkout.
PR_SIZES=${PR_SIZES-$default_sizes}
if [ -n "${PR_SIZES// /}" ]; then
  printf '\n`--changed-since main` (one changed file) next to a full lint of the same git checkout:\n\n'
  printf '| systems | full lint wall | --changed-since wall | ratio | full CPU | PR CPU | full RSS | PR RSS |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  for n in $PR_SIZES; do
    repo=$BENCH_DIR/git-$n
    if [ ! -d "$repo/.git" ]; then
      rm -rf "$repo"; cp -r "$BENCH_DIR/cat-$n" "$repo"
      g() { git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid -c commit.gpgsign=false "$@"; }
      g init -q -b main && g add -A && g commit -qm base && g checkout -qb change
      person=$(find "$repo/personer" -name '*.yaml' | sort | head -n 1)
      sed -i 's/^name: \(.*\)$/name: \1 (ändrad)/' "$person"
      g commit -qam "one person renamed"
    fi
    runs=${RUNS:-7}; [ "$n" -ge 100000 ] && runs=${RUNS:-3}
    read -r wa wb ca cb ra rb < <(pair "$runs" \
      "cd '$repo' && '$KDL' lint . --format json --as-of $AS_OF" \
      "cd '$repo' && '$KDL' lint . --format json --as-of $AS_OF --changed-since main")
    printf '| %s | %s s | %s s | %s× | %s s | %s s | %s MB | %s MB |\n' \
      "$n" "$wa" "$wb" "$(ratio "$wa" "$wb")" "$ca" "$cb" "$((ra / 1024))" "$((rb / 1024))"
  done
fi

# The yearly report next to a lint of the same catalog, per format.
REPORT_SIZES=${REPORT_SIZES-$default_sizes}
if [ -n "${REPORT_SIZES// /}" ]; then
  printf '\n`kdl report --year 2026` next to `kdl lint` of the same catalog:\n\n'
  printf '| systems | format | lint wall | report wall | ratio | lint RSS | report RSS | ratio |\n|---:|---|---:|---:|---:|---:|---:|---:|\n'
  for n in $REPORT_SIZES; do
    dir=$BENCH_DIR/cat-$n
    runs=${RUNS:-5}; [ "$n" -ge 100000 ] && runs=${RUNS:-3}
    for fmt in html md json xlsx; do
      read -r wa wb _ _ ra rb < <(pair "$runs" \
        "'$KDL' lint '$dir' --format json --as-of $AS_OF" \
        "'$KDL' report '$dir' --year 2026 --as-of $AS_OF --format $fmt -o '$BENCH_DIR/report.$fmt' --force")
      printf '| %s | %s | %s s | %s s | %s× | %s MB | %s MB | %s× |\n' \
        "$n" "$fmt" "$wa" "$wb" "$(ratio "$wa" "$wb")" "$((ra / 1024))" "$((rb / 1024))" "$(ratio "$ra" "$rb")"
    done
  done
fi

echo
echo "stage breakdown (largest size, one run):"
last=$(echo "$SIZES" | awk '{print $NF}')
"$KDL" lint "$BENCH_DIR/cat-$last" --format json --as-of "$AS_OF" --timings 2>&1 >/dev/null | sed 's/^/    /' || true

if [ "${COMPARE:-0}" = 1 ]; then
  if ! command -v hyperfine >/dev/null; then
    echo "installing hyperfine (cargo install hyperfine)…" >&2
    cargo install --quiet --locked hyperfine@1.20.0   # 2.x needs a newer rustc
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  dir=$BENCH_DIR/cat-10000
  [ -f "$dir/kdl.yaml" ] || "$GEN" --systems 10000 --out "$dir" --seed 1 >/dev/null 2>&1
  venv=$BENCH_DIR/venv
  [ -x "$venv/bin/check-jsonschema" ] || { python3 -m venv "$venv" && "$venv/bin/pip" -q install check-jsonschema pyyaml; }
  "$KDL" schema system > "$BENCH_DIR/system.schema.json"
  echo
  echo "side by side on the 10k catalog:"
  hyperfine --style basic --warmup 1 --runs 3 -i \
    -n "kdl lint (all files, all rules)" "$KDL lint $dir --format json --as-of $AS_OF" \
    -n "cat (read every byte)" "find $dir -name '*.yaml' -exec cat {} + >/dev/null" \
    -n "PyYAML CSafeLoader (parse only)" "$venv/bin/python -c \"import yaml,pathlib;[yaml.load(p.read_bytes(),Loader=yaml.CSafeLoader) for p in pathlib.Path('$dir').rglob('*.yaml')]\"" \
    -n "check-jsonschema (system files, schema only)" "$venv/bin/check-jsonschema --schemafile $BENCH_DIR/system.schema.json $dir/system/*.yaml $dir/system/*/*.yaml"
fi
