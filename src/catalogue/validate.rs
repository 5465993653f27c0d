//! Checks that hold for every catalogue, embedded or not. Each failure names the
//! entry and the field, so a bad edit is found without reading the whole file.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::model::SignalRecord;
use super::{Class, Entry, Related, SignalForm};

pub const MIN_SITUATIONS: usize = 3;
pub const MIN_CHECKS: usize = 3;
pub const MIN_AVOID_WHEN: usize = 2;
/// Longer lists stop guiding the reader to the one code to read next.
pub const MAX_RELATED: usize = 7;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueError {
    /// The JSON could not be read into the model.
    Parse { file: String, entry: Option<String>, message: String },
    /// An entry parsed but breaks a rule.
    Invalid { code: u16, source: String, field: &'static str, problem: String },
    /// A signal file's item (counted from 1) breaks a rule.
    InvalidSignal { file: String, item: usize, problem: String },
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueError::Parse { file, entry: Some(entry), message } => write!(f, "{file}: {entry}: {message}"),
            CatalogueError::Parse { file, entry: None, message } => write!(f, "{file}: {message}"),
            CatalogueError::Invalid { code, source, field, problem } => {
                write!(f, "entry {code:03} ({source}), field `{field}`: {problem}")
            }
            CatalogueError::InvalidSignal { file, item, problem } => write!(f, "{file}: signal {item}: {problem}"),
        }
    }
}

impl std::error::Error for CatalogueError {}

/// Validates a whole catalogue; the first problem found is returned.
pub fn validate(entries: &[Entry]) -> Result<(), CatalogueError> {
    let mut names: HashMap<(u16, &str), usize> = HashMap::new();
    for entry in entries {
        *names.entry((entry.code, &*entry.source)).or_default() += 1;
    }
    let mut seen = HashSet::new();
    for entry in entries {
        let fail = |field: &'static str, problem: String| CatalogueError::Invalid {
            code: entry.code,
            source: entry.source.to_string(),
            field,
            problem,
        };
        if !seen.insert((entry.code, &*entry.source)) {
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
        validate_related(entry, &names).map_err(|problem| fail("related", problem))?;
    }
    Ok(())
}

/// `names` counts the entries of each (code, source) pair.
fn validate_related(entry: &Entry, names: &HashMap<(u16, &str), usize>) -> Result<(), String> {
    if entry.related.len() > MAX_RELATED {
        return Err(format!("has {} links, at most {MAX_RELATED}", entry.related.len()));
    }
    let mut listed = HashSet::new();
    for link in entry.related.iter() {
        let Related { code, source } = link;
        if *code == entry.code && *source == entry.source {
            return Err("links the entry to itself".into());
        }
        match names.get(&(*code, &**source)) {
            Some(1) => {}
            None => return Err(format!("{code:03} ({source}) has no entry")),
            Some(_) => return Err(format!("{code:03} ({source}) names more than one entry")),
        }
        if !listed.insert(link) {
            return Err(format!("{code:03} ({source}) is listed twice"));
        }
    }
    Ok(())
}

/// Checks one signal file's records and attaches each signal to its entry.
pub(super) fn attach_signals(
    entries: &mut [Entry],
    file: &str,
    records: Vec<SignalRecord>,
) -> Result<(), CatalogueError> {
    for (n, record) in records.into_iter().enumerate() {
        let fail = |problem: String| CatalogueError::InvalidSignal { file: file.to_string(), item: n + 1, problem };
        let texts = [
            ("text", Some(&record.text)),
            ("emitter", Some(&record.emitter)),
            ("reference", Some(&record.reference)),
            ("meaning", record.meaning.as_ref()),
            ("since", record.since.as_ref()),
            ("deprecated_since", record.deprecated_since.as_ref()),
            ("removed_in", record.removed_in.as_ref()),
        ];
        for (field, text) in texts {
            let Some(text) = text else { continue };
            if text.trim().is_empty() {
                return Err(fail(format!("`{field}` is empty")));
            }
            if let Some(c) = text.chars().find(|c| c.is_control()) {
                return Err(fail(format!("`{field}` contains control character {c:?}")));
            }
        }
        if record.form == SignalForm::Constant && record.since.is_none() {
            return Err(fail("a constant needs `since`, the first release that has it".into()));
        }
        if record.since.is_none() && (record.deprecated_since.is_some() || record.removed_in.is_some()) {
            return Err(fail("`deprecated_since` and `removed_in` need `since`".into()));
        }
        let mut owners = entries.iter_mut().filter(|e| e.code == record.code && e.source == record.source);
        let (Some(entry), None) = (owners.next(), owners.next()) else {
            return Err(fail(format!("{:03} ({}) does not name exactly one entry", record.code, record.source)));
        };
        if entry.signals.iter().any(|s| s.text == record.text) {
            return Err(fail(format!("{:?} is listed twice for {}", record.text, entry.title())));
        }
        entry.signals.to_mut().push(record.into_signal());
    }
    Ok(())
}

/// Every free-text field of an entry, with its name, for the checks that apply to all text.
pub fn text_fields(entry: &Entry) -> impl Iterator<Item = (&'static str, &str)> {
    let singles = [
        ("phrase", &*entry.phrase),
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
        .chain(lists.into_iter().flat_map(|(f, items)| items.iter().map(move |t| (f, &**t))))
}
