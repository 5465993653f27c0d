//! Per-entry search data, built once at start-up so a keystroke only matches.

use nucleo::Utf32String;

use crate::catalogue::{Class, Entry};

use super::query::FacetValue;

/// Where a query word matched, best first. The tier dominates the score, so an
/// exact code beats any phrase match and a phrase match beats any mention in prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    LongText = 1,
    Summary = 2,
    Source = 3,
    Phrase = 4,
    CodePrefix = 5,
    ExactCode = 6,
}

/// Searchable text of one entry.
#[derive(Debug)]
pub struct EntryIndex {
    pub code_label: String,
    pub class: Class,
    pub phrase: Utf32String,
    pub aliases: Vec<Utf32String>,
    /// Source facet name: fuzzy, like the phrase.
    pub source: Utf32String,
    /// Reference, class, lifecycle and recommendation, matched as words at the
    /// source tier (fuzzy digits would find "522" in "§15.5.22").
    pub labels: Words,
    pub summary: Words,
    /// Explanation, situations, checks, avoid-when, notes and related codes.
    pub long_text: Words,
    /// Lower-case phrase and aliases, for whole-query phrase bonuses.
    pub names_lower: Vec<String>,
    /// Positions in `SearchIndex::facet_values` of this entry's lifecycle,
    /// recommendation and source.
    pub facets: [usize; 3],
}

/// Text prepared for word and word-prefix matching, with how often each word
/// occurs: an entry that keeps mentioning "Retry-After" is about it.
#[derive(Debug, Default)]
pub struct Words {
    /// The text, lower-cased, words separated by single spaces.
    text: String,
    /// Distinct lower-case words with their counts, sorted, for binary-searched
    /// prefix lookups.
    sorted: Vec<(Box<str>, u32)>,
}

impl Words {
    pub fn new<'a>(parts: impl IntoIterator<Item = &'a str>) -> Self {
        let mut text = String::new();
        for part in parts {
            for word in part.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.extend(word.chars().flat_map(char::to_lowercase));
            }
        }
        let mut all: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
        all.sort_unstable();
        let mut sorted: Vec<(Box<str>, u32)> = Vec::new();
        for word in all {
            match sorted.last_mut() {
                Some((last, count)) if **last == *word => *count += 1,
                _ => sorted.push((Box::from(word), 1)),
            }
        }
        Words { text, sorted }
    }

    /// Occurrences of words starting with `prefix` (lower-case), and whether one
    /// of them is the whole word.
    pub fn prefix_count(&self, prefix: &str) -> (u32, bool) {
        let start = self.sorted.partition_point(|(w, _)| &**w < prefix);
        let matching = self.sorted[start..].iter().take_while(|(w, _)| w.starts_with(prefix));
        let whole = self.sorted.get(start).is_some_and(|(w, _)| **w == *prefix);
        (matching.map(|(_, n)| n).sum(), whole)
    }

    pub fn word_count(&self, word: &str) -> u32 {
        self.sorted.binary_search_by(|(w, _)| (**w).cmp(word)).map_or(0, |i| self.sorted[i].1)
    }

    pub fn suffix_count(&self, suffix: &str) -> u32 {
        self.sorted.iter().filter(|(w, _)| w.ends_with(suffix)).map(|(_, n)| n).sum()
    }

    /// Occurrences in the running text, so several words in a row can match.
    pub fn substring_count(&self, needle: &str) -> u32 {
        u32::try_from(self.text.matches(needle).count()).unwrap_or(u32::MAX)
    }
}

/// Everything the search needs, independent of the catalogue's lifetime.
#[derive(Debug)]
pub struct SearchIndex {
    pub entries: Vec<EntryIndex>,
    /// Every facet value present in the catalogue, in display order.
    pub facet_values: Vec<FacetValue>,
    /// Classes present in the catalogue, in tab order.
    pub classes: Vec<Class>,
}

impl SearchIndex {
    pub fn new(entries: &[Entry]) -> Self {
        let facet_values = facet_values(entries);
        let position = |value: &FacetValue| {
            facet_values.iter().position(|v| v == value).expect("facet_values lists every value of every entry")
        };
        let mut classes: Vec<Class> = entries.iter().map(|e| e.class).collect();
        classes.sort_unstable();
        classes.dedup();
        let entries = entries
            .iter()
            .map(|entry| EntryIndex {
                code_label: entry.code_label(),
                class: entry.class,
                phrase: Utf32String::from(entry.phrase.as_str()),
                aliases: entry.aliases.iter().map(|a| Utf32String::from(a.as_str())).collect(),
                source: Utf32String::from(entry.source.as_str()),
                labels: Words::new([
                    entry.reference.as_str(),
                    entry.class.key(),
                    entry.lifecycle.key(),
                    entry.lifecycle.label(),
                    entry.recommendation.label(),
                ]),
                summary: Words::new([entry.summary.as_str()]),
                long_text: Words::new(long_text(entry).iter().map(String::as_str)),
                names_lower: std::iter::once(&entry.phrase).chain(&entry.aliases).map(|n| n.to_lowercase()).collect(),
                facets: [
                    position(&FacetValue::Lifecycle(entry.lifecycle)),
                    position(&FacetValue::Recommendation(entry.recommendation)),
                    position(&FacetValue::Source(entry.source.clone())),
                ],
            })
            .collect();
        SearchIndex { entries, facet_values, classes }
    }
}

/// The prose and secondary facts of an entry, searched as words at the lowest tier.
fn long_text(entry: &Entry) -> Vec<String> {
    let mut parts = vec![
        entry.explanation.clone(),
        entry.generator_note.clone(),
        entry.retry_note.clone(),
        entry.delivery.label().to_string(),
        entry.retry.label().to_string(),
    ];
    parts.extend(entry.disputed.clone());
    parts.extend(entry.situations.iter().cloned());
    parts.extend(entry.checks.iter().cloned());
    parts.extend(entry.avoid_when.iter().cloned());
    parts.extend(entry.generated_by.iter().map(|g| g.label().to_string()));
    parts.extend(entry.related.iter().map(|c| format!("{c:03}")));
    parts
}

/// Lifecycles and recommendations in their natural order, sources by how many
/// entries they have (the big ones first), then by name.
fn facet_values(entries: &[Entry]) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = Vec::new();
    let mut lifecycles: Vec<_> = entries.iter().map(|e| e.lifecycle).collect();
    lifecycles.sort_unstable();
    lifecycles.dedup();
    values.extend(lifecycles.into_iter().map(FacetValue::Lifecycle));
    let mut recommendations: Vec<_> = entries.iter().map(|e| e.recommendation).collect();
    recommendations.sort_unstable();
    recommendations.dedup();
    values.extend(recommendations.into_iter().map(FacetValue::Recommendation));
    let mut sources: Vec<(&str, usize)> = Vec::new();
    for entry in entries {
        match sources.iter_mut().find(|(s, _)| *s == entry.source) {
            Some((_, n)) => *n += 1,
            None => sources.push((&entry.source, 1)),
        }
    }
    sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    values.extend(sources.into_iter().map(|(s, _)| FacetValue::Source(s.to_string())));
    values
}
