//! What a loaded log says about the entry in the detail panel: a few lines put
//! above the entry's own text.

use ratatui::text::{Line, Span};

use crate::tally::browse::EntryCounts;

use super::theme::Theme;

pub fn lines(log_label: &str, counts: &EntryCounts, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("In {log_label}: "), theme.heading()),
        Span::styled(counts.summary(), theme.strong()),
        Span::raw("  "),
        Span::styled(counts.sparkline.clone(), theme.strong()),
    ])];
    lines.extend(counts.details.iter().map(|detail| Line::styled(detail.clone(), theme.base())));
    lines.push(Line::raw(""));
    lines
}
