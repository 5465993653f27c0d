//! The help overlay: the help text (`view::help`) in a centred, scrolling box.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::app::App;
use crate::view::help;

pub fn render(app: &App, frame: &mut Frame) {
    let lines = help::lines(app.theme);
    let popup = help::popup(app.viewport, &lines);
    let more = if app.help_scroll < help::max_scroll(app.viewport, &lines) { " ↓ more " } else { "" };
    let block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(" Keys — Esc closes ", app.theme.strong()))
        .title_bottom(Line::styled(more, app.theme.dim()).right_aligned());
    let scroll = u16::try_from(app.help_scroll).unwrap_or(u16::MAX);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), popup);
}
