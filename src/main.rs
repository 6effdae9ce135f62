/// mimalloc: rendering allocates many small strings and JSON values on every thread; glibc's
/// allocator spent about a fifth of a 10 000-article build in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bantin::cli::run()
}
