fn main() -> std::process::ExitCode {
    bantin::cli::run()
}
