/// mimalloc instead of the system allocator: a build makes millions of small allocations
/// (template values, strings), and glibc's malloc and free were a sixth of all instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    bantin::cli::run()
}

/// mimalloc asks for transparent huge pages. Where the kernel compacts memory on demand for
/// them (`defrag = madvise`, Debian's default), page faults then waited for compaction: system
/// time of a 10 000-article build went from 0.6 s to 1.0–1.4 s, unpredictably. Small pages cost
/// a little more user time and are steady.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integer arguments and only sets a flag of this
    // process; a failure (kernels before 3.15) leaves things as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
