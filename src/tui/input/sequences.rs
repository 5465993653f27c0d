//! One token at the start of some bytes from the terminal: a key, an escape
//! sequence, a mouse report, a reply to a query. Pure functions; `Decoder`
//! decides what to do when the bytes end in the middle of a token.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

/// What a run of bytes at the start of the input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Key(KeyEvent),
    /// Esc and a key in the same read, as legacy terminals send Alt+key. Whether
    /// it is Alt+key or Esc then the key depends on what the app binds.
    EscThen(KeyEvent),
    Mouse(MouseEvent),
    Focus(bool),
    PasteStart,
    PasteEnd,
    /// The terminal's reply to the kitty keyboard protocol query (`CSI ? u`).
    KeyboardFlags,
    /// A well-formed sequence this app has no use for (a reply, an unbound key).
    Ignored,
}

/// The outcome of looking at the start of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The bytes end inside what may still become a longer token.
    Incomplete,
    /// A token and how many bytes it took.
    Token(Token, usize),
}

const ESC: u8 = 0x1b;
/// Longer than any sequence a terminal sends for a key or a mouse report.
const MAX_SEQUENCE: usize = 64;

/// Reads the token at the start of `bytes` (not empty). With `final_bytes`, no
/// more input is coming soon, so a prefix is taken for what it is on its own:
/// a lone Esc is the Esc key.
pub fn next(bytes: &[u8], final_bytes: bool) -> Step {
    if bytes[0] != ESC {
        return plain(bytes, final_bytes);
    }
    let Some(&second) = bytes.get(1) else {
        return if final_bytes { key_step(KeyCode::Esc, KeyModifiers::NONE, 1) } else { Step::Incomplete };
    };
    match second {
        b'[' | b'O' => match sequence(bytes) {
            Some(Step::Incomplete) if !final_bytes => Step::Incomplete,
            Some(Step::Token(token, len)) => Step::Token(token, len),
            // Not a sequence a terminal sends: Esc, then the '[' or 'O' typed after it.
            _ => esc_then(&bytes[1..], final_bytes),
        },
        ESC => match sequence(&bytes[1..]) {
            Some(Step::Incomplete) if !final_bytes => Step::Incomplete,
            // A doubled Esc before a key's sequence: rxvt's Alt+key, or Esc then that key.
            Some(Step::Token(Token::Key(key), len)) => Step::Token(Token::EscThen(key), len + 1),
            _ => key_step(KeyCode::Esc, KeyModifiers::NONE, 1),
        },
        _ => esc_then(&bytes[1..], final_bytes),
    }
}

/// Esc followed by the plain key at the start of `rest`.
fn esc_then(rest: &[u8], final_bytes: bool) -> Step {
    match plain(rest, final_bytes) {
        Step::Token(Token::Key(key), len) => Step::Token(Token::EscThen(key), len + 1),
        Step::Incomplete => Step::Incomplete,
        // An invalid byte after Esc: the Esc alone, the byte is dropped next.
        Step::Token(_, _) => key_step(KeyCode::Esc, KeyModifiers::NONE, 1),
    }
}

fn key_step(code: KeyCode, modifiers: KeyModifiers, len: usize) -> Step {
    Step::Token(Token::Key(KeyEvent::new(code, modifiers)), len)
}

/// A byte that is not Esc: a control key or a UTF-8 character.
fn plain(bytes: &[u8], final_bytes: bool) -> Step {
    let ctrl = |c: u8| key_step(KeyCode::Char(char::from(c)), KeyModifiers::CONTROL, 1);
    match bytes[0] {
        b'\r' | b'\n' => key_step(KeyCode::Enter, KeyModifiers::NONE, 1),
        b'\t' => key_step(KeyCode::Tab, KeyModifiers::NONE, 1),
        0x7f => key_step(KeyCode::Backspace, KeyModifiers::NONE, 1),
        0x00 => ctrl(b' '),
        // Ctrl-A..Ctrl-Z, Ctrl-H included: the keymap decides that Ctrl-H is a Backspace.
        c @ 0x01..=0x1a => ctrl(c - 1 + b'a'),
        c @ 0x1c..=0x1f => ctrl(c - 0x1c + b'\\'),
        c @ b'A'..=b'Z' => key_step(KeyCode::Char(char::from(c)), KeyModifiers::SHIFT, 1),
        c if c.is_ascii() => key_step(KeyCode::Char(char::from(c)), KeyModifiers::NONE, 1),
        lead => {
            let len = match lead {
                0xc2..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf4 => 4,
                _ => return Step::Token(Token::Ignored, 1),
            };
            if bytes.len() < len && !final_bytes && bytes[1..].iter().all(|b| b & 0xc0 == 0x80) {
                return Step::Incomplete;
            }
            match bytes.get(..len).and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| s.chars().next()) {
                Some(c) => key_step(KeyCode::Char(c), KeyModifiers::NONE, len),
                // Not UTF-8 (an 8-bit Meta byte, say): drop the byte, keep what follows.
                None => Step::Token(Token::Ignored, 1),
            }
        }
    }
}

