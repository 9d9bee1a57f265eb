//! Tests against the shared CoNLL-2003 data. They look for it at
//! `$NEWSDEX_SHARED` or `$CARGO_MANIFEST_DIR/../shared` and skip, saying
//! why, when it is absent, so that `cargo test` passes anywhere.

use std::path::PathBuf;

use super::{evaluate, read_conll, EntityType, Iob, Tagger};

/// The shared data folder, or `None` (with a note on stderr) to skip.
fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("NEWSDEX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    match dir.join("data/conll2003/eng.testa").try_exists() {
        Ok(true) => Some(dir),
        _ => {
            eprintln!(
                "skipping: no CoNLL-2003 data under {} (set NEWSDEX_SHARED)",
                dir.display()
            );
            None
        }
    }
}

#[test]
fn conll_counts_match_the_shared_task_paper() {
    let Some(dir) = shared() else { return };
    let conll = dir.join("data/conll2003");
    for (file, docs, sents, tokens, ents) in [
        (
            "eng.train",
            946,
            14_041,
            203_621,
            [6_600, 7_140, 6_321, 3_438],
        ),
        ("eng.testa", 216, 3_250, 51_362, [1_842, 1_837, 1_341, 922]),
    ] {
        let d = read_conll(&conll.join(file)).expect("readable");
        assert_eq!(d.len(), docs, "{file}");
        assert_eq!(d.iter().map(|d| d.sentences.len()).sum::<usize>(), sents);
        assert_eq!(d.iter().map(|d| d.token_count()).sum::<usize>(), tokens);
        let mut counts = [0usize; 4];
        for s in d.iter().flat_map(|d| &d.sentences) {
            for c in super::chunks(&s.tags) {
                counts[c.kind.index()] += 1;
            }
        }
        assert_eq!(counts, ents, "{file}");
    }
}

#[test]
fn embedded_model_scores_on_dev() {
    let Some(dir) = shared() else { return };
    let docs = read_conll(&dir.join("data/conll2003/eng.testa")).expect("readable");
    let r = evaluate(Tagger::embedded(), &docs);
    // A floor well below the measured score: catches a broken build or
    // a stale model, not small regressions.
    assert!(r.overall.f1 > 0.90, "{:?}", r.overall);
    assert!(r.per_type.get(EntityType::Per).f1 > 0.90);
    assert_eq!(r.tokens, 51_362);
    // Perfect predictions score 1.
    let mut s = super::Scorer::new();
    for sent in docs.iter().flat_map(|d| &d.sentences) {
        s.add(&sent.tags, &sent.tags);
    }
    assert_eq!(s.overall().f1, 1.0);
    let _ = Iob::O;
}
