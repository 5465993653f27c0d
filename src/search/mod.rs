//! Ranking the catalogue against a query, shared by the browser and the CLI.
//!
//! Every query is a list of words (see [`parse`]). Each word matches catalogue
//! words exactly, as a prefix, or within a small edit distance ([`typo`]), and
//! each match is weighted by how rare the word is and where it occurs (BM25,
//! names and signals above prose), so a pasted log line ranks entries by how much
//! of it they explain. On top of that come the rules people rely on (see
//! [`rank`]): an exact code first, a whole name or a long run of a signal's
//! words before partial matches. Words the catalogue lacks are tried as
//! abbreviations, and a short query as an fzf pattern over each entry's names
//! ([`fuzzy`], nucleo).

mod fuzzy;
mod index;
mod parse;
mod query;
mod rank;
mod tokens;
mod typo;

use std::sync::Arc;

use crate::catalogue::{Catalogue, Class, Entry};

use fuzzy::{Fuzzy, LineKind};
use index::Index;
pub use query::{Facet, FacetValue, Filters, Query};
use rank::Ranker;

/// Hits given highlights and a reason, best first. Like fzf, which works out
/// match positions only for the lines on screen, this spares a one-letter query
/// on a large catalogue the work for thousands of rows nobody scrolls to; the
/// embedded catalogue has fewer entries than this.
pub const EXPLAINED_HITS: usize = 250;

/// The embedded catalogue's index, built by `build.rs`.
pub(crate) const EMBEDDED_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/index.bin"));

/// One matching entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Position of the entry in [`Catalogue::entries`].
    pub entry: usize,
    pub score: u32,
    pub highlights: Highlights,
    /// Why an entry matched when its code, name and source did not.
    pub reason: Option<Reason>,
}

/// Character positions (not bytes) that matched, in the fields a result row shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlights {
    pub code: Vec<u32>,
    pub phrase: Vec<u32>,
    /// An alias that matched where the phrase did not ("Payload Too Large" for 413).
    pub alias: Option<(usize, Vec<u32>)>,
    pub source: Vec<u32>,
}

/// What matched in an entry whose code, phrase, aliases and source did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Position in the entry's `signals`.
    Signal(usize),
    /// Query words found in the entry's text, in query order.
    Text(Vec<String>),
}

/// The outcome of one search: the ranked hits of the current tab and filters, and
/// the counts every tab and facet value would have, all from the same pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    pub hits: Vec<Hit>,
    /// (`None` = All, then each class present), entries matching the text and filters.
    pub tab_counts: Vec<(Option<Class>, usize)>,
    /// Every facet value with the number of entries it would show, given the text,
    /// the tab and the other facets' selections.
    pub facet_counts: Vec<(FacetValue, usize)>,
}

impl Results {
    pub fn tab_count(&self, class: Option<Class>) -> usize {
        self.tab_counts.iter().find(|(c, _)| *c == class).map_or(0, |(_, n)| *n)
    }
}

/// Searches one catalogue. The word index is made ready on the first query with
/// words, so listing everything (the browser's first frame, `list`) never waits
/// for it: read back from the bytes `build.rs` wrote for the embedded catalogue,
/// built from the entries for any other.
pub struct Searcher {
    entries: Arc<[Entry]>,
    embedded: bool,
    index: Option<Index>,
    /// Built with the index, on the first query with words.
    fuzzy: Option<Fuzzy>,
    ranker: Ranker,
    /// Every facet value present in the catalogue, in display order.
    facet_values: Vec<FacetValue>,
    /// Per entry, positions in `facet_values` of its lifecycle, recommendation and source.
    entry_facets: Vec<[usize; 3]>,
    classes: Vec<Class>,
    /// Per entry, its class's position in `classes`: counting thousands of hits
    /// per keystroke should not read each whole entry.
    entry_classes: Vec<usize>,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher").field("entries", &self.entries.len()).finish()
    }
}

impl Searcher {
    pub fn new(catalogue: &Catalogue) -> Self {
        let entries = catalogue.shared_entries();
        let facet_values = query::facet_values(&entries);
        let position = |value: &FacetValue| {
            facet_values.iter().position(|v| v == value).expect("facet_values lists every value of every entry")
        };
        let entry_facets = entries
            .iter()
            .map(|e| {
                [
                    position(&FacetValue::Lifecycle(e.lifecycle)),
                    position(&FacetValue::Recommendation(e.recommendation)),
                    position(&FacetValue::Source(e.source.to_string())),
                ]
            })
            .collect();
        let mut classes: Vec<Class> = entries.iter().map(|e| e.class).collect();
        classes.sort_unstable();
        classes.dedup();
        let entry_classes = entries
            .iter()
            .map(|e| classes.binary_search(&e.class).expect("classes lists the class of every entry"))
            .collect();
        Searcher {
            entry_classes,
            entries,
            embedded: catalogue.is_embedded(),
            index: None,
            fuzzy: None,
            ranker: Ranker::default(),
            facet_values,
            entry_facets,
            classes,
        }
    }

