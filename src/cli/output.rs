//! How `show`, `search` and `list` print: plain text, or with the browser's
//! colours when `--color` says so; JSON; the width to wrap to.

use std::io::{self, IsTerminal, Write};

use ratatui::backend::IntoCrossterm;
use ratatui::crossterm::style::force_color_output;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::catalogue::{Catalogue, Entry};
use crate::search::Reason;
use crate::view::entry::{self, Medium, UrlSpot};
use crate::view::text;
use crate::view::theme::Theme;

/// Width for wrapped text when stdout is not a terminal.
const DEFAULT_WIDTH: usize = 80;

/// Writes text with or without colour, and web links with or without OSC 8.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    color: bool,
    hyperlinks: bool,
}

impl Printer {
    /// `hyperlinks`: wrap web links in OSC 8, which only a terminal reads.
    pub fn new(color: bool, hyperlinks: bool) -> Printer {
        if color {
            // crossterm drops colours when NO_COLOR is set; `--color always` overrides it.
            force_color_output(true);
        }
        Printer { color, hyperlinks }
    }

    fn theme(self) -> Theme {
        if self.color { Theme::COLOR } else { Theme::PLAIN }
    }

    /// One line, its spans styled when colour is on, without trailing spaces;
    /// the span that starts where a web link is drawn (`spots`) becomes an
    /// OSC 8 hyperlink when those are on.
    fn line(self, out: &mut impl Write, line: &Line, spots: &[&UrlSpot]) -> io::Result<()> {
        if !self.color && (!self.hyperlinks || spots.is_empty()) {
            return writeln!(out, "{}", line.to_string().trim_end());
        }
        let last = line.spans.iter().rposition(|s| !s.content.trim_end().is_empty());
        let mut column = 0;
        for (i, span) in line.spans.iter().enumerate().take(last.map_or(0, |l| l + 1)) {
            let text = if Some(i) == last { span.content.trim_end() } else { &span.content };
            let link = spots.iter().find(|spot| spot.column == column).filter(|_| self.hyperlinks);
            if let Some(spot) = link {
                write!(out, "\x1b]8;;{}\x1b\\", spot.url)?;
            }
            self.styled(out, text, line.style.patch(span.style))?;
            if link.is_some() {
                write!(out, "\x1b]8;;\x1b\\")?;
            }
            column += text::width(&span.content);
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
        let content = entry::content(catalogue, index, width, theme, Medium::Print);
        for (n, line) in content.lines.iter().enumerate() {
            let spots: Vec<&UrlSpot> = content.urls.iter().filter(|spot| spot.line == n).collect();
            self.line(out, line, &spots)?;
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
    if io::stdout().is_terminal() {
        ratatui::crossterm::terminal::size().map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w).clamp(20, 120))
    } else {
        DEFAULT_WIDTH
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Origin, Runbook, TeamNote};

    /// 502 with a team note holding a web runbook and one that is not a web link.
    fn with_note() -> (Catalogue, usize) {
        let base = Catalogue::embedded().unwrap();
        let runbook = |title: &str, url: &str| Runbook { title: title.into(), url: url.into() };
        let catalogue = base.edited(|entries| {
            let entry = entries.iter_mut().find(|e| e.code == 502).unwrap();
            entry.notes.push(TeamNote {
                origin: Origin { label: "payments".into(), file: "payments.toml".into() },
                text: "The card processor is down.".into(),
                owner: Some("#payments-oncall".into()),
                runbooks: vec![
                    runbook("Payments 502", "https://runbooks.example.com/502"),
                    runbook("Wiki", "wiki:502"),
                ],
                tags: Vec::new(),
            });
        });
        let index = catalogue.position(502, "RFC 9110").unwrap();
        (catalogue, index)
    }

    fn printed(hyperlinks: bool) -> String {
        let (catalogue, index) = with_note();
        let mut out = Vec::new();
        Printer::new(false, hyperlinks).entry(&mut out, &catalogue, index, 80).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn runbooks_are_hyperlinks_only_when_asked_and_only_for_web_links() {
        let plain = printed(false);
        assert!(plain.contains("\nRunbook: Payments 502 <https://runbooks.example.com/502>\n"), "{plain}");
        assert!(plain.contains("\nRunbook: Wiki <wiki:502>\n"), "{plain}");
        assert!(!plain.contains('\u{1b}'));

        let linked = printed(true);
        let url = "https://runbooks.example.com/502";
        let link = format!("\nRunbook: \u{1b}]8;;{url}\u{1b}\\Payments 502 <{url}>\u{1b}]8;;\u{1b}\\\n");
        assert!(linked.contains(&link), "{linked}");
        assert!(linked.contains("\nRunbook: Wiki <wiki:502>\n"), "only http and https links become hyperlinks");
        // Apart from the links, the text is the same.
        let without_links = linked.replace(&format!("\u{1b}]8;;{url}\u{1b}\\"), "").replace("\u{1b}]8;;\u{1b}\\", "");
        assert_eq!(without_links, plain);
    }
}
