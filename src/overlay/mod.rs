//! Overlays: a team's notes, runbooks, error strings and internal codes, kept in
//! TOML files (their own repository, the service's `.statusbrowse/`, the user's
//! config) and layered over the shipped catalogue. Bad input never stops the
//! program: each problem becomes one `file:line:column: message` line and
//! everything else still loads.

mod clean;
mod discover;
mod merge;
mod parse;
mod template;

use std::fmt;
use std::path::PathBuf;

use crate::catalogue::{Catalogue, Origin};

pub use discover::{Environment, MAX_FILE_BYTES, Place, PlaceKind, places};
pub use template::template;

/// One problem in one overlay file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file name is text from outside too.
        let file = clean::clean(&self.file.display().to_string(), false);
        write!(f, "{file}:{}:{}: {}", self.line, self.column, self.message)
    }
}

/// A file that was read, whatever it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub file: PathBuf,
    /// Why it was searched.
    pub kind: PlaceKind,
    pub label: String,
    pub notes: usize,
    pub meanings: usize,
}

/// What loading found: every place searched, every file read, every problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub places: Vec<Place>,
    pub loaded: Vec<Loaded>,
    pub problems: Vec<Problem>,
}

/// The catalogue with the overlays found in `places` merged in, and what was
/// found. With nothing to add it is the catalogue given, still the embedded one
/// if it was.
pub fn load(catalogue: &Catalogue, places: &[Place]) -> (Catalogue, Report) {
    let mut report = Report { places: places.to_vec(), ..Report::default() };
    let mut inputs = Vec::new();
    let mut texts = Vec::new();
    let mut seen = Vec::new();
    for place in places {
        let files = match discover::files(place) {
            Ok(files) => files,
            Err(refusal) => {
                report.problems.push(problem(place.path.clone(), refusal));
                continue;
            }
        };
        for file in files {
            // One file reached twice (a folder and a flag naming it) loads once.
            let identity = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if seen.contains(&identity) {
                continue;
            }
            seen.push(identity);
            let text = match discover::read(&file) {
                Ok(text) => text,
                Err(refusal) => {
                    report.problems.push(problem(file, refusal));
                    continue;
                }
            };
            let mut mistakes = Vec::new();
            let parsed = parse::parse(&text, &mut mistakes);
            let label = parsed.label.as_deref().map(|l| clean::clean(l, false)).filter(|l| !l.is_empty());
            let label = label.unwrap_or_else(|| file_label(&file));
            let origin = Origin { label: label.clone(), file: clean::clean(&file.display().to_string(), false) };
            report.loaded.push(Loaded { file: file.clone(), kind: place.kind, label, notes: 0, meanings: 0 });
            report.problems.extend(mistakes.into_iter().map(|m| located(&file, &text, m)));
            inputs.push(merge::Input { origin, parsed });
            texts.push(text);
        }
    }
    if inputs.iter().all(|input| input.parsed.notes.is_empty() && input.parsed.meanings.is_empty()) {
        return (catalogue.clone(), report);
    }
    let mut outcome = None;
    let merged = catalogue.edited(|entries| outcome = Some(merge::merge(entries, inputs)));
    let (added, mistakes) = outcome.unwrap_or_default();
    for (loaded, added) in report.loaded.iter_mut().zip(added) {
        loaded.notes = added.notes;
        loaded.meanings = added.meanings;
    }
    for (file, mistake) in mistakes {
        let path = report.loaded[file].file.clone();
        report.problems.push(located(&path, &texts[file], mistake));
    }
    (merged, report)
}

/// The label of a file that names none: its name without `.toml`.
fn file_label(file: &std::path::Path) -> String {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    clean::clean(&stem, false)
}

fn problem(file: PathBuf, refusal: discover::Refusal) -> Problem {
    Problem { file, line: refusal.line, column: refusal.column, message: refusal.message }
}

fn located(file: &std::path::Path, text: &str, (span, message): parse::Mistake) -> Problem {
    let (line, column) = discover::position(text, span.start);
    Problem { file: file.to_path_buf(), line, column, message: clean::clean(&message, false) }
}
