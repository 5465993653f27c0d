//! Ranking the catalogue against a query, shared by the browser and the CLI.
//!
//! Short fields (code, phrase, aliases, source) are matched fuzzily with nucleo;
//! prose is matched by words and word prefixes, because a fuzzy subsequence finds
//! almost any short word somewhere in a paragraph. Where a word matched decides
//! the rank (see [`Tier`]); nucleo's score only orders within a tier.

mod index;
mod query;

use nucleo::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher, Utf32String};

use crate::catalogue::{Catalogue, Class};

pub use index::Tier;
use index::{EntryIndex, SearchIndex, Words};
pub use query::{Facet, FacetValue, Filters, Query};

/// A fuzzy match may break into one more run of consecutive characters per this
/// many needle characters: "cloudfare" is two runs of "Cloudflare" (a typo), while
/// "rate" as r·a·T·e across "Request Header Fields Too Large" is noise.
const NEEDLE_CHARS_PER_EXTRA_RUN: usize = 4;
/// Bonus when every word of a multi-word query appears together, in order, in a name.
const WHOLE_PHRASE_IN_NAME: u32 = 2_000;
const WHOLE_PHRASE_IN_SUMMARY: u32 = 1_000;

/// One matching entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Position of the entry in [`Catalogue::entries`].
    pub entry: usize,
    pub score: u32,
    pub highlights: Highlights,
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

/// Owns the prepared index and nucleo's matcher, which allocates on creation and is
/// reused for every query.
pub struct Searcher {
    index: SearchIndex,
    matcher: Matcher,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher").field("entries", &self.index.entries.len()).finish()
    }
}

/// A query word, prepared once per search.
struct Word {
    atom: Atom,
    /// Lower-case needle with punctuation turned into spaces, as prose is indexed.
    lower: String,
    is_code: bool,
}

impl Searcher {
    pub fn new(catalogue: &Catalogue) -> Self {
        Searcher { index: SearchIndex::new(catalogue.entries()), matcher: Matcher::new(Config::DEFAULT) }
    }

    /// Classes present in the catalogue, in tab order.
    pub fn classes(&self) -> &[Class] {
        &self.index.classes
    }

    /// Every facet value present in the catalogue, in display order.
    pub fn facet_values(&self) -> &[FacetValue] {
        &self.index.facet_values
    }

    pub fn search(&mut self, query: &Query) -> Results {
        let words = parse_words(&query.text);
        let positive: Vec<&str> = words.iter().filter(|w| !w.atom.negative).map(|w| w.lower.as_str()).collect();
        let whole_phrase = (positive.len() > 1).then(|| positive.join(" "));

        let selected: Vec<Vec<bool>> = self.facet_selection(&query.filters);
        let facet_active: Vec<bool> = selected.iter().map(|values| values.contains(&true)).collect();
        let mut tab_counts: Vec<(Option<Class>, usize)> =
            std::iter::once(None).chain(self.index.classes.iter().copied().map(Some)).map(|c| (c, 0)).collect();
        let mut facet_counts = vec![0usize; self.index.facet_values.len()];
        let mut hits = Vec::new();

        for (position, entry) in self.index.entries.iter().enumerate() {
            let Some(score) = score_entry(entry, &words, whole_phrase.as_deref(), &mut self.matcher) else {
                continue;
            };
            let passes: [bool; 3] = std::array::from_fn(|f| !facet_active[f] || selected[f][entry.facets[f]]);
            let in_tab = query.class.is_none_or(|c| c == entry.class);
            if passes.iter().all(|&p| p) {
                tab_counts[0].1 += 1;
                if let Some(tab) = tab_counts.iter_mut().find(|(c, _)| *c == Some(entry.class)) {
                    tab.1 += 1;
                }
            }
            if in_tab {
                for f in 0..3 {
                    let others_pass = (0..3).filter(|&g| g != f).all(|g| passes[g]);
                    if others_pass {
                        facet_counts[entry.facets[f]] += 1;
                    }
                }
                if passes.iter().all(|&p| p) {
                    hits.push(Hit { entry: position, score, highlights: Highlights::default() });
                }
            }
        }

        // Higher score first; ties in catalogue order, which is code then source.
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        for hit in &mut hits {
            hit.highlights = highlights(&self.index.entries[hit.entry], &words, &mut self.matcher);
        }
        Results { hits, tab_counts, facet_counts: self.index.facet_values.iter().cloned().zip(facet_counts).collect() }
    }

