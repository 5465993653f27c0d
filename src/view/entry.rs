//! An entry as lines of text, ordered for an incident: what it is, who sent it,
//! what to check, then the background, and the related codes as links. The
//! browser's detail panel draws these lines; the CLI's `show` prints them.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::catalogue::{Catalogue, Entry, Signal, SignalForm};
use crate::search::Reason;

use super::text;
use super::theme::Theme;

/// The panel's lines at one width, and where the related-code links are.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub lines: Vec<Line<'static>>,
    /// (line, catalogue position) for each related-code link, in order.
    pub links: Vec<(usize, usize)>,
}

struct Builder {
    theme: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
}

impl Builder {
    fn heading(&mut self, title: &str) {
        self.lines.push(Line::raw(""));
        self.lines.push(Line::styled(title.to_uppercase(), self.theme.heading()));
    }

    /// Wrapped text; continuation lines are indented like the first line's text.
    /// A marker wider than half the panel ("Found by the words: " in a narrow
    /// detail) would leave a sliver that breaks words, so the text then starts
    /// on the next line with a small indent.
    fn item(&mut self, marker: &str, body: &str, style: Style) {
        let mut indent = text::width(marker);
        if indent * 2 > self.width {
            self.lines.push(Line::styled(marker.trim_end().to_string(), self.theme.dim()));
            indent = 2;
            for line in text::wrap(body, self.width.saturating_sub(indent)) {
                self.lines.push(Line::from(vec![Span::raw(" ".repeat(indent)), Span::styled(line, style)]));
            }
            return;
        }
        for (i, line) in text::wrap(body, self.width.saturating_sub(indent)).into_iter().enumerate() {
            let lead = if i == 0 { marker.to_string() } else { " ".repeat(indent) };
            self.lines.push(Line::from(vec![Span::styled(lead, self.theme.dim()), Span::styled(line, style)]));
        }
    }

    fn para(&mut self, body: &str) {
        self.item("", body, self.theme.base());
    }
}

/// Where the text goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium<'a> {
    /// The browser's detail panel: keys apply, a related-code link may be
    /// highlighted, and the search says what it matched when no name did.
    Panel { selected_link: Option<usize>, found_by: Option<&'a Reason> },
    /// Printed by `show`: no key hints, and URLs whole, since a URL broken across
    /// lines can be neither clicked nor copied.
    Print,
}

