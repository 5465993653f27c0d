//! Ranking the catalogue against a query, shared by the browser and the CLI.
//!
//! Short fields (code, phrase, aliases, source) are matched fuzzily with nucleo;
//! prose is matched by words and word prefixes, because a fuzzy subsequence finds
//! almost any short word somewhere in a paragraph. Where a word matched decides
//! the rank (see [`Tier`]); nucleo's score only orders within a tier.

mod index;
mod query;
mod words;

use memchr::memmem::Finder;
use nucleo::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher};

use crate::catalogue::{Catalogue, Class};

use index::Tier;
use index::{EntryIndex, Name, SearchIndex};
pub use query::{Facet, FacetValue, Filters, Query};
use words::{Lookup, Vocabulary, WordKind, Words};

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
    /// The needle lower-cased, when it is ASCII, for [`Name::may_contain`].
    ascii_needle: Option<String>,
    /// Where the word can match in prose, looked up once per query.
    lookup: Lookup,
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
        let words = parse_words(&query.text, &self.index.vocabulary);
        let positive: Vec<&str> = words.iter().filter(|w| !w.atom.negative).map(|w| w.lower.as_str()).collect();
        let whole_phrase = (positive.len() > 1).then(|| positive.join(" "));
        let whole_phrase = whole_phrase.as_deref().map(Finder::new);

        let selected: Vec<Vec<bool>> = self.facet_selection(&query.filters);
        let facet_active: Vec<bool> = selected.iter().map(|values| values.contains(&true)).collect();
        let mut tab_counts: Vec<(Option<Class>, usize)> =
            std::iter::once(None).chain(self.index.classes.iter().copied().map(Some)).map(|c| (c, 0)).collect();
        let mut facet_counts = vec![0usize; self.index.facet_values.len()];
        let mut hits = Vec::new();

        for (position, entry) in self.index.entries.iter().enumerate() {
            let Some((score, highlights)) = score_entry(entry, &words, whole_phrase.as_ref(), &mut self.matcher) else {
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
                    hits.push(Hit { entry: position, score, highlights });
                }
            }
        }

        // Higher score first; ties in catalogue order: code, then the meaning met most often.
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
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

fn parse_words(text: &str, vocabulary: &Vocabulary) -> Vec<Word> {
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
            // Fuzzy and ^prefix words match word prefixes in prose, 'quoted ones any
            // substring, suffix$ word endings, ^exact$ whole words. Punctuated needles
            // ("non-standard", "x-forwarded-for") match as a run of words.
            let kind = match atom.kind {
                _ if lower.contains(' ') => WordKind::Substring,
                AtomKind::Substring => WordKind::Substring,
                AtomKind::Postfix => WordKind::Suffix,
                AtomKind::Exact => WordKind::Exact,
                _ => WordKind::Prefix,
            };
            Word {
                lookup: vocabulary.lookup(&lower, kind),
                ascii_needle: needle.is_ascii().then(|| needle.to_ascii_lowercase()),
                is_code: !needle.is_empty() && needle.len() <= 3 && needle.bytes().all(|b| b.is_ascii_digit()),
                atom,
                lower,
            }
        })
        .collect()
}

/// The entry's score and the matched positions in its shown fields, or `None`
/// when some word matches nowhere (or a negated word matches somewhere).
fn score_entry(
    entry: &EntryIndex,
    words: &[Word],
    whole_phrase: Option<&Finder>,
    matcher: &mut Matcher,
) -> Option<(u32, Highlights)> {
    let mut total = 0;
    let mut found = Found::default();
    for word in words {
        if word.atom.negative {
            if best_match(entry, word, matcher, &mut Found::default()).is_some() {
                return None;
            }
        } else {
            total += best_match(entry, word, matcher, &mut found)?;
        }
    }
    if let Some(phrase) = whole_phrase {
        if entry.names.iter().any(|n| phrase.find(n.as_bytes()).is_some()) {
            total += WHOLE_PHRASE_IN_NAME;
        } else if entry.summary.contains(phrase) {
            total += WHOLE_PHRASE_IN_SUMMARY;
        }
    }
    Some((total, found.into_highlights()))
}

