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
    if matches!(
        cli.command,
        cli::Command::Search(_) | cli::Command::Facets(_) | cli::Command::Stats(_)
    ) {
        small_pages_only();
    }
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

/// Keeps a one-shot query process off transparent huge pages where the
/// system hands them out unasked (`always`; mimalloc no longer asks, see
/// Cargo.toml): the kernel zeroes each 2 MB page when it is first touched,
/// though a query allocates a few MB in all. On a million-article index,
/// when mimalloc still asked for them, faceted searches for `oil` and
/// `election` took about 2 ms less (of 31-38 ms) with the flag set, a
/// phrase query the same. The flag is the process's own; where it cannot
/// be set, nothing changes. True when it was set.
fn small_pages_only() -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    return rustix::thread::disable_transparent_huge_pages(true).is_ok();
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    false
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    #[test]
    fn query_processes_turn_huge_pages_off() {
        if !super::small_pages_only() {
            eprintln!("skipped: this system refuses PR_SET_THP_DISABLE");
            return;
        }
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}
