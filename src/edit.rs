//! Editing one line of text at a caret, as readline and fzf do. The caret is a
//! byte offset into the text, always on a grapheme boundary, so Backspace
//! removes what the user sees as one character (a ZWJ emoji, an accented letter).

use std::iter::Peekable;
use std::str::Chars;

use unicode_segmentation::UnicodeSegmentation;

/// Text as it may enter the query: newlines and tabs become spaces (a CRLF one
/// space), other control characters are dropped, since they would move the
/// cursor when drawn, and so are whole escape sequences (text copied from a
/// coloured terminal), whose rest would otherwise be searched as words.
pub fn sanitize(text: &str) -> String {
    let mut clean = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\t' => clean.push(' '),
            '\u{1b}' => skip_escape_sequence(&mut chars),
            c if c.is_control() => {}
            c => clean.push(c),
        }
    }
    clean
}

/// Skips what follows an Esc in text: a control sequence up to its final byte
/// (`[31m`), an operating system command up to BEL or ST (`]0;title`), or the
/// rest of a short escape (`(B`, `=`).
fn skip_escape_sequence(chars: &mut Peekable<Chars>) {
    match chars.next() {
        Some('[') => {
            let _final = chars.find(|c| ('@'..='~').contains(c));
        }
        Some(']') => {
            while let Some(c) = chars.next() {
                if c == '\u{7}' {
                    break;
                }
                if c == '\u{1b}' {
                    chars.next_if_eq(&'\\');
                    break;
                }
            }
        }
        // An intermediate byte (the `(` of `ESC ( B`) comes with one more.
        Some(' '..='/') => {
            chars.next();
        }
        _ => {}
    }
}

/// The start of the grapheme before the caret.
pub fn previous_grapheme(text: &str, caret: usize) -> usize {
    text[..caret].graphemes(true).next_back().map_or(0, |g| caret - g.len())
}

/// The end of the grapheme after the caret.
pub fn next_grapheme(text: &str, caret: usize) -> usize {
    text[caret..].graphemes(true).next().map_or(caret, |g| caret + g.len())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Where Alt-B lands: the start of the word before the caret (letters and digits).
pub fn word_start(text: &str, caret: usize) -> usize {
    let before = &text[..caret];
    let end_of_word = before.trim_end_matches(|c| !is_word_char(c));
    end_of_word.trim_end_matches(is_word_char).len()
}

/// Where Alt-F lands: the end of the word after the caret.
pub fn word_end(text: &str, caret: usize) -> usize {
    let after = &text[caret..];
    let word = after.trim_start_matches(|c| !is_word_char(c));
    text.len() - word.trim_start_matches(is_word_char).len()
}

/// Where Ctrl-W deletes back to: the previous whitespace, as readline's
/// unix-word-rubout does (so `'exact` or `rfc-9110` goes in one press).
pub fn whitespace_word_start(text: &str, caret: usize) -> usize {
    text[..caret].trim_end().trim_end_matches(|c: char| !c.is_whitespace()).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_drops_whole_escape_sequences() {
        let pasted = "gate\x1b[1;31mway time\x1b]0;T\x07out \x1b]8;;https://x\x1b\\next\x1b(B\x1b";
        assert_eq!(sanitize(pasted), "gateway timeout next");
        assert_eq!(sanitize("\x1b]0;never ended"), "");
    }

    #[test]
    fn sanitize_turns_line_breaks_and_tabs_into_spaces_and_drops_other_controls() {
        assert_eq!(sanitize("a\r\nb\nc\td\x1b[31me\x07"), "a b c de");
    }

    #[test]
    fn a_zwj_emoji_is_one_grapheme() {
        let family = "a👨‍👩‍👧";
        assert_eq!(previous_grapheme(family, family.len()), 1);
        assert_eq!(next_grapheme(family, 1), family.len());
        assert_eq!(previous_grapheme("", 0), 0);
        assert_eq!(next_grapheme("ab", 2), 2);
    }

    #[test]
    fn words_are_letters_and_digits_for_alt_keys_and_whitespace_runs_for_ctrl_w() {
        let text = "gateway  rfc-9110 ";
        assert_eq!(word_start(text, text.len()), 13);
        assert_eq!(word_start(text, 13), 9);
        assert_eq!(word_start(text, 3), 0);
        assert_eq!(word_end(text, 0), 7);
        assert_eq!(word_end(text, 7), 12);
        assert_eq!(word_end(text, text.len()), text.len());
        assert_eq!(whitespace_word_start(text, text.len()), 9);
        assert_eq!(whitespace_word_start(text, 9), 0);
    }
}
