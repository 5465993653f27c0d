//! The status line: what became of the logs read, status messages, and key
//! hints for the focused pane, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::keymap;

use crate::view::text;

/// Footer hints in the order they give way when the line is too narrow, first
/// to go first. First what the screen shows elsewhere: the tab bar names
/// Tab/Shift-Tab, and the detail title shows Alt-←/→ whenever there is history
/// to walk (without, the keys do nothing). Then the arrows, which explain
/// themselves (the detail's scroll bar shows it scrolls); the ways out and the
/// help go last. A hint missing here would never give way (a test checks every
/// hint in the keymap is listed).
pub const DROP_ORDER: &[&str] = &[
    "class", "back/fwd", "move", "scroll", "link", "copy", "filters", "toggle", "clear", "follow", "open", "search",
    "close", "help", "quit",
];

/// Cells between two hints.
const GAP: &str = "  ";

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let mut spans = Vec::new();
    if let Some(status) = &app.status {
        spans.push(Span::styled(format!(" {status} "), theme.tab_active()));
        spans.push(Span::raw(" "));
    } else if let Some(first) = app.overlay_problems.first() {
        // Until fixed: a broken overlay is worth more than the key hints.
        let more = match app.overlay_problems.len() {
            1 => String::new(),
            n => format!(" (+{} more: statusbrowse overlay check)", n - 1),
        };
        spans.push(Span::styled(format!(" overlay: {first}{more} "), theme.warning()));
        spans.push(Span::raw(" "));
    }
    // What became of the logs read stays in view, after the reply to a key:
    // unreadable or cut files first, then rotations and the lines skipped.
    // One problem at a time, so the news after it still shows.
    if let Some(log) = &app.log {
        if let Some(first) = log.problems.first() {
            let more = match log.problems.len() {
                1 => String::new(),
                n => format!(" (+{} more)", n - 1),
            };
            spans.push(Span::styled(format!(" {first}{more} "), theme.warning()));
            spans.push(Span::raw(" "));
        }
        if !log.notes.is_empty() {
            spans.push(Span::styled(format!(" {} ", log.notes.join(" · ")), theme.strong()));
            spans.push(Span::raw(" "));
        }
    }
    let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
    let hints = keymap::hints(keymap::scope_of(app.keymap_context()))
        .into_iter()
        // The footer is one line: the terse, conventional spellings (^C, ⇧Tab) fit it.
        .map(|(keys, hint)| (keys.replace("Ctrl-", "^").replace("Shift-Tab", "⇧Tab"), hint))
        .collect();
    for (i, (keys, hint)) in fit(hints, usize::from(area.width).saturating_sub(used)).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(GAP));
        }
        spans.push(Span::styled(keys, theme.strong()));
        spans.push(Span::styled(format!(" {hint}"), theme.dim()));
    }
    frame.render_widget(Line::from(text::truncate(spans, usize::from(area.width))), area);
}

/// The hints that fit in `width` cells, in their order, dropping whole hints
/// by `DROP_ORDER` rather than cutting the last ones off mid-word.
fn fit(mut hints: Vec<(String, &'static str)>, width: usize) -> Vec<(String, &'static str)> {
    let cells = |hints: &[(String, &str)]| -> usize {
        let gaps = hints.len().saturating_sub(1) * GAP.len();
        hints.iter().map(|(keys, hint)| text::width(keys) + 1 + text::width(hint)).sum::<usize>() + gaps
    };
    let rank = |hint: &str| DROP_ORDER.iter().position(|&h| h == hint).unwrap_or(DROP_ORDER.len());
    while cells(&hints) > width {
        let Some(first_to_go) = (0..hints.len()).min_by_key(|&i| rank(hints[i].1)) else {
            break;
        };
        hints.remove(first_to_go);
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::{BINDINGS, hints};

    #[test]
    fn every_hint_in_the_keymap_has_a_place_in_the_drop_order() {
        for binding in BINDINGS {
            if let Some(hint) = binding.hint {
                assert!(DROP_ORDER.contains(&hint), "{hint:?} is missing from DROP_ORDER");
            }
        }
    }

    #[test]
    fn hints_give_way_whole_and_in_rank() {
        let all = hints(keymap::Scope::Search);
        assert_eq!(fit(all.clone(), 1000), all, "room for all: none dropped");
        let narrow = fit(all.clone(), 40);
        let labels: Vec<&str> = narrow.iter().map(|(_, h)| *h).collect();
        assert!(labels.contains(&"quit") && labels.contains(&"help"), "{labels:?}");
        assert!(!labels.contains(&"move") && !labels.contains(&"class"), "{labels:?}");
        let kept_in_order: Vec<_> = all.iter().filter(|h| narrow.contains(h)).cloned().collect();
        assert_eq!(narrow, kept_in_order, "the kept hints keep their order");
        assert!(fit(all, 0).is_empty());
    }
}
