//! An entry as lines of text, ordered for an incident: what it is, who sent it,
//! what to check, then the background, and the related codes as links. The
//! browser's detail panel draws these lines; the CLI's `show` prints them.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::catalogue::{self, Catalogue, Entry, Signal, SignalForm, TeamNote};
use crate::search::Reason;

use super::text;
use super::theme::Theme;

/// The panel's lines at one width, and where the related-code links are.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub lines: Vec<Line<'static>>,
    /// (line, catalogue position) for each related-code link, in order.
    pub links: Vec<(usize, usize)>,
    /// Where web links are drawn, for terminals that make them clickable.
    pub urls: Vec<UrlSpot>,
}

/// A web link drawn on `line` from `column` over `width` cells; a URL wrapped
/// over several lines has one spot per line, each with the whole URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlSpot {
    pub line: usize,
    pub column: usize,
    pub width: usize,
    pub url: String,
}

impl Content {
    /// Puts lines above the text, moving the links and URLs down with it.
    pub fn prepend(&mut self, head: Vec<Line<'static>>) {
        for link in &mut self.links {
            link.0 += head.len();
        }
        for spot in &mut self.urls {
            spot.line += head.len();
        }
        self.lines.splice(0..0, head);
    }
}

struct Builder {
    theme: Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    urls: Vec<UrlSpot>,
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