    /// For each facet, which of the index's values are selected.
    fn facet_selection(&self, filters: &Filters) -> Vec<Vec<bool>> {
        Facet::ALL
            .iter()
            .map(|&facet| self.index.facet_values.iter().map(|v| v.facet() == facet && filters.contains(v)).collect())
            .collect()
    }
}

fn parse_words(text: &str) -> Vec<Word> {
    // Control characters can never match and would only confuse the parser.
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    Pattern::parse(&clean, CaseMatching::Smart, Normalization::Smart)
        .atoms
        .into_iter()
        .filter(|atom| !atom.needle_text().is_empty())
        .map(|atom| {
            let needle = atom.needle_text().to_string();
            let lower = needle
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ");
            Word {
                is_code: !needle.is_empty() && needle.len() <= 3 && needle.bytes().all(|b| b.is_ascii_digit()),
                atom,
                lower,
            }
        })
        .collect()
}

/// The entry's score, or `None` when some word matches nowhere (or a negated word
/// matches somewhere).
fn score_entry(entry: &EntryIndex, words: &[Word], whole_phrase: Option<&str>, matcher: &mut Matcher) -> Option<u32> {
    let mut total = 0;
    for word in words {
        let best = best_match(entry, word, matcher);
        if word.atom.negative {
            if best.is_some() {
                return None;
            }
        } else {
            total += best?;
        }
    }
    if let Some(phrase) = whole_phrase {
        if entry.names_lower.iter().any(|n| contains_words(n, phrase)) {
            total += WHOLE_PHRASE_IN_NAME;
        } else if entry.summary.substring_count(phrase) > 0 {
            total += WHOLE_PHRASE_IN_SUMMARY;
        }
    }
    Some(total)
}

/// `name` (lower-case, with punctuation) contains the space-separated `phrase`.
fn contains_words(name: &str, phrase: &str) -> bool {
    let normalised: String = name.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    normalised.split_whitespace().collect::<Vec<_>>().join(" ").contains(phrase)
}

/// The best place one word matches: tier × 1000 plus a within-tier score.
fn best_match(entry: &EntryIndex, word: &Word, matcher: &mut Matcher) -> Option<u32> {
    let tiered = |tier: Tier, within: u32| tier as u32 * 1_000 + within.min(999);
    if word.is_code && !word.atom.negative {
        let needle = word.lower.as_str();
        if entry.code_label == needle {
            return Some(tiered(Tier::ExactCode, 999));
        }
        if entry.code_label.starts_with(needle) {
            return Some(tiered(Tier::CodePrefix, 500));
        }
    }
    // A number is a code or a word, never a fuzzy pattern: "522" must not match
    // the scattered digits of "RFC 9110 §15.5.22".
    if !word.is_code {
        let names = std::iter::once(&entry.phrase).chain(&entry.aliases);
        if let Some(score) = names.filter_map(|name| fuzzy_score(word, name, matcher)).max() {
            return Some(tiered(Tier::Phrase, score));
        }
        if let Some(score) = fuzzy_score(word, &entry.source, matcher) {
            return Some(tiered(Tier::Source, score));
        }
    }
    for (tier, words) in
        [(Tier::Source, &entry.labels), (Tier::Summary, &entry.summary), (Tier::LongText, &entry.long_text)]
    {
        if let Some(within) = word_match(word, words) {
            return Some(tiered(tier, within));
        }
    }
    None
}

