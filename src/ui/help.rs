//! The help overlay: every key, straight from the keymap, plus query syntax.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::keymap::{self, BINDINGS, Scope};

use super::text;

/// Lines of the help, also used by the README's key table test.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let theme = app.theme;
    let mut lines = Vec::new();
    for scope in [Scope::Global, Scope::Search, Scope::Detail, Scope::Filters] {
        lines.push(Line::styled(scope.title(), theme.heading()));
        let mut seen: Vec<(String, &str)> = Vec::new();
        for b in BINDINGS.iter().filter(|b| b.scope == scope) {
            let key = keymap::key_label(b.code, b.modifiers);
            match seen.iter_mut().find(|(_, help)| *help == b.help) {
                Some((keys, _)) => *keys = format!("{keys}, {key}"),
                None => seen.push((key, b.help)),
            }
        }
        if scope == Scope::Search {
            seen.push(("any text".into(), "Search (typing in any pane searches)"));
            seen.push(("?".into(), "This help, while the query is empty"));
        }
        for (keys, help) in seen {
            lines.push(Line::from(vec![Span::styled(format!("  {keys:<18}"), theme.strong()), Span::raw(help)]));
        }
    }
    lines.push(Line::styled("Mouse", theme.heading()));
    lines.push(Line::raw("  click a row, tab, filter or related code; the wheel scrolls"));
    lines.push(Line::styled("Query syntax", theme.heading()));
    for (syntax, meaning) in [
        ("gatway timout", "fuzzy: typos and missing letters still match"),
        ("'exact", "the exact text, not fuzzy"),
        ("^prefix", "starts with"),
        ("suffix$", "ends with"),
        ("!word", "exclude entries containing word"),
        ("52 / 5xx", "code prefix / whole class"),
    ] {
        lines.push(Line::from(vec![Span::styled(format!("  {syntax:<18}"), theme.strong()), Span::raw(meaning)]));
    }
    lines
}

/// The overlay's box: as big as the text, within the screen.
fn popup(app: &App, help: &[Line]) -> Rect {
    let width = help.iter().map(|l| text::width(&l.to_string())).max().unwrap_or(0) as u16 + 4;
    let height = help.len() as u16 + 2;
    app.viewport.centered(Constraint::Max(width), Constraint::Max(height))
}

/// How far the help can scroll before its last line is at the bottom.
pub fn max_scroll(app: &App) -> usize {
    let help = lines(app);
    let visible = usize::from(popup(app, &help).height.saturating_sub(2));
    help.len().saturating_sub(visible)
}

pub fn render(app: &App, frame: &mut Frame) {
    let help = lines(app);
    let popup = popup(app, &help);
    let more = if app.help_scroll < max_scroll(app) { " ↓ more " } else { "" };
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(" Keys — Esc closes ", app.theme.strong()))
        .title_bottom(Line::styled(more, app.theme.dim()).right_aligned());
    let scroll = u16::try_from(app.help_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(help).scroll((scroll, 0)).block(block), popup);
}
