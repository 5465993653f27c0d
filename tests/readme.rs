//! The README's catalogue figures are checked against the catalogue, so they
//! cannot drift when entries or signal files change.

use std::collections::BTreeMap;

use statusbrowse::catalogue::Catalogue;

const README: &str = include_str!("../README.md");
const START: &str = "<!-- signal-counts -->\n";
const END: &str = "<!-- /signal-counts -->";

/// The block between the markers, as the catalogue says it should read.
fn signal_block(catalogue: &Catalogue) -> String {
    let mut by_emitter: BTreeMap<&str, usize> = BTreeMap::new();
    for signal in catalogue.entries().iter().flat_map(|e| e.signals.iter()) {
        *by_emitter.entry(&*signal.emitter).or_default() += 1;
    }
    let total: usize = by_emitter.values().sum();
    if total == 0 {
        return "No signal files are filled in yet.\n".to_string();
    }
    let mut rows: Vec<(&str, usize)> = by_emitter.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut block = format!("{total} signals from {} emitters:\n\n| Emitter | Signals |\n|---|---|\n", rows.len());
    for (emitter, count) in rows {
        block.push_str(&format!("| {emitter} | {count} |\n"));
    }
    block
}

#[test]
fn readme_counts_match_the_catalogue() {
    let catalogue = Catalogue::embedded().unwrap();
    let mut numbers: Vec<u16> = catalogue.entries().iter().map(|e| e.code).collect();
    numbers.dedup();
    let meanings = format!("{} meanings of {} numbers", catalogue.len(), numbers.len());
    assert!(README.contains(&meanings), "the README should say \"{meanings}\"");
    let entries = format!("{} entries, one per *meaning*", catalogue.len());
    assert!(README.contains(&entries), "the README should say \"{entries}\"");

    let start = README.find(START).expect("README has the signal-counts marker") + START.len();
    let end = README[start..].find(END).expect("README closes the signal-counts marker") + start;
    let expected = signal_block(&catalogue);
    assert_eq!(&README[start..end], expected, "replace the README's signal-counts block with:\n{expected}");
}

/// The overlay example the README shows is the file the overlay tests load.
#[test]
fn readme_overlay_example_is_the_tested_file() {
    let tested = include_str!("data/payments.toml");
    assert!(
        README.contains(&format!("```toml\n{tested}```\n")),
        "README's example differs from tests/data/payments.toml"
    );
}
