//! Overlay text is data from a shared repository: before it reaches a terminal,
//! a log or the clipboard, every escape sequence and control character goes, so
//! a note cannot move the cursor, retitle the window, fake a hyperlink or hide
//! text (bidirectional overrides).

/// `text` without escape sequences (removed whole: CSI, OSC, DCS and the other
/// string sequences, two-character escapes, and their C1 forms), control
/// characters and bidirectional controls. Tabs become spaces; newlines are kept
/// when `keep_newlines` (a note's paragraphs), else become spaces. Surrounding
/// whitespace is trimmed.
pub fn clean(text: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_control_sequence(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string_sequence(&mut chars),
                // A two-character escape (ESC 7, ESC c); a lone ESC at the end.
                _ => {}
            },
            '\u{9b}' => skip_control_sequence(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string_sequence(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Parameters, intermediates, then one final byte (ECMA-48 §5.4).
fn skip_control_sequence(chars: &mut std::iter::Peekable<std::str::Chars>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || !('\u{20}'..='\u{7e}').contains(&c) {
            return;
        }
    }
}

/// Everything up to BEL or the string terminator (ESC \ or U+009C); an
/// unterminated one swallows the rest, as a terminal would.
fn skip_string_sequence(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// Embeddings, overrides and isolates, which reorder what is shown.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(clean("a\u{1b}[31mred\u{1b}[0m b", false), "ared b");
        assert_eq!(clean("\u{1b}]0;pwned\u{7}title", false), "title");
        assert_eq!(clean("\u{1b}]8;;https://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\", false), "click");
        assert_eq!(clean("x\u{9b}2Jy", false), "xy");
        assert_eq!(clean("\u{1b}Pq#0;2;0;0;0\u{1b}\\after", false), "after");
        assert_eq!(clean("unterminated \u{1b}]0;title", false), "unterminated");
        assert_eq!(clean("reset\u{1b}c", false), "reset");
    }

    #[test]
    fn control_and_bidi_characters_go_and_newlines_stay_where_asked() {
        assert_eq!(clean("bell\u{7}\r\nnext\tcol", true), "bell\nnext col");
        assert_eq!(clean("one\ntwo", false), "one two");
        assert_eq!(clean("abc\u{202e}fed\u{2066}", false), "abcfed");
        assert_eq!(clean("  状态码  ", false), "状态码");
    }
}
