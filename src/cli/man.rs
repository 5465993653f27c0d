//! `statusbrowse man`: the manual page in roff, rendered by clap_mangen from
//! the same clap definition that prints `--help`, so the two cannot disagree.
//! One page holds every command: a COMMANDS section with each command's
//! synopsis, description, options and notes, where clap_mangen alone would
//! point to a page per command that nobody installs.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_mangen::Man;

use super::Cli;

/// Writes the whole page.
pub fn write(out: &mut impl Write) -> io::Result<()> {
    let mut cli = Cli::command();
    // Building sets each command's full name (`statusbrowse overlay check`) for its synopsis.
    cli.build();
    let man = Man::new(cli.clone());
    man.render_title(out)?;
    for render in [Man::render_name_section, Man::render_synopsis_section, Man::render_description_section] {
        section(out, |w| render(&man, w), true)?;
    }
    section(out, |w| man.render_options_section(w), true)?;
    writeln!(out, ".SH COMMANDS")?;
    for command in commands(&cli) {
        write_command(out, command)?;
    }
    // The top-level notes are the exit statuses.
    writeln!(out, ".SH \"EXIT STATUS\"")?;
    without_heading(out, |w| man.render_extra_section(w))?;
    section(out, |w| man.render_version_section(w), true)
}

/// Every command and nested command, depth first, in definition order. The
/// children of `help` are the commands again, so `help` stands alone.
fn commands(parent: &clap::Command) -> Vec<&clap::Command> {
    parent
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .flat_map(|c| {
            let nested = if c.get_name() == "help" { Vec::new() } else { commands(c) };
            std::iter::once(c).chain(nested)
        })
        .collect()
}

/// One command as a subsection: what it does, how it is called, its options
/// and its own notes (the log formats for `tally`, exit statuses).
fn write_command(out: &mut impl Write, command: &clap::Command) -> io::Result<()> {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    writeln!(out, ".SS \"{name}\"")?;
    let man = Man::new(command.clone());
    without_heading(out, |w| man.render_description_section(w))?;
    without_heading(out, |w| man.render_synopsis_section(w))?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        without_heading(out, |w| man.render_options_section(w))?;
    }
    if command.get_after_help().is_some() {
        without_heading(out, |w| man.render_extra_section(w))?;
    }
    Ok(())
}

/// A section clap_mangen renders, minus its `.SH` line, to sit under a heading of ours.
fn without_heading(out: &mut impl Write, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    writeln!(out, ".PP")?;
    section(out, render, false)
}

/// A section clap_mangen renders, without the string definitions it repeats
/// before each one (the title's copy defines them for the page).
fn section(
    out: &mut impl Write,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    keep_heading: bool,
) -> io::Result<()> {
    let mut text = Vec::new();
    render(&mut text)?;
    let text = String::from_utf8_lossy(&text);
    let mut heading_seen = keep_heading;
    for line in text.lines().filter(|line| !PREAMBLE.contains(line)) {
        if !heading_seen && line.starts_with(".SH ") {
            heading_seen = true;
            continue;
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// What clap_mangen writes before every section: the apostrophe string `\*(Aq`.
const PREAMBLE: [&str; 2] = [".ie \\n(.g .ds Aq \\(aq", ".el .ds Aq '"];
