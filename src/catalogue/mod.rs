//! The status code catalogue: the serde model, the embedded JSON, and its validation.

use std::sync::Arc;

mod model;
mod stored;
mod validate;

pub use model::{
    Class, Delivery, Entry, Generator, Lifecycle, List, Origin, Recommendation, Related, Retry, Runbook, Signal,
    SignalForm, TeamNote, Text, is_web_link,
};
pub use validate::{CatalogueError, MAX_RELATED, text_fields};

/// The catalogue files compiled into the binary, one per class.
const EMBEDDED: [(&str, &str); 6] = [
    ("1xx.json", include_str!("../../assets/catalogue/1xx.json")),
    ("2xx.json", include_str!("../../assets/catalogue/2xx.json")),
    ("3xx.json", include_str!("../../assets/catalogue/3xx.json")),
    ("4xx.json", include_str!("../../assets/catalogue/4xx.json")),
    ("5xx.json", include_str!("../../assets/catalogue/5xx.json")),
    ("other.json", include_str!("../../assets/catalogue/other.json")),
];

/// The signal files compiled into the binary, one per research group. Each is a
/// flat list naming its entry by code and source (README, "Signals").
const EMBEDDED_SIGNALS: [(&str, &str); 8] = [
    ("nginx.json", include_str!("../../assets/signals/nginx.json")),
    ("mesh.json", include_str!("../../assets/signals/mesh.json")),
    ("cloudflare.json", include_str!("../../assets/signals/cloudflare.json")),
    ("platform.json", include_str!("../../assets/signals/platform.json")),
    ("client.json", include_str!("../../assets/signals/client.json")),
    ("cloudflare-errors.json", include_str!("../../assets/signals/cloudflare-errors.json")),
    ("grpc.json", include_str!("../../assets/signals/grpc.json")),
    ("proxies.json", include_str!("../../assets/signals/proxies.json")),
];

/// Every entry in code order, validated. Meanings that share a number keep the
/// order of the asset files: the one an engineer is most likely to meet first.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Shared, so the search can keep the entries without copying them.
    entries: Arc<[Entry]>,
    /// Made from the files compiled in, whose search index `build.rs` prepares.
    embedded: bool,
}

impl Catalogue {
    /// The catalogue compiled into the binary, as build.rs stored it: the
    /// entries are copied, their text is not. A build whose catalogue was
    /// invalid stored nothing; parsing the JSON then says what is wrong.
    pub fn embedded() -> Result<Self, CatalogueError> {
        match crate::STORED_CATALOGUE {
            Some(entries) => Ok(Self { entries: entries.into(), embedded: true }),
            None => Self::from_assets(),
        }
    }

    /// The JSON files compiled into the binary, parsed and validated: what
    /// build.rs stores for [`Catalogue::embedded`].
    pub fn from_assets() -> Result<Self, CatalogueError> {
        Ok(Self { embedded: true, ..Self::from_files_with_signals(EMBEDDED, EMBEDDED_SIGNALS)? })
    }

    /// The entries as the Rust source [`Catalogue::embedded`] is compiled from.
    pub fn to_rust(&self) -> String {
        stored::to_rust(&self.entries)
    }

    /// Whether this is the catalogue compiled into the binary.
    pub fn is_embedded(&self) -> bool {
        self.embedded
    }

    /// Parses and validates named JSON documents, each an array of entries.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, CatalogueError> {
        Self::from_files_with_signals(files, [])
    }

    /// Parses and validates catalogue documents, then attaches the signals of the
    /// signal documents to their entries.
    pub fn from_files_with_signals<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        signal_files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, CatalogueError> {
        let mut entries = Vec::new();
        for (name, text) in files {
            entries.extend(model::parse_file(name, text)?);
        }
        let mut entries = sorted_and_valid(entries)?;
        for (name, text) in signal_files {
            let records = model::parse_signal_file(name, text)?;
            validate::attach_signals(&mut entries, name, records)?;
        }
        Ok(Self { entries: entries.into(), embedded: false })
    }

    /// Validates entries and sorts them into code order; meanings that share a
    /// number keep the order they were given in.
    pub fn from_entries(entries: Vec<Entry>) -> Result<Self, CatalogueError> {
        Ok(Self { entries: sorted_and_valid(entries)?.into(), embedded: false })
    }

    /// This catalogue with entries changed or added by `edit` (a team's
    /// overlays), back in code order; meanings that share a number keep their
    /// order, so an added one comes after the catalogue's. The caller checks what
    /// it adds. The result is not the embedded catalogue: the index `build.rs`
    /// stored describes other entries.
    pub fn edited(&self, edit: impl FnOnce(&mut Vec<Entry>)) -> Catalogue {
        let mut entries = self.entries.to_vec();
        edit(&mut entries);
        entries.sort_by_key(|e| e.code);
        Catalogue { entries: entries.into(), embedded: false }
    }

    /// The entries, shared rather than copied.
    pub fn shared_entries(&self) -> Arc<[Entry]> {
        Arc::clone(&self.entries)
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

    /// Indices of every entry with this number, most often met first.
    pub fn indices_of_code(&self, code: u16) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().enumerate().filter(move |(_, e)| e.code == code).map(|(i, _)| i)
    }

    /// Where an entry's related links lead, in the entry's order.
    pub fn related_entries(&self, index: usize) -> Vec<usize> {
        self.entries[index].related.iter().filter_map(|link| self.position(link.code, &link.source)).collect()
    }

    /// The entry with this number and source.
    pub fn position(&self, code: u16, source: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.code == code && e.source == source)
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

fn sorted_and_valid(mut entries: Vec<Entry>) -> Result<Vec<Entry>, CatalogueError> {
    entries.sort_by_key(|e| e.code);
    validate::validate(&entries)?;
    Ok(entries)
}
