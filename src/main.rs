// mimalloc: the loader allocates many small strings from both threads at
// once; glibc's allocator spent ~15 % of a 10k-system run in malloc/free and
// kept freed arenas resident (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kdl::cli::run_from_args());
}
