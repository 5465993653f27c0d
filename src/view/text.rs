//! Text measured in terminal cells (unicode-width), not bytes or chars.

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether a terminal of this `TERM` is sent OSC 8 hyperlinks: any but the
/// Linux console, which has none, and a dumb one (terminals without them skip
/// the sequence).
pub fn term_has_hyperlinks(term: &str) -> bool {
    !term.is_empty() && term != "linux" && term != "dumb"
}

/// [`term_has_hyperlinks`] for this process's `TERM`, the one rule the browser
/// and printed output share.
pub fn terminal_has_hyperlinks() -> bool {
    std::env::var("TERM").is_ok_and(|term| term_has_hyperlinks(&term))
}

pub fn width(text: &str) -> usize {
    // Printable ASCII is one cell a byte: most catalogue text, measured without
    // looking each character up.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return text.len();
    }
    UnicodeWidthStr::width(text)
}

/// Spans for `text` with the characters at `indices` (char positions, sorted)
/// in `matched` style.
pub fn highlighted(text: &str, indices: &[u32], base: Style, matched: Style) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    let mut next = indices.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        let is_match = next.peek().is_some_and(|&&n| n as usize == i);
        if is_match {
            next.next();
        }
        if is_match != run_matched && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), if run_matched { matched } else { base }));
        }
        run_matched = is_match;
        // Control characters would move the cursor; show them as replacement glyphs.
        run.push(if c.is_control() { '\u{FFFD}' } else { c });
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_matched { matched } else { base }));
    }
    spans
}

/// Cuts spans to at most `max` cells, ending with "…" when something was cut.
pub fn truncate(spans: Vec<Span<'static>>, max: usize) -> Vec<Span<'static>> {
    let total: usize = spans.iter().map(|s| width(&s.content)).sum();
    if total <= max {
        return spans;
    }
    let mut budget = max.saturating_sub(1);
    let mut out = Vec::new();
    for span in spans {
        if budget == 0 {
            break;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if w > budget {
                budget = 0;
                break;
            }
            budget -= w;
            kept.push(c);
        }
        if !kept.is_empty() {
            out.push(Span::styled(kept, span.style));
        }
    }
    if max > 0 {
        out.push(Span::raw("…"));
    }
    out
}

/// Whether `name` or one of its words starts with `typed`, ignoring case: how a
/// source is picked by a few letters (`aws` → AWS ELB, `9110` → RFC 9110).
pub fn name_matches(name: &str, typed: &str) -> bool {
    let typed = typed.to_lowercase();
    let name = name.to_lowercase();
    !typed.is_empty()
        && (name.starts_with(&typed)
            || name
                .match_indices(|c: char| !c.is_alphanumeric())
                .any(|(i, sep)| name[i + sep.len()..].starts_with(&typed)))
}

/// The part of a one-line input that fits `width` cells with the caret (a byte
/// offset) in view, and the caret's column in it. Shows from the start when it
/// can, else as much as fits before the caret. One pass each way: a pasted
/// 10,000-character query costs no more per frame than reading it once.
pub fn window(text: &str, caret: usize, width: usize) -> (&str, usize) {
    let mut start = caret;
    let mut before = 0;
    for (i, c) in text[..caret].char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if before + w > width {
            break;
        }
        before += w;
        start = i;
    }
    let mut end = caret;
    let mut used = before;
    for (i, c) in text[caret..].char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        end = caret + i + c.len_utf8();
    }
    (&text[start..end], before)
}

/// Word-wraps to `width` cells; words longer than a line are broken.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    // Lines are about `width` bytes: reserved once instead of grown five times.
    let mut line = String::with_capacity(width);
    let mut line_width = 0;
    for word in text.split_whitespace() {
        let word_width = self::width(word);
        let needed = if line.is_empty() { word_width } else { line_width + 1 + word_width };
        if needed <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            line_width = needed;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::replace(&mut line, String::with_capacity(width)));
            line_width = 0;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if line_width + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn text_of(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn highlights_split_at_matched_characters() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let spans = highlighted("Not Found", &[0, 4], Style::new(), bold);
        let styled: Vec<(&str, bool)> = spans.iter().map(|s| (s.content.as_ref(), s.style == bold)).collect();
        assert_eq!(styled, [("N", true), ("ot ", false), ("F", true), ("ound", false)]);
    }

    #[test]
    fn truncation_counts_wide_characters_as_two_cells() {
        let spans = vec![Span::raw("状态码参考")];
        let cut = truncate(spans, 6);
        assert_eq!(text_of(&cut), "状态…");
        assert!(cut.iter().map(|s| width(&s.content)).sum::<usize>() <= 6);
    }

    #[test]
    fn the_input_window_keeps_the_caret_in_view() {
        assert_eq!(window("gateway timeout", 15, 20), ("gateway timeout", 15));
        assert_eq!(window("gateway timeout", 15, 7), ("timeout", 7));
        assert_eq!(window("gateway timeout", 3, 7), ("gateway", 3));
        assert_eq!(window("gateway timeout", 0, 7), ("gateway", 0));
        assert_eq!(window("状态码参考", 6, 4), ("状态", 4));
        assert_eq!(window("状态码参考", 9, 4), ("态码", 4));
    }

    #[test]
    fn wrap_respects_display_width_and_breaks_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("状态码参考", 4), ["状态", "码参", "考"]);
        assert_eq!(wrap("", 10), [""]);
    }
}
