//! How `show`, `search` and `list` print: plain text, or with the browser's
//! colours when `--color` says so; JSON; the width to wrap to.

use std::io::{self, BufWriter, IsTerminal, Write};

use ratatui::backend::IntoCrossterm;
use ratatui::crossterm::style::force_color_output;
use ratatui::style::Style;
use ratatui::text::Line;

use crate::catalogue::{Catalogue, Entry};
use crate::search::Reason;

use super::Outcome;
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

/// Room for a whole `show` or `search` in one write; `list --json` takes a few.
const OUTPUT_BUFFER: usize = 64 * 1024;

/// Runs `print` on `out` buffered, then flushes once. Without this every line
/// is a system call: std's stdout flushes at each newline. A failed write or
/// flush (a closed pipe, a full disk) is returned for `main` to judge.
pub fn buffered<W: Write>(out: W, print: impl FnOnce(&mut BufWriter<W>) -> io::Result<Outcome>) -> io::Result<Outcome> {
    let mut out = BufWriter::with_capacity(OUTPUT_BUFFER, out);
    let outcome = print(&mut out)?;
    out.flush()?;
    Ok(outcome)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Origin, Runbook, TeamNote};
    use crate::cli::{Cli, ColorChoice, run};
    use crate::overlay::Report;
    use clap::Parser;

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

    fn printed_502(hyperlinks: bool) -> String {
        let (catalogue, index) = with_note();
        let mut out = Vec::new();
        Printer::new(false, hyperlinks).entry(&mut out, &catalogue, index, 80).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn runbooks_are_hyperlinks_only_when_asked_and_only_for_web_links() {
        let plain = printed_502(false);
        assert!(plain.contains("\nRunbook: Payments 502 <https://runbooks.example.com/502>\n"), "{plain}");
        assert!(plain.contains("\nRunbook: Wiki <wiki:502>\n"), "{plain}");
        assert!(!plain.contains('\u{1b}'));

        let linked = printed_502(true);
        let url = "https://runbooks.example.com/502";
        let link = format!("\nRunbook: \u{1b}]8;;{url}\u{1b}\\Payments 502 <{url}>\u{1b}]8;;\u{1b}\\\n");
        assert!(linked.contains(&link), "{linked}");
        assert!(linked.contains("\nRunbook: Wiki <wiki:502>\n"), "only http and https links become hyperlinks");
        // Apart from the links (the runbook's and the source's), the text is the same.
        let (catalogue, index) = with_note();
        let source = &catalogue.entries()[index].link;
        let without_links = linked
            .replace(&format!("\u{1b}]8;;{url}\u{1b}\\"), "")
            .replace(&format!("\u{1b}]8;;{source}\u{1b}\\"), "")
            .replace("\u{1b}]8;;\u{1b}\\", "");
        assert_eq!(without_links, plain);
    }

    #[test]
    fn the_source_link_is_a_hyperlink_when_runbooks_are() {
        let (catalogue, index) = with_note();
        let link = &catalogue.entries()[index].link;
        assert!(link.starts_with("https://"), "{link}");
        let plain = printed_502(false);
        assert!(plain.contains(&format!("\nSOURCE\n{}\n{link}\n", catalogue.entries()[index].reference)), "{plain}");
        let linked = printed_502(true);
        assert!(linked.contains(&format!("\n\u{1b}]8;;{link}\u{1b}\\{link}\u{1b}]8;;\u{1b}\\\n")), "{linked}");
    }

    /// Counts the calls the buffered writer makes to what it wraps.
    #[derive(Default)]
    struct Calls {
        writes: usize,
        flushes: usize,
        bytes: Vec<u8>,
    }

    impl Write for Calls {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    fn printed(args: &[&str]) -> Calls {
        let cli = Cli::try_parse_from([&["statusbrowse"], args].concat()).unwrap();
        let catalogue = Catalogue::embedded().unwrap();
        let mut calls = Calls::default();
        let outcome = buffered(&mut calls, |out| {
            run(cli.command.unwrap(), out, &catalogue, &catalogue, &Report::default(), ColorChoice::Never)
        });
        assert!(matches!(outcome, Ok(Outcome::Printed)), "{args:?}: {outcome:?}");
        calls
    }

    #[test]
    fn show_and_search_reach_stdout_in_one_write_and_one_flush() {
        for args in [&["show", "404"][..], &["show", "502", "504", "524"], &["search", "timeout"]] {
            let calls = printed(args);
            assert!(calls.bytes.iter().filter(|&&b| b == b'\n').count() > 5, "{args:?} printed little");
            assert_eq!((calls.writes, calls.flushes), (1, 1), "{args:?}");
        }
    }

    /// A disk with no room left, as /dev/full.
    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::StorageFull.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_that_fails_at_the_flush_is_still_an_error() {
        let outcome = buffered(Full, |out| {
            writeln!(out, "fits in the buffer")?;
            Ok(Outcome::Printed)
        });
        assert_eq!(outcome.map_err(|e| e.kind()).err(), Some(io::ErrorKind::StorageFull));
    }
}
