//! Fuzzes the markdown parser through `corpus::parse`, which also decodes
//! the bytes (UTF-8, UTF-16 with a BOM, Windows-1252) and rejects binary
//! data. The contract: never panic, whatever the bytes; every article it
//! returns respects the body limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::corpus::{self, Format, ParseOptions};

fuzz_target!(|data: &[u8]| {
    let options = ParseOptions {
        max_body_bytes: 4096,
    };
    if let Ok(parsed) = corpus::parse(Format::Markdown, "fuzz/input", data, &options) {
        for article in &parsed.articles {
            assert!(article.body.len() <= options.max_body_bytes);
        }
    }
});
