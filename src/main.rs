/// mimalloc instead of the system allocator: a build makes millions of small allocations
/// (template values, strings), and glibc's malloc and free were a sixth of all instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    bantin::cli::run()
}
