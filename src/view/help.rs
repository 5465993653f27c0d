//! The help text: every key, straight from the keymap, plus query syntax; and
//! the overlay's box, which `app` needs to know how far the help scrolls.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};

use crate::keymap::{self, BINDINGS, Scope};

use super::text;
use super::theme::Theme;

/// Lines of the help.
pub fn lines(theme: Theme) -> Vec<Line<'static>> {
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
            seen.push(("any text".into(), "Search (typing in the detail searches too)"));
            seen.push(("?".into(), "This help, while the query is empty"));
            seen.push(("Ctrl-H".into(), "Backspace, as many terminals send it"));
        }
        if scope == Scope::Filters {
            seen.push(("letters".into(), "Jump to a value by its name (aws: AWS ELB)"));
        }
        for (keys, help) in seen {
            lines.push(Line::from(vec![Span::styled(format!("  {keys:<18}"), theme.strong()), Span::raw(help)]));
        }
    }
    lines.push(Line::styled("Mouse", theme.heading()));
    lines.push(Line::raw("  click a row, tab, filter or related code; the wheel scrolls"));
    lines.push(Line::raw("  Shift-drag selects text with the terminal's own selection"));
    lines.push(Line::styled("Query syntax", theme.heading()));
    for (syntax, meaning) in [
        ("gatway timout", "typos: a wrong, missing, extra or swapped letter"),
        ("a pasted line", "ranked by how much of it an entry explains"),
        ("'word", "any word containing the text, nothing fuzzy"),
        ("^word", "a name, source or signal starting with it"),
        ("word$", "a name, source or signal ending with it"),
        ("!word", "leave out entries containing word"),
        ("52 / 5xx", "code prefix / whole class"),
    ] {
        lines.push(Line::from(vec![Span::styled(format!("  {syntax:<18}"), theme.strong()), Span::raw(meaning)]));
    }
    lines
}

/// The overlay's box: as big as the text, within the screen.
pub fn popup(viewport: Rect, help: &[Line]) -> Rect {
    let width = help.iter().map(|l| text::width(&l.to_string())).max().unwrap_or(0) as u16 + 4;
    let height = help.len() as u16 + 2;
    viewport.centered(Constraint::Max(width), Constraint::Max(height))
}

/// How far the help can scroll before its last line is at the bottom.
pub fn max_scroll(viewport: Rect, help: &[Line]) -> usize {
    let visible = usize::from(popup(viewport, help).height.saturating_sub(2));
    help.len().saturating_sub(visible)
}
