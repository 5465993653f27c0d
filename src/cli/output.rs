//! How `show`, `search` and `list` print: plain text, or with the browser's
//! colours when `--color` says so; JSON; the width to wrap to.

use std::io::{self, IsTerminal, Write};

use ratatui::backend::IntoCrossterm;
use ratatui::crossterm::style::force_color_output;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::catalogue::{Catalogue, Entry};
use crate::search::Reason;
use crate::view::entry::{self, Medium};
use crate::view::theme::Theme;

/// Width for wrapped text when stdout is not a terminal.
const DEFAULT_WIDTH: usize = 80;

/// Writes text with or without colour.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    color: bool,
}

impl Printer {
    pub fn new(color: bool) -> Printer {
        if color {
            // crossterm drops colours when NO_COLOR is set; `--color always` overrides it.
            force_color_output(true);
        }
        Printer { color }
    }

    fn theme(self) -> Theme {
        if self.color { Theme::COLOR } else { Theme::PLAIN }
    }

    /// One line, its spans styled when colour is on, without trailing spaces.
    fn line(self, out: &mut impl Write, line: &Line) -> io::Result<()> {
        if !self.color {
            return writeln!(out, "{}", line.to_string().trim_end());
        }
        let last = line.spans.iter().rposition(|s| !s.content.trim_end().is_empty());
        for (i, span) in line.spans.iter().enumerate().take(last.map_or(0, |l| l + 1)) {
            let text = if Some(i) == last { span.content.trim_end() } else { &span.content };
            self.styled(out, text, line.style.patch(span.style))?;
        }
        writeln!(out)
    }

    fn styled(self, out: &mut impl Write, text: &str, style: Style) -> io::Result<()> {
        if self.color && style != Style::default() {
            write!(out, "{}", style.into_crossterm().apply(text))
        } else {
            write!(out, "{text}")
        }
    }

    /// `show`'s text for one entry: a title line, then the entry's text form.
    pub fn entry(self, out: &mut impl Write, catalogue: &Catalogue, index: usize, width: usize) -> io::Result<()> {
        let theme = self.theme();
        let e = &catalogue.entries()[index];
        self.styled(out, &e.title(), theme.code(e.code))?;
        writeln!(out, "  ({})", e.source)?;
        for line in entry::content(catalogue, index, width, theme, Medium::Print).lines {
            self.line(out, &line)?;
        }
        Ok(())
    }

    /// A search or list hit: `524  A Timeout Occurred  (Cloudflare)`.
    /// One search hit: code, phrase, source, and, when neither the code nor a
    /// name matched, what did: the signal or the words found in the text.
    pub fn hit(self, out: &mut impl Write, entry: &Entry, reason: Option<&Reason>) -> io::Result<()> {
        let theme = self.theme();
        self.styled(out, &entry.code_label(), theme.code(entry.code))?;
        write!(out, "  {}  ", entry.phrase)?;
        self.styled(out, &format!("({})", entry.source), theme.dim())?;
        let why = match reason {
            Some(Reason::Signal(i)) => entry.signals.get(*i).map(|s| format!("  seen as: {} “{}”", s.emitter, s.text)),
            Some(Reason::Text(words)) => Some(format!("  found in the text: {}", words.join(", "))),
            None => None,
        };
        if let Some(why) = why {
            self.styled(out, &why, theme.dim())?;
        }
        writeln!(out)
    }
}

pub fn write_json<'a>(out: &mut impl Write, entries: impl Iterator<Item = &'a Entry>) -> io::Result<()> {
    let entries: Vec<&Entry> = entries.collect();
    serde_json::to_writer_pretty(&mut *out, &entries)?;
    writeln!(out)
}

/// The terminal's width (within reason) when stdout is one, else 80 columns.
pub fn width() -> usize {
    let reported = io::stdout().is_terminal().then(|| ratatui::crossterm::terminal::size().ok()).flatten();
    fitted_width(reported.map(|(columns, _)| columns))
}

/// A terminal that reports 0 columns (a pty nobody sized: `script` from a
/// pipe, some CI runners) has not said its width: it gets the default too.
fn fitted_width(reported: Option<u16>) -> usize {
    match reported {
        Some(0) | None => DEFAULT_WIDTH,
        Some(columns) => usize::from(columns).clamp(20, 120),
    }
}