/// The best place one word matches: tier × 1000 plus a within-tier score. The
/// positions it matched in the code, phrase, aliases and source go into `found`,
/// so highlighting costs no second pass.
fn best_match(entry: &EntryIndex, word: &Word, matcher: &mut Matcher, found: &mut Found) -> Option<u32> {
    let tiered = |tier: Tier, within: u32| tier as u32 * 1_000 + within.min(999);
    if word.is_code {
        let needle = word.lower.as_str();
        if entry.code_label.starts_with(needle) {
            found.code = found.code.max(needle.len());
            let exact = entry.code_label == needle;
            return Some(if exact { tiered(Tier::ExactCode, 999) } else { tiered(Tier::CodePrefix, 500) });
        }
    } else {
        // A number is a code or a word, never a fuzzy pattern: "522" must not match
        // the scattered digits of "RFC 9110 §15.5.22".
        let mut best = fuzzy_match(word, &entry.phrase, matcher, &mut found.phrase).map(|s| tiered(Tier::Phrase, s));
        if best.is_none() {
            for (i, alias) in entry.aliases.iter().enumerate() {
                let mut indices = Vec::new();
                if let Some(score) = fuzzy_match(word, alias, matcher, &mut indices) {
                    best = best.max(Some(tiered(Tier::Phrase, score)));
                    found.aliases.push((i, indices));
                }
            }
        }
        let source = fuzzy_match(word, &entry.source, matcher, &mut found.source);
        if let Some(best) = best.or(source.map(|s| tiered(Tier::Source, s))) {
            return Some(best);
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

/// Matched positions gathered while scoring one entry.
#[derive(Default)]
struct Found {
    /// Length of the longest code prefix typed.
    code: usize,
    phrase: Vec<u32>,
    aliases: Vec<(usize, Vec<u32>)>,
    source: Vec<u32>,
}

impl Found {
    fn into_highlights(self) -> Highlights {
        // The alias worth showing is the one most of the query matched.
        let mut aliases: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, indices) in self.aliases {
            match aliases.iter_mut().find(|(a, _)| *a == i) {
                Some((_, all)) => all.extend(indices),
                None => aliases.push((i, indices)),
            }
        }
        let alias = aliases
            .into_iter()
            .map(|(i, indices)| (i, sorted_unique(indices)))
            .max_by_key(|(i, indices)| (indices.len(), std::cmp::Reverse(*i)));
        let alias = alias.filter(|_| self.phrase.is_empty());
        Highlights {
            code: (0..self.code as u32).collect(),
            phrase: sorted_unique(self.phrase),
            alias,
            source: sorted_unique(self.source),
        }
    }
}

/// nucleo's score for the word in a short field, appending the matched positions
/// to `indices` when it matches.
fn fuzzy_match(word: &Word, field: &Name, matcher: &mut Matcher, indices: &mut Vec<u32>) -> Option<u32> {
    // Most fields fail this check, which costs far less than asking nucleo.
    if !field.may_contain(word.ascii_needle.as_deref()) {
        return None;
    }
    // Match the needle as if positive; the caller decides what a negated match means.
    let atom = positive(&word.atom);
    let start = indices.len();
    let score = atom.indices(field.text.slice(..), matcher, indices);
    let matched = &mut indices[start..];
    matched.sort_unstable();
    let mut runs = 0;
    let mut distinct = 0;
    for i in 0..matched.len() {
        if i == 0 || matched[i] != matched[i - 1] {
            distinct += 1;
            if i == 0 || matched[i] != matched[i - 1] + 1 {
                runs += 1;
            }
        }
    }
    let scattered = atom.kind == AtomKind::Fuzzy && runs > 1 + distinct / NEEDLE_CHARS_PER_EXTRA_RUN;
    if score.is_none() || scattered {
        indices.truncate(start);
        return None;
    }
    score.map(u32::from)
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

/// Word-level matching in prose: whole words score above prefixes, and repeated
/// mentions above a single one.
fn word_match(word: &Word, words: &Words) -> Option<u32> {
    const WHOLE: u32 = 600;
    const PART: u32 = 400;
    const PER_MENTION: u32 = 20;
    const MAX_MENTIONS: u32 = 10;
    if word.lower.is_empty() {
        return None;
    }
    let (count, whole) = words.occurrences(&word.lookup, &word.lower);
    (count > 0).then(|| if whole { WHOLE } else { PART } + PER_MENTION * count.min(MAX_MENTIONS))
}

/// nucleo reports indices per atom, unsorted and possibly repeated.
fn sorted_unique(mut indices: Vec<u32>) -> Vec<u32> {
    indices.sort_unstable();
    indices.dedup();
    indices
}
