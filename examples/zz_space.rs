use std::collections::BTreeMap;
fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap();
    let index = newsdex::indexer::open_existing(std::path::Path::new(&path))?;
    let searcher = index.reader()?.searcher();
    let usage = searcher.space_usage()?;
    let mut per: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut store = 0u64;
    for seg in usage.segments() {
        for (part, pf) in [
            ("term", seg.termdict()),
            ("idx", seg.postings()),
            ("pos", seg.positions()),
            ("fast", seg.fast_fields()),
            ("norm", seg.fieldnorms()),
        ] {
            for f in pf.fields() {
                *per.entry((f.field_name().to_string(), part.to_string()))
                    .or_default() += f.total().get_bytes();
            }
        }
        store += seg.store().total().get_bytes();
    }
    let total: u64 = per.values().sum::<u64>() + store;
    for ((f, p), b) in &per {
        if *b * 200 > total {
            println!("{f:16} {p:5} {:9.2} MB", *b as f64 / 1e6);
        }
    }
    println!(
        "store {:.2} MB; total {:.2} MB",
        store as f64 / 1e6,
        total as f64 / 1e6
    );
    Ok(())
}
