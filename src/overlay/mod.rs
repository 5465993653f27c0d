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

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn write(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
        fs::create_dir_all(dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        path
    }

    fn place(kind: PlaceKind, path: &std::path::Path) -> Place {
        Place { kind, path: path.to_path_buf() }
    }

    #[test]
    fn the_readme_example_parses_with_every_field() {
        let mut mistakes = Vec::new();
        let parsed = parse::parse(include_str!("../../tests/data/payments.toml"), &mut mistakes);
        assert_eq!(mistakes, []);
        assert_eq!(parsed.label.as_deref(), Some("payments"));
        let note = parsed.notes[0].get_ref();
        assert_eq!((*note.code.get_ref(), note.source.as_ref().map(|s| s.get_ref().as_str())), (502, Some("RFC 9110")));
        assert_eq!(note.runbooks[0].url, "https://runbooks.example.com/payments-502");
        assert_eq!(note.signals[0].get_ref().emitter, "payments-gateway");
        assert_eq!(note.tags, ["payments"]);
        assert_eq!(parsed.meanings[0].get_ref().phrase.get_ref(), "Tenant Suspended");
    }

    #[test]
    fn one_bad_record_costs_only_itself() {
        let mut mistakes = Vec::new();
        let parsed = parse::parse(
            "[[note]]\ncode = 404\ntext = \"kept\"\n\n[[note]]\ncode = 410\ncolour = \"red\"\n",
            &mut mistakes,
        );
        assert_eq!(parsed.notes.len(), 1);
        assert_eq!(mistakes.len(), 1);
        assert!(mistakes[0].1.contains("unknown field `colour`"), "{mistakes:?}");
    }

    #[test]
    fn notes_merge_in_discovery_order_and_may_name_a_later_files_meaning() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let project = dir.path().join("project");
        // The config's note is about a meaning the project file defines.
        write(&config, "b.toml", "[[note]]\ncode = 599\nsource = \"Acme\"\ntext = \"from config b\"\n");
        write(&config, "a.toml", "[[note]]\ncode = 404\ntext = \"from config a\"\n");
        write(
            &project,
            "x.toml",
            "[[note]]\ncode = 404\ntext = \"from project\"\n\n[[meaning]]\ncode = 599\nphrase = \"Tenant Suspended\"\nsource = \"Acme\"\nsummary = \"Suspended.\"\n",
        );
        let flag = write(dir.path(), "flag.toml", "label = \"flagged\"\n[[note]]\ncode = 404\ntext = \"from flag\"\n");
        let places =
            [place(PlaceKind::Config, &config), place(PlaceKind::Project, &project), place(PlaceKind::Flag, &flag)];
        let base = Catalogue::embedded().unwrap();
        let (merged, report) = load(&base, &places);
        assert_eq!(report.problems, []);
        assert!(!merged.is_embedded(), "a catalogue with overlays cannot use the stored index");
        let entry = &merged.entries()[merged.position(404, "RFC 9110").unwrap()];
        let texts: Vec<(&str, &str)> = entry.notes.iter().map(|n| (n.origin.label.as_str(), n.text.as_str())).collect();
        assert_eq!(texts, [("a", "from config a"), ("x", "from project"), ("flagged", "from flag")]);
        let team = &merged.entries()[merged.position(599, "Acme").unwrap()];
        assert_eq!(team.notes[0].text, "from config b");
        assert!(team.origin.as_ref().is_some_and(|o| o.file.ends_with("x.toml")));
        // After the catalogue's own 599s, in code order.
        let sources: Vec<&str> = merged.indices_of_code(599).map(|i| &*merged.entries()[i].source).collect();
        assert_eq!(sources.last(), Some(&"Acme"));
        assert_eq!(merged.len(), base.len() + 1);
        let counts: Vec<(String, usize, usize)> =
            report.loaded.iter().map(|l| (l.label.clone(), l.notes, l.meanings)).collect();
        assert_eq!(counts, [("a".into(), 1, 0), ("b".into(), 1, 0), ("x".into(), 1, 1), ("flagged".into(), 1, 0)]);
    }

    #[test]
    fn without_overlays_the_catalogue_stays_the_embedded_one() {
        let dir = tempfile::tempdir().unwrap();
        let base = Catalogue::embedded().unwrap();
        let (same, report) = load(&base, &[place(PlaceKind::Config, &dir.path().join("missing"))]);
        assert!(same.is_embedded());
        assert_eq!(report.problems, [], "a config folder that does not exist is not a problem");
        // A path the user named is.
        let (_, report) = load(&base, &[place(PlaceKind::Flag, &dir.path().join("missing.toml"))]);
        assert_eq!(report.problems.len(), 1);
        assert!(report.problems[0].to_string().ends_with("missing.toml:1:1: no such file or folder"));
    }

    #[test]
    fn places_come_in_merge_order() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().join("repo/src/deep");
        fs::create_dir_all(&cwd).unwrap();
        fs::create_dir_all(dir.path().join("repo/.statusbrowse")).unwrap();
        let env = Environment {
            config_home: Some("relative/is/ignored".into()),
            home: Some("/home/me".into()),
            overlays: Some("/team/notes::/more.toml".into()),
            cwd: Some(cwd),
        };
        let found: Vec<(PlaceKind, PathBuf)> =
            places(&env, &[PathBuf::from("extra.toml")]).into_iter().map(|p| (p.kind, p.path)).collect();
        assert_eq!(
            found,
            [
                (PlaceKind::Config, PathBuf::from("/home/me/.config/statusbrowse/overlays")),
                (PlaceKind::Variable, PathBuf::from("/team/notes")),
                (PlaceKind::Variable, PathBuf::from("/more.toml")),
                (PlaceKind::Project, dir.path().join("repo/.statusbrowse")),
                (PlaceKind::Flag, PathBuf::from("extra.toml")),
            ]
        );
    }

    #[test]
    fn every_template_passes_its_own_check() {
        let dir = tempfile::tempdir().unwrap();
        let base = Catalogue::embedded().unwrap();
        // One meaning, several meanings, none.
        for code in [404, 499, 777] {
            let file = write(dir.path(), &format!("{code}.toml"), &template(&base, code));
            let (_, report) = load(&base, &[place(PlaceKind::Flag, &file)]);
            assert_eq!(report.problems, [], "template for {code}");
            assert_eq!(report.loaded[0].notes, 1, "template for {code}");
        }
    }
}
