//! Stage benchmarks: load (walk + read + parse), validate (schema + typed
//! entities), resolve (index + references), check (all rules), report
//! (JSON), and the whole `lint` run.
//!
//! The catalog is `$KDL_BENCH_CATALOG`, default the bundled `catalog/`.
//! `scripts/bench.sh` generates 1k/10k/100k-system catalogs and runs the
//! end-to-end timings; for a stage breakdown of a big catalog:
//!
//! ```sh
//! cargo run --release --example gen_catalog -- --systems 10000 --out /tmp/kdl-10k
//! KDL_BENCH_CATALOG=/tmp/kdl-10k cargo bench --bench pipeline
//! ```

// Test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use kdl::catalog::{self, Index};
use kdl::config::Config;
use kdl::load::{self, Budget};
use kdl::model::{Model, DEFAULT_MODEL};
use kdl::schema::Schemas;

fn catalog_dir() -> PathBuf {
    std::env::var_os("KDL_BENCH_CATALOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("catalog"))
}

struct Setup {
    root: PathBuf,
    config: Config,
    model: Model,
    schemas: Schemas,
    found: Vec<load::walk::Found>,
}

fn setup() -> Setup {
    let root = catalog_dir();
    let cfg_file = load::read_file(
        &root.join(load::CONFIG_FILE),
        load::CONFIG_FILE.into(),
        load::DEFAULT_MAX_FILE_BYTES,
        Budget::default(),
    );
    let config = match &cfg_file.doc {
        Ok(node) => Config::from_node(node).0,
        Err(e) => panic!("{}: {e:?}", root.display()),
    };
    let model = match Model::builtin(DEFAULT_MODEL) {
        Some(Ok((m, _))) => m,
        _ => panic!("default model"),
    };
    let schemas = Schemas::new(&model).expect("schemas");
    let found = load::walk::walk(&root, &config.exclude);
    Setup {
        root,
        config,
        model,
        schemas,
        found,
    }
}

fn read(s: &Setup) -> Vec<load::SourceFile> {
    load::read_all(&s.root, &s.found, load::DEFAULT_MAX_FILE_BYTES)
}

fn stages(c: &mut Criterion) {
    let s = setup();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let mut g = c.benchmark_group(format!("{} files", s.found.len()));
    g.sample_size(10).measurement_time(Duration::from_secs(8));

    g.bench_function("load: walk", |b| {
        b.iter(|| load::walk::walk(&s.root, &s.config.exclude))
    });
    g.bench_function("load: read+parse", |b| b.iter(|| read(&s)));
    g.bench_function("validate", |b| {
        b.iter_batched(
            || read(&s),
            |files| catalog::build(files, &s.schemas),
            BatchSize::PerIteration,
        )
    });
    let (cat, _) = catalog::build(read(&s), &s.schemas);
    g.bench_function("resolve", |b| {
        b.iter(|| {
            let ix = Index::build(&cat);
            kdl::resolve::resolve(&cat, &ix, &s.model, &s.config).len()
        })
    });
    let ix = Index::build(&cat);
    g.bench_function("check", |b| {
        b.iter(|| {
            let (instances, _) = kdl::check::compile(&s.model, &s.config, |_| true);
            let ctx = kdl::check::Ctx::new(&cat, &ix, &s.model, &s.config, as_of, instances);
            kdl::check::run(&ctx).len()
        })
    });
    let opts = kdl::LintOptions {
        path: Some(s.root.clone()),
        as_of: Some(as_of),
        ..Default::default()
    };
    let run = kdl::lint(&opts).expect("lint");
    g.bench_function("report: json", |b| {
        b.iter(|| kdl::report::json::render(&run, kdl::i18n::Lang::Sv).len())
    });
    g.bench_function("lint (end to end, no output)", |b| {
        b.iter(|| kdl::lint(&opts).map(|r| r.diagnostics.len()))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