    /// A URL on lines of its own after `indent` spaces: wrapped in the panel,
    /// whole when printed (a URL broken across lines can be neither clicked nor
    /// copied). A web link's lines are noted for the terminal's hyperlinks.
    fn url(&mut self, url: &str, web_link: bool, indent: usize, medium: Medium) {
        let pieces = match medium {
            Medium::Panel { .. } => text::wrap(url, self.width.saturating_sub(indent)),
            Medium::Print => vec![url.to_string()],
        };
        for piece in pieces {
            if web_link {
                let spot =
                    UrlSpot { line: self.lines.len(), column: indent, width: text::width(&piece), url: url.into() };
                self.urls.push(spot);
            }
            let link = Span::styled(piece, self.theme.link());
            // No empty span before the link at column 0: printed, the link is
            // the span that starts at its column.
            let spans = if indent == 0 { vec![link] } else { vec![Span::raw(" ".repeat(indent)), link] };
            self.lines.push(Line::from(spans));
        }
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
    let mut b = Builder { theme, width, lines: Vec::new(), urls: Vec::new() };
    let facts = format!(
        "{} · {} · {} · API: {}",
        entry.source,
        entry.class.label(),
        entry.lifecycle.label(),
        entry.recommendation.label()
    );
    b.item("", &facts, theme.dim());
    if let Some(origin) = &entry.origin {
        b.item("◆ ", &format!("Defined by the team overlay “{}” ({})", origin.label, origin.file), theme.team());
    }
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
    for note in &entry.notes {
        team_note(&mut b, note, medium);
    }
    if let Some(Reason::Text(words)) = found_by {
        b.item("Found by the words: ", &words.join(", "), theme.matched());
    }
    let matched_signal = match found_by {
        Some(Reason::Signal(i)) => Some(*i),
        _ => None,
    };
    let shown_here = if medium == Medium::Print { usize::MAX } else { PANEL_SIGNALS };
    let more = seen_as(&mut b, entry, matched_signal, shown_here);

    // A team's own meaning may leave any of these out; catalogue entries have them all.
    if !entry.generated_by.is_empty() || !entry.generator_note.is_empty() {
        b.heading("Who sends it");
        if !entry.generated_by.is_empty() {
            let senders: Vec<&str> = entry.generated_by.iter().map(|g| g.label()).collect();
            b.item("", &format!("{}: {}.", senders.join(", "), entry.delivery.label()), theme.strong());
        }
        paragraphs(&mut b, &entry.generator_note);
    }

    if !entry.checks.is_empty() {
        b.heading("What to check");
        for (n, check) in entry.checks.iter().enumerate() {
            b.item(&format!("{}. ", n + 1), check, theme.base());
        }
    }

    if !entry.explanation.is_empty() || entry.disputed.is_some() {
        b.heading("What it means");
        paragraphs(&mut b, &entry.explanation);
        if let Some(disputed) = &entry.disputed {
            b.item("! ", disputed, theme.warning());
        }
    }

    if !entry.situations.is_empty() {
        b.heading("Common situations");
        for situation in entry.situations.iter() {
            b.item("• ", situation, theme.base());
        }
    }

    let advice = entry.not_registered_advice();
    if advice.is_some() || !entry.avoid_when.is_empty() {
        b.heading("Avoid / do not confuse with");
        if let Some(advice) = advice {
            b.item("• ", advice, theme.strong());
        }
        for avoid in entry.avoid_when.iter() {
            b.item("• ", avoid, theme.base());
        }
    }

    // A team's meaning says nothing of retries unless its overlay does.
    if entry.origin.is_none() || !entry.retry_note.is_empty() {
        b.heading("Retry and caching");
        b.item("Retry: ", &format!("{}. {}", capitalised(entry.retry.label()), entry.retry_note), theme.base());
        let cache = match &entry.cacheable_basis {
            Some(basis) => format!("yes, heuristically cacheable by default ({basis})."),
            None => "no, only with explicit freshness headers.".to_string(),
        };
        b.item("Cacheable: ", &cache, theme.base());
    }

    if !more.is_empty() {
        b.heading("More signals");
        for signal in more {
            signal_lines(&mut b, signal, false);
        }
    }

    b.heading("Source");
    b.para(&entry.reference);
    if !entry.link.is_empty() {
        b.url(&entry.link, catalogue::is_web_link(&entry.link), 0, medium);
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
    Content { lines: b.lines, links: positions, urls: b.urls }
}

/// A team's note, marked with its overlay's label: the text, the owner, each
/// runbook's title with its URL (beside it when printed, below it in the panel),
/// the tags.
fn team_note(b: &mut Builder, note: &TeamNote, medium: Medium) {
    const RUNBOOK: &str = "Runbook: ";
    b.lines.push(Line::raw(""));
    b.lines.push(Line::styled(format!("◆ Team note · {}", note.origin.label), b.theme.team()));
    paragraphs(b, &note.text);
    if let Some(owner) = &note.owner {
        b.item("Owner: ", owner, b.theme.strong());
    }
    for runbook in &note.runbooks {
        let title = if runbook.title.is_empty() { "(untitled)" } else { &runbook.title };
        let line = format!("{title} <{}>", runbook.url);
        // Printed, `title <url>` on one line reads and pastes well; the panel
        // (and a line too long for the width) keeps the URL on lines of its own.
        let column = text::width(RUNBOOK);
        if medium == Medium::Print && column + text::width(&line) <= b.width {
            if runbook.is_web_link() {
                let spot = UrlSpot { line: b.lines.len(), column, width: text::width(&line), url: runbook.url.clone() };
                b.urls.push(spot);
            }
            b.lines.push(Line::from(vec![Span::styled(RUNBOOK, b.theme.dim()), Span::styled(line, b.theme.base())]));
        } else {
            b.item(RUNBOOK, title, b.theme.base());
            b.url(&runbook.url, runbook.is_web_link(), 2, medium);
        }
    }
    if !note.tags.is_empty() {
        b.item("Tags: ", &note.tags.join(", "), b.theme.dim());
    }
}

/// Text whose paragraphs are separated by blank lines, each wrapped on its own.
fn paragraphs(b: &mut Builder, text: &str) {
    let mut paragraph = String::new();
    for line in text.lines().map(str::trim).chain([""]) {
        if line.is_empty() {
            if !paragraph.is_empty() {
                b.para(&std::mem::take(&mut paragraph));
            }
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(line);
    }
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
    // The team's own strings first: they are what its engineers will paste.
    strings.sort_by_key(|(_, s)| s.origin.is_none());
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
    let team = signal.origin.as_ref().map(|o| format!(" · ◆ {}", o.label)).unwrap_or_default();
    b.item("", &format!("{lead}{} · {}{releases}{team}", signal.emitter, signal.form.label()), style);
    b.item("  ", &signal.text, b.theme.verbatim());
    if let Some(meaning) = &signal.meaning {
        b.item("    ", meaning, b.theme.dim());
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
