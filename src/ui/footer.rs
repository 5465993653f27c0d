//! Key hints for the focused pane, generated from the keymap, and status messages.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::keymap;

use crate::view::text;

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
    for (keys, hint) in keymap::hints(keymap::scope_of(app.keymap_context())) {
        // The footer is one line: the terse, conventional spellings (^C, ⇧Tab) fit it.
        let keys = keys.replace("Ctrl-", "^").replace("Shift-Tab", "⇧Tab");
        spans.push(Span::styled(keys, theme.strong()));
        spans.push(Span::styled(format!(" {hint}  "), theme.dim()));
    }
    frame.render_widget(Line::from(text::truncate(spans, usize::from(area.width))), area);
}