fn fuzzy_score(word: &Word, field: &Utf32String, matcher: &mut Matcher) -> Option<u32> {
    // Score the needle as if positive; the caller decides what a negated match means.
    let atom = positive(&word.atom);
    if atom.kind != AtomKind::Fuzzy {
        return atom.score(field.slice(..), matcher).map(u32::from);
    }
    let mut indices = Vec::new();
    let score = u32::from(atom.indices(field.slice(..), matcher, &mut indices)?);
    let indices = sorted_unique(indices);
    let runs = 1 + indices.windows(2).filter(|w| w[1] != w[0] + 1).count();
    let allowed = 1 + indices.len() / NEEDLE_CHARS_PER_EXTRA_RUN;
    (runs <= allowed).then_some(score)
}

/// A copy of a negated atom's matching rule, so "does it match?" has one meaning.
fn positive(atom: &Atom) -> std::borrow::Cow<'_, Atom> {
    if atom.negative {
        let mut plain = atom.clone();
        plain.negative = false;
        std::borrow::Cow::Owned(plain)
    } else {
        std::borrow::Cow::Borrowed(atom)
    }
}

/// Word-level matching in prose: a fuzzy or `^prefix` word matches a word prefix,
/// `'quoted` a substring, `suffix$` a word ending, `^exact$` a whole word. Whole
/// words score above prefixes, and repeated mentions above a single one.
fn word_match(word: &Word, words: &Words) -> Option<u32> {
    const WHOLE: u32 = 600;
    const PART: u32 = 400;
    const PER_MENTION: u32 = 20;
    const MAX_MENTIONS: u32 = 10;
    let needle = word.lower.as_str();
    if needle.is_empty() {
        return None;
    }
    let (count, base) = if needle.contains(' ') {
        // Punctuated needles ("non-standard", "x-forwarded-for") match as a run of words.
        (words.substring_count(needle), WHOLE)
    } else {
        match word.atom.kind {
            AtomKind::Fuzzy | AtomKind::Prefix => {
                let (count, whole) = words.prefix_count(needle);
                (count, if whole { WHOLE } else { PART })
            }
            AtomKind::Substring => (words.substring_count(needle), PART),
            AtomKind::Postfix => (words.suffix_count(needle), PART),
            AtomKind::Exact => (words.word_count(needle), WHOLE),
            _ => (0, 0),
        }
    };
    (count > 0).then(|| base + PER_MENTION * count.min(MAX_MENTIONS))
}

/// Matched character positions in the fields a result row shows.
fn highlights(entry: &EntryIndex, words: &[Word], matcher: &mut Matcher) -> Highlights {
    let mut found = Highlights::default();
    let mut alias_hits: Vec<Vec<u32>> = vec![Vec::new(); entry.aliases.len()];
    for word in words.iter().filter(|w| !w.atom.negative) {
        if word.is_code && entry.code_label.starts_with(&word.lower) {
            found.code.extend(0..word.lower.len() as u32);
        }
        let phrase_before = found.phrase.len();
        collect_indices(word, &entry.phrase, matcher, &mut found.phrase);
        if found.phrase.len() == phrase_before {
            for (alias, hits) in entry.aliases.iter().zip(&mut alias_hits) {
                collect_indices(word, alias, matcher, hits);
            }
        }
        collect_indices(word, &entry.source, matcher, &mut found.source);
    }
    found.alias = alias_hits
        .into_iter()
        .enumerate()
        .filter(|(_, hits)| !hits.is_empty())
        .max_by_key(|(i, hits)| (hits.len(), std::cmp::Reverse(*i)))
        .map(|(i, hits)| (i, sorted_unique(hits)));
    found.code = sorted_unique(found.code);
    found.phrase = sorted_unique(found.phrase);
    found.source = sorted_unique(found.source);
    found
}

fn collect_indices(word: &Word, field: &Utf32String, matcher: &mut Matcher, into: &mut Vec<u32>) {
    if !word.is_code && fuzzy_score(word, field, matcher).is_some() {
        word.atom.indices(field.slice(..), matcher, into);
    }
}

/// nucleo reports indices per atom, unsorted and possibly repeated.
fn sorted_unique(mut indices: Vec<u32>) -> Vec<u32> {
    indices.sort_unstable();
    indices.dedup();
    indices
}
