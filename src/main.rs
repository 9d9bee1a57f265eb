//! The `newsdex` binary: parse the command line, run the command, map the
//! outcome to an exit code (0 results, 1 no results, 2 error). All the work
//! happens in the library; `app` glues it to the terminal.

mod app;
mod cli;

use std::process::ExitCode;

// Indexing is allocation-heavy on several threads (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    newsdex::guard::install_panic_hook();
    let cli = cli::Cli::parse_args();
    match app::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`newsdex search x | head`) is not an error.
            if err
                .chain()
                .any(|cause| matches!(cause.downcast_ref::<std::io::Error>(), Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe))
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("newsdex: {err:#}");
            ExitCode::from(2)
        }
    }
}
