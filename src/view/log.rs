//! What a loaded log says about the entry in the detail panel: a few lines put
//! above the entry's own text.

use ratatui::text::{Line, Span};

use crate::tally::browse::EntryCounts;

use super::text;
use super::theme::Theme;

/// The head line is "In access.log: 2,322 lines · 58.0%" and the sparkline;
/// when both do not fit in `width` cells the sparkline gets a line of its own,
/// so none of its slices is cut off.
pub fn lines(log_label: &str, counts: &EntryCounts, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut head = vec![
        Span::styled(format!("In {log_label}: "), theme.heading()),
        Span::styled(counts.summary(), theme.strong()),
    ];
    let mut lines = Vec::new();
    if !counts.sparkline.is_empty() {
        let spark = Span::styled(counts.sparkline.clone(), theme.strong());
        let head_width: usize = head.iter().map(|span| text::width(&span.content)).sum();
        if head_width + 2 + text::width(&spark.content) <= width {
            head.extend([Span::raw("  "), spark]);
        } else {
            lines.push(Line::from(spark));
        }
    }
    lines.insert(0, Line::from(head));
    // A long split ("clients: 10.0.0.37 (58), …") wraps rather than running under the border.
    let details = counts.details.iter().flat_map(|detail| text::wrap(detail, width));
    lines.extend(details.map(|detail| Line::styled(detail, theme.base())));
    lines.push(Line::raw(""));
    lines
}