/// A CSI (`ESC [`) or SS3 (`ESC O`) sequence at the start of `bytes`; `None`
/// when the bytes there are not one.
fn sequence(bytes: &[u8]) -> Option<Step> {
    match (bytes.first(), bytes.get(1)) {
        (Some(&ESC), Some(b'[')) => csi(bytes),
        (Some(&ESC), Some(b'O')) => {
            let Some(&last) = bytes.get(2) else { return Some(Step::Incomplete) };
            ss3(last).map(|(code, modifiers)| key_step(code, modifiers, 3))
        }
        (Some(&ESC), None) => Some(Step::Incomplete),
        _ => None,
    }
}

/// The final byte of an SS3 sequence: arrows, Home/End, F1-F4, keypad Enter,
/// and rxvt's Ctrl+arrows.
fn ss3(last: u8) -> Option<(KeyCode, KeyModifiers)> {
    let code = match last {
        b'a'..=b'd' => return arrow(last.to_ascii_uppercase()).map(|code| (code, KeyModifiers::CONTROL)),
        b'M' => KeyCode::Enter,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(last - b'P' + 1),
        other => arrow(other)?,
    };
    Some((code, KeyModifiers::NONE))
}

fn arrow(last: u8) -> Option<KeyCode> {
    Some(match last {
        b'A' => KeyCode::Up,
        b'B' => KeyCode::Down,
        b'C' => KeyCode::Right,
        b'D' => KeyCode::Left,
        _ => return None,
    })
}

/// `ESC [` parameters, intermediates, final byte (ECMA-48), or one of the two
/// forms that do not follow it: the Linux console's F1-F5 (`ESC [ [ A`) and X10
/// mouse reports (`ESC [ M` and three raw bytes).
fn csi(bytes: &[u8]) -> Option<Step> {
    match bytes.get(2) {
        None => return Some(Step::Incomplete),
        Some(b'[') => {
            let Some(&last) = bytes.get(3) else { return Some(Step::Incomplete) };
            return matches!(last, b'A'..=b'E').then(|| key_step(KeyCode::F(last - b'A' + 1), KeyModifiers::NONE, 4));
        }
        Some(b'M') => {
            let Some(report) = bytes.get(3..6) else { return Some(Step::Incomplete) };
            let [button, column, row] = [report[0], report[1], report[2]].map(|b| u16::from(b).saturating_sub(32));
            return Some(Step::Token(mouse(button, column.saturating_sub(1), row.saturating_sub(1), false), 6));
        }
        _ => {}
    }
    let body = &bytes[2..];
    let end = body.iter().position(|b| !(0x20..=0x3f).contains(b));
    let Some(end) = end.filter(|&end| end < MAX_SEQUENCE) else {
        return (body.len() < MAX_SEQUENCE).then_some(Step::Incomplete);
    };
    let last = body[end];
    if !(0x40..=0x7e).contains(&last) {
        return None;
    }
    let len = 2 + end + 1;
    let params = std::str::from_utf8(&body[..end]).ok()?;
    Some(Step::Token(csi_token(params, last).unwrap_or(Token::Ignored), len))
}

