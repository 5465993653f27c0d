//! The detail panel: the entry's text form (`view::entry`) in a scrolling box,
//! titled with the code, with back/forward arrows when there is history.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::app::{App, Focus};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if area.is_empty() {
        return;
    }
    let theme = app.theme;
    let focused = app.focus == Focus::Detail && !app.help_open;
    let mut block = Block::bordered().border_style(theme.border(focused));
    let (Some(index), Some(content)) = (app.current(), app.detail_content()) else {
        let message = Paragraph::new("Nothing selected.").style(theme.dim());
        frame.render_widget(message.block(block), area);
        return;
    };
    let entry = &app.catalogue.entries()[index];
    block = block.title(Line::from(vec![
        Span::styled(format!(" {} ", entry.code_label()), theme.code(entry.code)),
        Span::styled(
            format!("{} ", entry.phrase),
            if entry.phrase_is_description { theme.strong().patch(theme.description()) } else { theme.strong() },
        ),
    ]));
    let (back, forward) = (app.history.can_go_back(), app.history.can_go_forward());
    if back || forward {
        let arrows = format!(" {}{} Alt-←/→ ", if back { "◀" } else { " " }, if forward { "▶" } else { " " });
        block = block.title_top(Line::styled(arrows, theme.dim()).right_aligned());
    }
    let inner = block.inner(area);
    let total = content.lines.len();
    let visible: Vec<Line> =
        content.lines.into_iter().skip(app.detail_scroll).take(usize::from(inner.height)).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
    if total > usize::from(inner.height) {
        let mut state =
            ScrollbarState::new(total.saturating_sub(usize::from(inner.height))).position(app.detail_scroll);
        frame.render_stateful_widget(Scrollbar::new(ScrollbarOrientation::VerticalRight), inner, &mut state);
    }
}
