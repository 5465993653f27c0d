//! The status code catalogue: the serde model, the embedded JSON, and its validation.

mod model;
mod validate;

pub use model::{Class, Delivery, Entry, Generator, Lifecycle, Recommendation, Retry, Signal};
pub use validate::{CatalogueError, text_fields};

/// The catalogue files compiled into the binary, one per class.
const EMBEDDED: [(&str, &str); 6] = [
    ("1xx.json", include_str!("../assets/catalogue/1xx.json")),
    ("2xx.json", include_str!("../assets/catalogue/2xx.json")),
    ("3xx.json", include_str!("../assets/catalogue/3xx.json")),
    ("4xx.json", include_str!("../assets/catalogue/4xx.json")),
    ("5xx.json", include_str!("../assets/catalogue/5xx.json")),
    ("other.json", include_str!("../assets/catalogue/other.json")),
];

/// Every entry, sorted by code then source, validated.
#[derive(Debug, Clone)]
pub struct Catalogue {
    entries: Vec<Entry>,
}

impl Catalogue {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Result<Self, CatalogueError> {
        Self::from_files(EMBEDDED.iter().map(|(name, text)| (*name, *text)))
    }

    /// Parses and validates named JSON documents, each an array of entries.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, CatalogueError> {
        let mut entries = Vec::new();
        for (name, text) in files {
            entries.extend(model::parse_file(name, text)?);
        }
        Self::from_entries(entries)
    }

    /// Validates entries and sorts them into code order.
    pub fn from_entries(mut entries: Vec<Entry>) -> Result<Self, CatalogueError> {
        entries.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| a.source.cmp(&b.source)));
        validate::validate(&entries)?;
        Ok(Self { entries })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Indices of every entry with this number, in source order.
    pub fn indices_of_code(&self, code: u16) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().enumerate().filter(move |(_, e)| e.code == code).map(|(i, _)| i)
    }

    /// The entries an entry's related codes lead to. When a related number has
    /// several meanings and one shares the entry's source, only that one is meant
    /// (Cloudflare 524 → Cloudflare 530); otherwise every meaning is offered.
    pub fn related_entries(&self, index: usize) -> Vec<usize> {
        let entry = &self.entries[index];
        let mut links = Vec::new();
        for &code in &entry.related {
            let meanings: Vec<usize> = self.indices_of_code(code).collect();
            match meanings.iter().find(|&&i| self.entries[i].source == entry.source) {
                Some(&same_source) => links.push(same_source),
                None => links.extend(meanings),
            }
        }
        links
    }

    /// The codes that have entries, nearest first, for "did you mean" hints.
    pub fn nearest_codes(&self, code: u16, count: usize) -> Vec<u16> {
        let mut codes: Vec<u16> = self.entries.iter().map(|e| e.code).collect();
        codes.dedup();
        // Ties go to the higher code: 427 suggests 426, 428, 429 rather than 425.
        codes.sort_by_key(|c| (c.abs_diff(code), std::cmp::Reverse(*c)));
        codes.truncate(count);
        codes.sort_unstable();
        codes
    }
}
