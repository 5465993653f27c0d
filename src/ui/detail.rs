//! The detail panel: the entry's text form (`view::entry`) in a scrolling box,
//! titled with the code, with back/forward arrows when there is history.

use std::num::NonZeroU16;

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use crate::app::{App, Focus};
use crate::view::entry::UrlSpot;

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
    let visible = content.lines.get(app.detail_scroll..).unwrap_or_default();
    super::render_lines(frame, block, area, visible);
    if app.hyperlinks {
        for spot in &content.urls {
            let Some(row) = spot.line.checked_sub(app.detail_scroll).filter(|&r| r < usize::from(inner.height)) else {
                continue;
            };
            hyperlink(frame.buffer_mut(), inner, row as u16, spot);
        }
    }
    if total > usize::from(inner.height) {
        let mut state =
            ScrollbarState::new(total.saturating_sub(usize::from(inner.height))).position(app.detail_scroll);
        frame.render_stateful_widget(Scrollbar::new(ScrollbarOrientation::VerticalRight), inner, &mut state);
    }
}

/// Makes the drawn text of a link clickable with OSC 8 (the terminal shows the
/// text and opens the URL). The escape sequence would make the width of a
/// cell's text wrong, so the whole link goes in its first cell, told by
/// `ForcedWidth` how many columns it covers; the diff then skips those columns
/// and the backend moves the cursor past them. Terminals without OSC 8 ignore
/// the sequence and show the text.
fn hyperlink(buffer: &mut Buffer, inner: Rect, row: u16, spot: &UrlSpot) {
    let y = inner.y + row;
    let x = inner.x + spot.column as u16;
    let end = (x + spot.width as u16).min(inner.right());
    let Some(width) = NonZeroU16::new(end.saturating_sub(x)) else {
        return;
    };
    let text: String = (x..end).map(|cx| buffer[(cx, y)].symbol().to_string()).collect();
    buffer[(x, y)]
        .set_symbol(&format!("\x1b]8;;{}\x1b\\{text}\x1b]8;;\x1b\\", spot.url))
        .set_diff_option(CellDiffOption::ForcedWidth(width));
    for cx in x + 1..end {
        buffer[(cx, y)].set_diff_option(CellDiffOption::Skip);
    }
}
