//! Checks that hold for every catalogue, embedded or not. Each failure names the
//! entry and the field, so a bad edit is found without reading the whole file.

use std::collections::HashSet;
use std::fmt;

use super::{Class, Entry};

pub const MIN_SITUATIONS: usize = 3;
pub const MIN_CHECKS: usize = 3;
pub const MIN_AVOID_WHEN: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueError {
    /// The JSON could not be read into the model.
    Parse { file: String, entry: Option<String>, message: String },
    /// An entry parsed but breaks a rule.
    Invalid { code: u16, source: String, field: &'static str, problem: String },
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueError::Parse { file, entry: Some(entry), message } => write!(f, "{file}: {entry}: {message}"),
            CatalogueError::Parse { file, entry: None, message } => write!(f, "{file}: {message}"),
            CatalogueError::Invalid { code, source, field, problem } => {
                write!(f, "entry {code:03} ({source}), field `{field}`: {problem}")
            }
        }
    }
}

impl std::error::Error for CatalogueError {}

/// Validates a whole catalogue; the first problem found is returned.
pub fn validate(entries: &[Entry]) -> Result<(), CatalogueError> {
    let codes: HashSet<u16> = entries.iter().map(|e| e.code).collect();
    let mut seen = HashSet::new();
    for entry in entries {
        let fail = |field: &'static str, problem: String| CatalogueError::Invalid {
            code: entry.code,
            source: entry.source.clone(),
            field,
            problem,
        };
        if !seen.insert((entry.code, entry.source.as_str())) {
            return Err(fail("source", "another entry has the same code and source".into()));
        }
        if entry.code > 999 {
            return Err(fail("code", "status codes have three digits".into()));
        }
        if entry.class != Class::of_code(entry.code) {
            return Err(fail(
                "class",
                format!("is {} but the code belongs to {}", entry.class.key(), Class::of_code(entry.code).key()),
            ));
        }
        for (field, text) in text_fields(entry) {
            if text.trim().is_empty() {
                return Err(fail(field, "is empty".into()));
            }
            if let Some(c) = text.chars().find(|c| c.is_control()) {
                return Err(fail(field, format!("contains control character {c:?}")));
            }
        }
        for (field, items, min) in [
            ("situations", &entry.situations, MIN_SITUATIONS),
            ("checks", &entry.checks, MIN_CHECKS),
            ("avoid_when", &entry.avoid_when, MIN_AVOID_WHEN),
        ] {
            if items.len() < min {
                return Err(fail(field, format!("has {} items, needs at least {min}", items.len())));
            }
        }
        if entry.generated_by.is_empty() {
            return Err(fail("generated_by", "names no generator".into()));
        }
        if !entry.link.starts_with("https://") {
            return Err(fail("link", format!("{:?} is not an https URL", entry.link)));
        }
        if entry.cacheable != entry.cacheable_basis.is_some() {
            return Err(fail("cacheable_basis", "must be given exactly when cacheable is true".into()));
        }
        let mut related = HashSet::new();
        for &code in &entry.related {
            if code == entry.code {
                return Err(fail("related", "lists the entry's own code".into()));
            }
            if !codes.contains(&code) {
                return Err(fail("related", format!("{code} has no entry")));
            }
            if !related.insert(code) {
                return Err(fail("related", format!("{code} is listed twice")));
            }
        }
    }
    Ok(())
}

/// Every free-text field of an entry, with its name, for the checks that apply to all text.
pub fn text_fields(entry: &Entry) -> impl Iterator<Item = (&'static str, &str)> {
    let singles = [
        ("phrase", entry.phrase.as_str()),
        ("source", &entry.source),
        ("reference", &entry.reference),
        ("link", &entry.link),
        ("generator_note", &entry.generator_note),
        ("retry_note", &entry.retry_note),
        ("summary", &entry.summary),
        ("explanation", &entry.explanation),
    ];
    let optional = [("cacheable_basis", entry.cacheable_basis.as_deref()), ("disputed", entry.disputed.as_deref())];
    let lists = [
        ("aliases", &entry.aliases),
        ("situations", &entry.situations),
        ("checks", &entry.checks),
        ("avoid_when", &entry.avoid_when),
    ];
    singles
        .into_iter()
        .chain(optional.into_iter().filter_map(|(f, t)| t.map(|t| (f, t))))
        .chain(lists.into_iter().flat_map(|(f, items)| items.iter().map(move |t| (f, t.as_str()))))
}