/// What a complete CSI sequence means, given its parameter text and final byte.
fn csi_token(params: &str, last: u8) -> Option<Token> {
    if let Some(rest) = params.strip_prefix('<') {
        // SGR mouse: button;column;row, M pressed or m released, 1-based.
        let [button, column, row] = numbers::<3>(rest)?;
        return Some(mouse(button, column.saturating_sub(1), row.saturating_sub(1), last == b'm'));
    }
    if let Some(rest) = params.strip_prefix('?') {
        return Some(if last == b'u' && numbers::<1>(rest).is_some() { Token::KeyboardFlags } else { Token::Ignored });
    }
    if !params.bytes().all(|b| b.is_ascii_digit() || b == b';' || b == b':') {
        return None;
    }
    let fields: Vec<&str> = params.split(';').collect();
    let number = |i: usize| fields.get(i).and_then(|f| f.split(':').next()).and_then(|n| n.parse::<u32>().ok());
    // "modifiers[:event]": a released key (event 3) does nothing.
    if fields.get(1).and_then(|f| f.split(':').nth(1)) == Some("3") {
        return Some(Token::Ignored);
    }
    let modifiers = modifiers(number(1).unwrap_or(1));
    let code = match last {
        b'~' => match number(0)? {
            // xterm's modifyOtherKeys: 27;modifiers;code~
            27 => return char_key(number(2)?, modifiers),
            200 => return Some(Token::PasteStart),
            201 => return Some(Token::PasteEnd),
            n => tilde_key(n)?,
        },
        // rxvt writes Shift, Ctrl and both as the final byte.
        b'$' | b'^' | b'@' => {
            let modifiers = match last {
                b'$' => KeyModifiers::SHIFT,
                b'^' => KeyModifiers::CONTROL,
                _ => KeyModifiers::CONTROL | KeyModifiers::SHIFT,
            };
            return Some(Token::Key(KeyEvent::new(tilde_key(number(0)?)?, modifiers)));
        }
        b'u' => return char_key(number(0)?, modifiers),
        b'a'..=b'd' if params.is_empty() => {
            return Some(Token::Key(KeyEvent::new(arrow(last.to_ascii_uppercase())?, KeyModifiers::SHIFT)));
        }
        b'I' if params.is_empty() => return Some(Token::Focus(true)),
        b'O' if params.is_empty() => return Some(Token::Focus(false)),
        b'Z' => KeyCode::BackTab,
        b'H' => KeyCode::Home,
        b'F' => KeyCode::End,
        b'P'..=b'S' => KeyCode::F(last - b'P' + 1),
        // urxvt mouse (1015): button;column;row M, with the button offset by 32.
        b'M' if fields.len() == 3 => {
            let [button, column, row] = numbers::<3>(params)?;
            return Some(mouse(button.saturating_sub(32), column.saturating_sub(1), row.saturating_sub(1), false));
        }
        other => arrow(other)?,
    };
    let modifiers = if code == KeyCode::BackTab { modifiers | KeyModifiers::SHIFT } else { modifiers };
    Some(Token::Key(KeyEvent::new(code, modifiers)))
}

/// The key of `CSI n ~` (vt220 and xterm numbering).
fn tilde_key(n: u32) -> Option<KeyCode> {
    Some(match n {
        1 | 7 => KeyCode::Home,
        2 => KeyCode::Insert,
        3 => KeyCode::Delete,
        4 | 8 => KeyCode::End,
        5 => KeyCode::PageUp,
        6 => KeyCode::PageDown,
        11..=15 => KeyCode::F((n - 10) as u8),
        17..=21 => KeyCode::F((n - 11) as u8),
        23 | 24 => KeyCode::F((n - 12) as u8),
        _ => return None,
    })
}

/// A key given by its code point (`CSI code ; modifiers u`, the kitty protocol).
fn char_key(code: u32, modifiers: KeyModifiers) -> Option<Token> {
    let key = match code {
        9 if modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        9 => KeyCode::Tab,
        13 | KEYPAD_ENTER => KeyCode::Enter,
        27 => KeyCode::Esc,
        127 => KeyCode::Backspace,
        KEYPAD_DIGITS..=KEYPAD_LAST => keypad_key(code)?,
        // Other keys with no character (modifiers, media keys) live in the private use area.
        0xe000..=0xf8ff => return Some(Token::Ignored),
        _ => KeyCode::Char(char::from_u32(code)?),
    };
    Some(Token::Key(KeyEvent::new(key, modifiers)))
}

/// The kitty protocol's keypad keys: KP_0 is 57399, KP_ENTER 57414, KP_BEGIN 57427.
const KEYPAD_DIGITS: u32 = 57399;
const KEYPAD_ENTER: u32 = 57414;
const KEYPAD_LAST: u32 = 57427;

fn keypad_key(code: u32) -> Option<KeyCode> {
    const SYMBOLS: &[u8] = b".*/-+\r=,";
    Some(match code - KEYPAD_DIGITS {
        n @ 0..=9 => KeyCode::Char(char::from(b'0' + n as u8)),
        n @ 10..=17 => KeyCode::Char(char::from(SYMBOLS[n as usize - 10])),
        18 => KeyCode::Left,
        19 => KeyCode::Right,
        20 => KeyCode::Up,
        21 => KeyCode::Down,
        22 => KeyCode::PageUp,
        23 => KeyCode::PageDown,
        24 => KeyCode::Home,
        25 => KeyCode::End,
        26 => KeyCode::Insert,
        27 => KeyCode::Delete,
        _ => return None,
    })
}

