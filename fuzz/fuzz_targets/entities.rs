//! Fuzzes entity extraction (tokenizer, sentence splitter, detector,
//! normalisation) and country resolution on arbitrary text. The first byte
//! splits the input into a title and a body, so both paths are exercised.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdex::entities::{self, tokenize};
use newsdex::Article;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let cut = (split as usize * text.len() / 255).min(text.len());
    let cut = (0..=cut)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let (title, body) = text.split_at(cut);

    for sentence in tokenize::tokenize(&text) {
        for token in sentence {
            let _ = token;
        }
    }
    let _ = tokenize::sentences(&text);
    let article = Article {
        id: "fuzz".into(),
        path: "fuzz".into(),
        title: title.to_string(),
        body: body.to_string(),
        ..Article::default()
    };
    let _ = entities::extract(&article);
    let _ = entities::resolve_country(title);
});