    /// Classes present in the catalogue, in tab order.
    pub fn classes(&self) -> &[Class] {
        &self.classes
    }

    /// Every facet value present in the catalogue, in display order.
    pub fn facet_values(&self) -> &[FacetValue] {
        &self.facet_values
    }

    /// Whether a query has anything to search for: `'`, `^` or an emoji alone do not.
    pub fn has_words(text: &str) -> bool {
        !parse::words(text).is_empty()
    }

    /// Reads (or builds) the word index and the typo tables, which only a
    /// query with words needs: the browser calls this after its first frame
    /// (and the overlay loader on its thread), so the first key typed does not
    /// wait for them.
    pub fn prepare(&mut self) {
        prepared(&mut self.index, &mut self.fuzzy, &self.entries, self.embedded);
    }

    /// Whether `prepare` has run (or a query with words has).
    pub fn is_prepared(&self) -> bool {
        self.index.is_some() && self.fuzzy.is_some()
    }

    pub fn search(&mut self, query: &Query) -> Results {
        let words = parse::words(&query.text);
        let mut hits = if words.is_empty() {
            (0..self.entries.len()).map(rank::Scored::listed).collect()
        } else {
            let (index, fuzzy) = prepared(&mut self.index, &mut self.fuzzy, &self.entries, self.embedded);
            self.ranker.rank(index, &self.entries, &words, &query.text, fuzzy)
        };

        let selected: Vec<Vec<bool>> = self.facet_selection(&query.filters);
        let facet_active: Vec<bool> = selected.iter().map(|values| values.contains(&true)).collect();
        let mut tab_counts: Vec<(Option<Class>, usize)> =
            std::iter::once(None).chain(self.classes.iter().copied().map(Some)).map(|c| (c, 0)).collect();
        let mut facet_counts = vec![0usize; self.facet_values.len()];
        let tab = query.class.map(|c| self.classes.binary_search(&c));
        hits.retain(|hit| {
            let class = self.entry_classes[hit.entry];
            let facets = self.entry_facets[hit.entry];
            let passes: [bool; 3] = std::array::from_fn(|f| !facet_active[f] || selected[f][facets[f]]);
            let all_pass = passes.iter().all(|&p| p);
            if all_pass {
                tab_counts[0].1 += 1;
                tab_counts[1 + class].1 += 1;
            }
            // A tab of a class the catalogue lacks shows nothing.
            let in_tab = tab.is_none_or(|t| t == Ok(class));
            if in_tab {
                for f in 0..3 {
                    if (0..3).filter(|&g| g != f).all(|g| passes[g]) {
                        facet_counts[facets[f]] += 1;
                    }
                }
            }
            in_tab && all_pass
        });
        // Higher score first; ties in catalogue order: code, then how commonly a
        // meaning is met.
        hits.sort_unstable_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        let index = self.index.as_ref();
        let hits = hits
            .into_iter()
            .enumerate()
            .map(|(rank, scored)| {
                let explain = rank < EXPLAINED_HITS;
                let mut hit = self.ranker.hit(index, scored, explain);
                if let Some((line, fuzzy)) = scored.name_line.zip(self.fuzzy.as_mut()).filter(|_| explain) {
                    explain_name_line(&mut hit, fuzzy, &query.text, line);
                }
                hit
            })
            .collect();
        Results { hits, tab_counts, facet_counts: self.facet_values.iter().cloned().zip(facet_counts).collect() }
    }

    /// For each facet, which of the facet values are selected.
    fn facet_selection(&self, filters: &Filters) -> Vec<Vec<bool>> {
        Facet::ALL
            .iter()
            .map(|&facet| self.facet_values.iter().map(|v| v.facet() == facet && filters.contains(v)).collect())
            .collect()
    }
}

/// The word index and the fuzzy matcher, built on first use; the embedded
/// catalogue's index is read from the one stored at build time.
fn prepared<'a>(
    index: &'a mut Option<Index>,
    fuzzy: &'a mut Option<Fuzzy>,
    entries: &[Entry],
    embedded: bool,
) -> (&'a Index, &'a mut Fuzzy) {
    let index = index.get_or_insert_with(|| {
        let stored = embedded.then(|| Index::from_bytes(EMBEDDED_INDEX, entries));
        stored.flatten().unwrap_or_else(|| Index::new(entries))
    });
    (index, fuzzy.get_or_insert_with(|| Fuzzy::new(entries)))
}

/// Highlights from nucleo's positions in the name line that ranked a hit; a
/// constant that matched is the hit's reason.
fn explain_name_line(hit: &mut Hit, fuzzy: &mut Fuzzy, text: &str, line: u32) {
    let found = fuzzy.highlights(text, line);
    match fuzzy.kind(line) {
        LineKind::Phrase => {
            hit.highlights.code = found.code;
            hit.highlights.phrase = found.name;
            hit.highlights.source = found.source;
        }
        LineKind::Alias(alias) => {
            hit.highlights.code = found.code;
            hit.highlights.alias = Some((alias, found.name));
            hit.highlights.source = found.source;
        }
        LineKind::Constant(signal) => hit.reason = Some(Reason::Signal(signal)),
    }
}