/// The lines for one entry: the browser's detail panel draws them, the CLI's
/// `show` prints them.
pub fn content(catalogue: &Catalogue, index: usize, width: usize, theme: Theme, medium: Medium) -> Content {
    let (selected_link, found_by) = match medium {
        Medium::Panel { selected_link, found_by } => (selected_link, found_by),
        Medium::Print => (None, None),
    };
    let entry = &catalogue.entries()[index];
    let mut b = Builder { theme, width, lines: Vec::new() };
    let facts = format!(
        "{} · {} · {} · API: {}",
        entry.source,
        entry.class.label(),
        entry.lifecycle.label(),
        entry.recommendation.label()
    );
    b.item("", &facts, theme.dim());
    if entry.phrase_is_description {
        b.item(
            "",
            &format!("“{}” is a description; no reason phrase is sent with it.", entry.phrase),
            theme.description(),
        );
    }
    if !entry.aliases.is_empty() {
        b.item("aka ", &entry.aliases.join(" · "), theme.dim());
    }
    b.lines.push(Line::raw(""));
    b.item("", &entry.summary, theme.strong());
    if let Some(Reason::Text(words)) = found_by {
        b.item("Found by the words: ", &words.join(", "), theme.matched());
    }
    let matched_signal = match found_by {
        Some(Reason::Signal(i)) => Some(*i),
        _ => None,
    };
    let shown_here = if medium == Medium::Print { usize::MAX } else { PANEL_SIGNALS };
    let more = seen_as(&mut b, entry, matched_signal, shown_here);

    b.heading("Who sends it");
    let senders: Vec<&str> = entry.generated_by.iter().map(|g| g.label()).collect();
    b.item("", &format!("{}: {}.", senders.join(", "), entry.delivery.label()), theme.strong());
    b.para(&entry.generator_note);

    b.heading("What to check");
    for (n, check) in entry.checks.iter().enumerate() {
        b.item(&format!("{}. ", n + 1), check, theme.base());
    }

    b.heading("What it means");
    b.para(&entry.explanation);
    if let Some(disputed) = &entry.disputed {
        b.item("! ", disputed, theme.warning());
    }

    b.heading("Common situations");
    for situation in &entry.situations {
        b.item("• ", situation, theme.base());
    }

    b.heading("Avoid / do not confuse with");
    if let Some(advice) = entry.not_registered_advice() {
        b.item("• ", advice, theme.strong());
    }
    for avoid in &entry.avoid_when {
        b.item("• ", avoid, theme.base());
    }

    b.heading("Retry and caching");
    b.item("Retry: ", &format!("{}. {}", capitalised(entry.retry.label()), entry.retry_note), theme.base());
    let cache = match &entry.cacheable_basis {
        Some(basis) => format!("yes, heuristically cacheable by default ({basis})."),
        None => "no, only with explicit freshness headers.".to_string(),
    };
    b.item("Cacheable: ", &cache, theme.base());

    if !more.is_empty() {
        b.heading("More signals");
        for signal in more {
            signal_lines(&mut b, signal, false);
        }
    }

    b.heading("Source");
    b.para(&entry.reference);
    match medium {
        Medium::Panel { .. } => b.item("", &entry.link, theme.link()),
        Medium::Print => b.lines.push(Line::styled(entry.link.clone(), theme.link())),
    }

    let links = catalogue.related_entries(index);
    let mut positions = Vec::new();
    if !links.is_empty() {
        b.heading(if medium == Medium::Print { "Related codes" } else { "Related codes (Tab, Enter)" });
        for (n, &target) in links.iter().enumerate() {
            let t = &catalogue.entries()[target];
            let style = if selected_link == Some(n) { theme.link_selected() } else { theme.link() };
            positions.push((b.lines.len(), target));
            let label = format!("→ {} {} ({})", t.code_label(), t.phrase, t.source);
            b.lines.push(Line::from(text::truncate(vec![Span::styled(label, style)], width)));
        }
    }
    Content { lines: b.lines, links: positions }
}

/// Signals the detail panel shows near the top; the rest follow further down,
/// so "what to check" stays on the first screen.
const PANEL_SIGNALS: usize = 3;

/// What software prints with this meaning: each string verbatim under its emitter,
/// the one the search matched first, and library constants folded into one line
/// because their names say it all. Returns the strings left for further down.
fn seen_as<'e>(b: &mut Builder, entry: &'e Entry, matched: Option<usize>, shown_here: usize) -> Vec<&'e Signal> {
    if entry.signals.is_empty() {
        return Vec::new();
    }
    b.heading("Seen as");
    let mut strings: Vec<(usize, &Signal)> =
        entry.signals.iter().enumerate().filter(|(_, s)| s.form != SignalForm::Constant).collect();
    if let Some(at) = strings.iter().position(|(i, _)| Some(*i) == matched) {
        let first = strings.remove(at);
        strings.insert(0, first);
    }
    let rest = strings.split_off(strings.len().min(shown_here));
    for (i, signal) in strings {
        signal_lines(b, signal, Some(i) == matched);
    }
    if !rest.is_empty() {
        b.item("", &format!("{} more under “More signals” below.", rest.len()), b.theme.dim());
    }
    let constants: Vec<String> =
        entry.signals.iter().filter(|s| s.form == SignalForm::Constant).map(|s| s.constant_label(&s.text)).collect();
    if !constants.is_empty() {
        b.item("Constants: ", &constants.join(" · "), b.theme.base());
    }
    rest.into_iter().map(|(_, s)| s).collect()
}

/// One signal: emitter, form and the releases that print it, the string
/// verbatim, and what it tells.
fn signal_lines(b: &mut Builder, signal: &Signal, matched: bool) {
    let lead = if matched { "matched · " } else { "" };
    let style = if matched { b.theme.matched() } else { b.theme.dim() };
    let releases = signal.availability().map(|r| format!(" · {r}")).unwrap_or_default();
    b.item("", &format!("{lead}{} · {}{releases}", signal.emitter, signal.form.label()), style);
    b.item("  ", &signal.text, b.theme.verbatim());
    if let Some(meaning) = &signal.meaning {
        b.item("    ", meaning, b.theme.dim());
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
