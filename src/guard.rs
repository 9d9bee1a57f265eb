//! Containment of internal errors: a bug met on one odd file or article
//! must not end a long indexing run, nor print a Rust panic report.
//!
//! [`catch`] runs a step and turns a panic inside it into an `Err` with
//! the panic's message and source location, for the caller to report
//! against the file or article it was working on. [`install_panic_hook`]
//! (called once by the binary) keeps such caught panics quiet and prints
//! any other as one `newsdex: internal error …` line.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// Whether this thread is inside [`catch`], whose caller reports the panic.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The last panic's description on this thread, left by the hook.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `step`; a panic inside it becomes `Err("MESSAGE at FILE:LINE")`.
/// Only for steps whose partial work is thrown away on failure (parsing
/// one file, extracting one article's entities).
pub fn catch<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    let outer = CATCHING.replace(true);
    let result = panic::catch_unwind(AssertUnwindSafe(step));
    CATCHING.set(outer);
    result.map_err(|payload| {
        LAST_PANIC
            .take()
            .unwrap_or_else(|| payload_message(payload.as_ref()).to_string())
    })
}

/// Replaces Rust's panic report with one line: the panic's message and
/// location, and a request to report the bug. Panics caught by [`catch`]
/// print nothing here; their caller reports them.
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let description = match info.location() {
            Some(at) => format!(
                "{} at {}:{}",
                payload_message(info.payload()),
                at.file(),
                at.line()
            ),
            None => payload_message(info.payload()).to_string(),
        };
        if CATCHING.get() {
            LAST_PANIC.set(Some(description));
        } else {
            eprintln!(
                "newsdex: internal error: {description}. This is a bug in newsdex; \
                 please report it with the command and the files it read."
            );
        }
    }));
}

/// The text of a panic payload (`panic!("…")` gives a `&str` or a `String`).
fn payload_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_becomes_its_message_and_the_work_goes_on() {
        install_panic_hook();
        assert_eq!(catch(|| 41 + 1), Ok(42));
        let err = catch(|| -> u32 { panic!("bad span {}", 7) }).unwrap_err();
        assert!(err.starts_with("bad span 7 at "), "{err}");
        assert!(err.contains("guard.rs:"), "{err}");
        // Nested: the inner failure is the inner caller's to report.
        let outer = catch(|| catch(|| -> u8 { panic!("inner") }).unwrap_err());
        assert!(outer.unwrap().starts_with("inner at "));
        let _ = panic::take_hook();
    }
}
