//! `statusbrowse overlay paths | check | new`: where a team's overlays are found,
//! whether they load, and a file to start one from.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;

use crate::catalogue::Catalogue;
use crate::overlay::{self, Place, PlaceKind, Report};

use super::Outcome;

#[derive(Debug, Subcommand)]
pub enum OverlayCommand {
    /// Where overlays are searched, in merge order, and what was loaded from each file.
    Paths,
    /// Check overlay files or folders (by default every overlay found) and print each problem.
    #[command(
        after_help = "Exit status: 0 no problem, 2 at least one problem (each printed as file:line:column: message)."
    )]
    Check {
        /// Files or folders to check instead of the ones found; notes on a team's own code are checked
        /// together with the file that defines it when both are given.
        paths: Vec<PathBuf>,
    },
    /// Print a commented overlay for a status code, ready to edit (a new meaning when the catalogue lacks it).
    New {
        #[arg(value_parser = clap::value_parser!(u16).range(0..=999))]
        code: u16,
    },
}

/// `base` is the catalogue without overlays; `report` says what loading the
/// overlays found.
pub fn run(out: &mut impl Write, command: OverlayCommand, base: &Catalogue, report: &Report) -> io::Result<Outcome> {
    match command {
        OverlayCommand::Paths => {
            paths(out, report)?;
            Ok(Outcome::Printed)
        }
        OverlayCommand::Check { paths } if paths.is_empty() => check(out, report),
        OverlayCommand::Check { paths } => {
            let places: Vec<Place> = paths.into_iter().map(|path| Place { kind: PlaceKind::Flag, path }).collect();
            check(out, &overlay::load(base, &places).1)
        }
        OverlayCommand::New { code } => {
            write!(out, "{}", overlay::template(base, code))?;
            Ok(Outcome::Printed)
        }
    }
}

fn paths(out: &mut impl Write, report: &Report) -> io::Result<()> {
    writeln!(out, "Searched, in merge order:")?;
    let kind_width = report.places.iter().map(|p| p.kind.label().len()).max().unwrap_or(0);
    for place in &report.places {
        let state = if place.path.exists() { "" } else { "  (not found)" };
        writeln!(out, "  {:kind_width$}  {}{state}", place.kind.label(), place.path.display())?;
    }
    if !report.places.iter().any(|p| p.kind == PlaceKind::Project) {
        writeln!(out, "  (no .statusbrowse/ folder in the current directory or above it)")?;
    }
    writeln!(out, "Loaded:")?;
    if report.loaded.is_empty() {
        writeln!(out, "  nothing")?;
    }
    for loaded in &report.loaded {
        writeln!(
            out,
            "  {}  “{}”: {}, {}",
            loaded.file.display(),
            loaded.label,
            count(loaded.notes, "note"),
            count(loaded.meanings, "meaning")
        )?;
    }
    if !report.problems.is_empty() {
        writeln!(out, "Problems:")?;
        for problem in &report.problems {
            writeln!(out, "  {problem}")?;
        }
    }
    Ok(())
}

fn check(out: &mut impl Write, report: &Report) -> io::Result<Outcome> {
    for problem in &report.problems {
        writeln!(out, "{problem}")?;
    }
    let notes: usize = report.loaded.iter().map(|l| l.notes).sum();
    let meanings: usize = report.loaded.iter().map(|l| l.meanings).sum();
    if report.problems.is_empty() {
        if report.loaded.is_empty() {
            writeln!(out, "no overlay files found (see `statusbrowse overlay paths`)")?;
        } else {
            let files = count(report.loaded.len(), "file");
            writeln!(out, "{files} checked: {}, {}, no problems", count(notes, "note"), count(meanings, "meaning"))?;
        }
        return Ok(Outcome::Printed);
    }
    Ok(Outcome::Unreadable(format!("{} in the overlays", count(report.problems.len(), "problem"))))
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