/// xterm's modifier parameter: one plus a bit mask (Caps and Num Lock ignored).
fn modifiers(parameter: u32) -> KeyModifiers {
    let mask = parameter.saturating_sub(1);
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [
        (1, KeyModifiers::SHIFT),
        (2, KeyModifiers::ALT),
        (4, KeyModifiers::CONTROL),
        (8, KeyModifiers::SUPER),
        (16, KeyModifiers::HYPER),
        (32, KeyModifiers::META),
    ] {
        if mask & bit != 0 {
            modifiers |= modifier;
        }
    }
    modifiers
}

fn numbers<const N: usize>(text: &str) -> Option<[u16; N]> {
    let mut values = [0; N];
    let mut fields = text.split(';');
    for value in &mut values {
        *value = fields.next()?.parse().ok()?;
    }
    fields.next().is_none().then_some(values)
}

/// A mouse report's button byte: low bits the button, 32 motion, 64 the wheel.
fn mouse(button: u16, column: u16, row: u16, released: bool) -> Token {
    let mut modifiers = KeyModifiers::NONE;
    for (bit, modifier) in [(4, KeyModifiers::SHIFT), (8, KeyModifiers::ALT), (16, KeyModifiers::CONTROL)] {
        if button & bit != 0 {
            modifiers |= modifier;
        }
    }
    let pressed = match button & 3 {
        0 => Some(MouseButton::Left),
        1 => Some(MouseButton::Middle),
        2 => Some(MouseButton::Right),
        _ => None,
    };
    let kind = match (button & 64 != 0, button & 32 != 0, pressed) {
        (true, _, _) => match button & 3 {
            0 => MouseEventKind::ScrollUp,
            1 => MouseEventKind::ScrollDown,
            2 => MouseEventKind::ScrollLeft,
            _ => MouseEventKind::ScrollRight,
        },
        (false, true, Some(b)) => MouseEventKind::Drag(b),
        (false, true, None) => MouseEventKind::Moved,
        (false, false, Some(b)) if released => MouseEventKind::Up(b),
        (false, false, Some(b)) => MouseEventKind::Down(b),
        // X10 reports a release as button 3, without saying which.
        (false, false, None) => MouseEventKind::Up(MouseButton::Left),
    };
    Token::Mouse(MouseEvent { kind, column, row, modifiers })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Token {
        Token::Key(KeyEvent::new(code, modifiers))
    }

    fn whole(bytes: &[u8]) -> Token {
        match next(bytes, false) {
            Step::Token(token, len) if len == bytes.len() => token,
            other => panic!("{bytes:?}: {other:?}"),
        }
    }

    const NONE: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn legacy_and_modified_sequences_are_keys() {
        assert_eq!(whole(b"\x1b[A"), key(KeyCode::Up, NONE));
        assert_eq!(whole(b"\x1bOP"), key(KeyCode::F(1), NONE));
        assert_eq!(whole(b"\x1b[11~"), key(KeyCode::F(1), NONE));
        assert_eq!(whole(b"\x1b[[A"), key(KeyCode::F(1), NONE));
        assert_eq!(whole(b"\x1b[24~"), key(KeyCode::F(12), NONE));
        assert_eq!(whole(b"\x1b[1;5D"), key(KeyCode::Left, KeyModifiers::CONTROL));
        assert_eq!(whole(b"\x1b[1;3D"), key(KeyCode::Left, KeyModifiers::ALT));
        assert_eq!(whole(b"\x1bOd"), key(KeyCode::Left, KeyModifiers::CONTROL));
        assert_eq!(whole(b"\x1b[5^"), key(KeyCode::PageUp, KeyModifiers::CONTROL));
        assert_eq!(whole(b"\x1b[Z"), key(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(whole(b"\x1b[7~"), key(KeyCode::Home, NONE));
        assert_eq!(whole(b"\x1b[3;2~"), key(KeyCode::Delete, KeyModifiers::SHIFT));
        assert_eq!(whole(b"\x1b[27;5;107~"), key(KeyCode::Char('k'), KeyModifiers::CONTROL));
    }

    #[test]
    fn kitty_keys_replies_and_releases() {
        assert_eq!(whole(b"\x1b[27u"), key(KeyCode::Esc, NONE));
        assert_eq!(whole(b"\x1b[53;3u"), key(KeyCode::Char('5'), KeyModifiers::ALT));
        assert_eq!(whole(b"\x1b[104;5u"), key(KeyCode::Char('h'), KeyModifiers::CONTROL));
        assert_eq!(whole(b"\x1b[9;2u"), key(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(whole(b"\x1b[57414u"), key(KeyCode::Enter, NONE));
        assert_eq!(whole(b"\x1b[57401u"), key(KeyCode::Char('2'), NONE));
        assert_eq!(whole(b"\x1b[57441u"), Token::Ignored, "left shift on its own");
        assert_eq!(whole(b"\x1b[97;5:3u"), Token::Ignored, "a release");
        assert_eq!(whole(b"\x1b[97;69u"), key(KeyCode::Char('a'), KeyModifiers::CONTROL), "Caps Lock ignored");
        assert_eq!(whole(b"\x1b[?1u"), Token::KeyboardFlags);
        assert_eq!(whole(b"\x1b[?62;22c"), Token::Ignored);
    }

    #[test]
    fn mouse_reports_in_three_encodings() {
        let left = |column, row| {
            Token::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: NONE })
        };
        assert_eq!(whole(b"\x1b[<0;10;5M"), left(9, 4));
        assert_eq!(whole(b"\x1b[32;10;5M"), left(9, 4));
        assert_eq!(whole(b"\x1b[M *%"), left(9, 4));
        assert!(matches!(whole(b"\x1b[<65;1;1M"), Token::Mouse(m) if m.kind == MouseEventKind::ScrollDown));
        assert!(matches!(whole(b"\x1b[<0;1;1m"), Token::Mouse(m) if m.kind == MouseEventKind::Up(MouseButton::Left)));
    }

    #[test]
    fn esc_before_a_key_that_is_not_a_sequence() {
        assert_eq!(whole(b"\x1b5"), Token::EscThen(KeyEvent::new(KeyCode::Char('5'), NONE)));
        assert_eq!(whole(b"\x1b\x7f"), Token::EscThen(KeyEvent::new(KeyCode::Backspace, NONE)));
        assert_eq!(whole(b"\x1b\x1b[D"), Token::EscThen(KeyEvent::new(KeyCode::Left, NONE)));
        assert_eq!(whole(b"\x1b\x1bOP"), Token::EscThen(KeyEvent::new(KeyCode::F(1), NONE)));
        // "[" then a byte no sequence has: Esc, then "[" typed.
        assert_eq!(next(b"\x1b[\x03", false), Step::Token(Token::EscThen(KeyEvent::new(KeyCode::Char('['), NONE)), 2));
        assert_eq!(
            next(b"\x1bO5", false),
            Step::Token(Token::EscThen(KeyEvent::new(KeyCode::Char('O'), KeyModifiers::SHIFT)), 2)
        );
        // A doubled Esc before something that is not a key: the first Esc alone.
        assert_eq!(next(b"\x1b\x1b[200~", false), Step::Token(key(KeyCode::Esc, NONE), 1));
    }

    #[test]
    fn prefixes_wait_for_more_unless_the_input_has_ended() {
        for prefix in [&b"\x1b"[..], b"\x1b\x1b", b"\x1b[", b"\x1b[1;", b"\x1bO", b"\x1b\x1b[", b"\x1b[M ", b"\xe2\x82"]
        {
            assert_eq!(next(prefix, false), Step::Incomplete, "{prefix:?}");
        }
        assert_eq!(next(b"\x1b", true), Step::Token(key(KeyCode::Esc, NONE), 1));
        assert_eq!(next(b"\x1b\x1b", true), Step::Token(key(KeyCode::Esc, NONE), 1));
        assert_eq!(next(b"\x1b[", true), Step::Token(Token::EscThen(KeyEvent::new(KeyCode::Char('['), NONE)), 2));
        assert_eq!(next(b"\xe2\x82", true), Step::Token(Token::Ignored, 1));
    }

    #[test]
    fn plain_bytes() {
        assert_eq!(whole(b"\x08"), key(KeyCode::Char('h'), KeyModifiers::CONTROL));
        assert_eq!(whole(b"\r"), key(KeyCode::Enter, NONE));
        assert_eq!(whole(b"\x7f"), key(KeyCode::Backspace, NONE));
        assert_eq!(whole("é".as_bytes()), key(KeyCode::Char('é'), NONE));
        // An 8-bit Meta byte is dropped; the letter after it stays.
        assert_eq!(next(b"\xe9c", false), Step::Token(Token::Ignored, 1));
        assert_eq!(next(b"\xff", false), Step::Token(Token::Ignored, 1));
    }
}
