#!/usr/bin/env bash
# End-to-end benchmark of `kdl lint --format json` on generated catalogs.
#
#   scripts/bench.sh                 # 1k, 10k and 100k systems
#   SIZES="1000 10000" scripts/bench.sh
#   COMPARE=1 scripts/bench.sh       # also check-jsonschema and a plain YAML parse (10k)
#
# Needs: cargo; hyperfine (installed with `cargo install hyperfine` if
# missing); GNU time (/usr/bin/time) for peak RSS; python3 for COMPARE=1.
# Catalogs go to $BENCH_DIR (default /tmp/kdl-bench), generated once per size
# and seed (delete the directory to regenerate).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000 100000"}
BENCH_DIR=${BENCH_DIR:-/tmp/kdl-bench}
AS_OF=2026-11-23
mkdir -p "$BENCH_DIR"

cargo build --release --quiet --bin kdl --example gen_catalog
KDL=$PWD/target/release/kdl
GEN=$PWD/target/release/examples/gen_catalog

if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (cargo install hyperfine)…" >&2
  cargo install --quiet --locked hyperfine@1.20.0   # 2.x needs a newer rustc
  export PATH="$HOME/.cargo/bin:$PATH"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "kdl: $($KDL --version)"
printf '\n| systems | files | MB | wall (mean ± σ) | files/s | user+sys / wall | peak RSS |\n|---:|---:|---:|---:|---:|---:|---:|\n'

for n in $SIZES; do
  dir=$BENCH_DIR/cat-$n
  if [ ! -f "$dir/kdl.yaml" ]; then
    "$GEN" --systems "$n" --out "$dir" --seed 1 >/dev/null 2>&1
  fi
  files=$(find "$dir" -name '*.yaml' | wc -l)
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  runs=10; [ "$n" -ge 100000 ] && runs=3
  hyperfine --style none --warmup 1 --runs "$runs" -i \
    --export-json "$BENCH_DIR/hf-$n.json" \
    "$KDL lint $dir --format json --as-of $AS_OF" >/dev/null 2>&1
  mean=$(python3 -c "import json;r=json.load(open('$BENCH_DIR/hf-$n.json'))['results'][0];print(f\"{r['mean']:.3f} ± {r['stddev']:.3f} s\")" 2>/dev/null \
    || grep -o '"mean": *[0-9.]*' "$BENCH_DIR/hf-$n.json" | head -1 | grep -o '[0-9.]*$')
  meansec=$(grep -o '"mean": *[0-9.e-]*' "$BENCH_DIR/hf-$n.json" | head -1 | grep -o '[0-9.e-]*$')
  # Peak RSS and CPU use from one more run.
  /usr/bin/time -f '%M %U %S %e' -o "$BENCH_DIR/time-$n.txt" \
    "$KDL" lint "$dir" --format json --as-of "$AS_OF" >/dev/null || true
  read -r rss user sys wall < <(tail -n 1 "$BENCH_DIR/time-$n.txt")
  fps=$(awk -v f="$files" -v t="$meansec" 'BEGIN{printf "%.0f", f/t}')
  par=$(awk -v u="$user" -v s="$sys" -v w="$wall" 'BEGIN{printf "%.2f", (u+s)/w}')
  printf '| %s | %s | %s | %s | %s | %s | %s MB |\n' "$n" "$files" "$mb" "$mean" "$fps" "$par" "$((rss / 1024))"
done

echo
echo "stage breakdown (largest size, one run):"
last=$(echo "$SIZES" | awk '{print $NF}')
"$KDL" lint "$BENCH_DIR/cat-$last" --format json --as-of "$AS_OF" --timings 2>&1 >/dev/null | sed 's/^/    /' || true

if [ "${COMPARE:-0}" = 1 ]; then
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
