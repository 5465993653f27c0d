//! What the user asked for: query text, class tab and facet filters.

use std::collections::BTreeSet;

use crate::catalogue::{Class, Lifecycle, Recommendation};

/// The three facets of the filter pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Lifecycle,
    Recommendation,
    Source,
}

impl Facet {
    pub const ALL: [Facet; 3] = [Facet::Lifecycle, Facet::Recommendation, Facet::Source];

    pub fn label(self) -> &'static str {
        match self {
            Facet::Lifecycle => "Lifecycle",
            // The advice is about writing the code into an API response by hand.
            Facet::Recommendation => "Send from an API?",
            Facet::Source => "Source",
        }
    }
}

/// One value a filter can select. Values within a facet combine with OR, facets with AND.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetValue {
    Lifecycle(Lifecycle),
    Recommendation(Recommendation),
    Source(String),
}

impl FacetValue {
    pub fn facet(&self) -> Facet {
        match self {
            FacetValue::Lifecycle(_) => Facet::Lifecycle,
            FacetValue::Recommendation(_) => Facet::Recommendation,
            FacetValue::Source(_) => Facet::Source,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            FacetValue::Lifecycle(l) => l.label(),
            FacetValue::Recommendation(r) => r.label(),
            FacetValue::Source(s) => s,
        }
    }
}

/// The selected facet values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    selected: BTreeSet<FacetValue>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.selected.is_empty()
    }

    pub fn contains(&self, value: &FacetValue) -> bool {
        self.selected.contains(value)
    }

    /// Selects the value if it was not selected, and clears it if it was.
    pub fn toggle(&mut self, value: FacetValue) {
        if !self.selected.remove(&value) {
            self.selected.insert(value);
        }
    }

    pub fn insert(&mut self, value: FacetValue) {
        self.selected.insert(value);
    }

    pub fn clear(&mut self) {
        self.selected.clear();
    }

    /// Selected values in facet order.
    pub fn iter(&self) -> impl Iterator<Item = &FacetValue> {
        self.selected.iter()
    }
}

/// A complete search request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    /// `None` is the "All" tab.
    pub class: Option<Class>,
    pub filters: Filters,
}

impl Query {
    pub fn text(text: impl Into<String>) -> Self {
        Query { text: text.into(), ..Query::default() }
    }
}

/// Lifecycles and recommendations in their natural order, sources by how many
/// entries they have (the big ones first), then by name.
pub fn facet_values(entries: &[crate::catalogue::Entry]) -> Vec<FacetValue> {
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
