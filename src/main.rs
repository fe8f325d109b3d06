fn main() {
    std::process::exit(kdl::cli::run_from_args());
}
