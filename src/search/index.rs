//! Per-entry search data, built once at start-up so a keystroke only matches.

use nucleo::Utf32String;

use crate::catalogue::{Class, Entry};

use super::query::FacetValue;
use super::words::{Vocabulary, Words, normalise};

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
    pub phrase: Name,
    pub aliases: Vec<Name>,
    /// Source facet name: fuzzy, like the phrase.
    pub source: Name,
    /// Reference, class, lifecycle and recommendation, matched as words at the
    /// source tier (fuzzy digits would find "522" in "§15.5.22").
    pub labels: Words,
    pub summary: Words,
    /// Explanation, situations, checks, avoid-when, notes and related codes.
    pub long_text: Words,
    /// Phrase and aliases as normalised words, for whole-query phrase bonuses.
    pub names: Vec<String>,
    /// Positions in `SearchIndex::facet_values` of this entry's lifecycle,
    /// recommendation and source.
    pub facets: [usize; 3],
}

/// A short field matched fuzzily by nucleo.
#[derive(Debug)]
pub struct Name {
    pub text: Utf32String,
    /// The lower-cased text when it is ASCII, for a cheap pre-check.
    ascii_lower: Option<Box<str>>,
}

impl Name {
    pub fn new(text: &str) -> Self {
        Name { text: Utf32String::from(text), ascii_lower: text.is_ascii().then(|| text.to_ascii_lowercase().into()) }
    }

    /// False when nucleo certainly cannot match: every kind of match needs the
    /// needle's characters in order. Non-ASCII text is left to nucleo, whose
    /// normalisation (é → e) this check does not know.
    pub fn may_contain(&self, ascii_needle: Option<&str>) -> bool {
        let (Some(haystack), Some(needle)) = (&self.ascii_lower, ascii_needle) else {
            return true;
        };
        let mut rest = haystack.bytes();
        needle.bytes().all(|n| rest.any(|h| h == n))
    }
}

/// Everything the search needs, independent of the catalogue's lifetime.
#[derive(Debug)]
pub struct SearchIndex {
    pub entries: Vec<EntryIndex>,
    /// Every word of every entry's prose.
    pub vocabulary: Vocabulary,
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
        // Prose is indexed in two passes: the vocabulary first, so word ids are in
        // alphabetical order, then each entry's words as ids.
        let prose: Vec<[String; 3]> = entries
            .iter()
            .map(|entry| {
                let labels = normalise([
                    entry.reference.as_str(),
                    entry.class.key(),
                    entry.lifecycle.key(),
                    entry.lifecycle.label(),
                    entry.recommendation.label(),
                ]);
                [labels, normalise([entry.summary.as_str()]), normalise(long_text(entry).iter().map(String::as_str))]
            })
            .collect();
        let vocabulary = Vocabulary::new(prose.iter().flatten().map(String::as_str));
        let entries = entries
            .iter()
            .zip(prose)
            .map(|(entry, [labels, summary, long_text])| EntryIndex {
                code_label: entry.code_label(),
                class: entry.class,
                phrase: Name::new(&entry.phrase),
                aliases: entry.aliases.iter().map(|a| Name::new(a)).collect(),
                source: Name::new(&entry.source),
                labels: Words::new(labels, &vocabulary),
                summary: Words::new(summary, &vocabulary),
                long_text: Words::new(long_text, &vocabulary),
                names: std::iter::once(&entry.phrase).chain(&entry.aliases).map(|n| normalise([n.as_str()])).collect(),
                facets: [
                    position(&FacetValue::Lifecycle(entry.lifecycle)),
                    position(&FacetValue::Recommendation(entry.recommendation)),
                    position(&FacetValue::Source(entry.source.clone())),
                ],
            })
            .collect();
        SearchIndex { entries, vocabulary, facet_values, classes }
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
    parts.extend(entry.related.iter().map(|r| format!("{:03}", r.code)));
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
