//! Bytes from the terminal to keys, pastes and mouse reports, decoded here
//! rather than by crossterm's reader.
//!
//! Why our own decoder: crossterm tells an Esc key from the start of an escape
//! sequence by where a `read` ends, and has no escape timeout. When several
//! keys arrive in one read (a laggy SSH link, `tmux send-keys`, a fast typist)
//! `Esc 5 2 4` became Alt-5 and "24", and Esc before F1 (`\x1b\x1bOP`) typed
//! "OP". Post-processing its events cannot undo that, since the bytes are gone
//! by then. This decoder instead:
//!
//! - reads Esc followed by something that is not a sequence a terminal sends
//!   for one key as Esc, then those keys; Esc before a key (including a doubled
//!   Esc before a sequence) is `EscThen`, which the event loop reads as Alt+key
//!   only when the app binds that combination;
//! - waits a short escape delay (as ncurses' `ESCDELAY` and fzf do) for the
//!   rest of a sequence that a read cut short, then takes an Esc for the key;
//! - tells an unbracketed paste from typing by its size and speed: a read with
//!   many characters in it was not typed, so its Enters and Tabs are text, and
//!   reads arriving right behind it belong to it too;
//! - ends a bracketed paste whose end marker has not come at a Ctrl-C, or
//!   after a second with nothing more, so a lost marker cannot swallow the keys.

mod sequences;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent};

use sequences::{Step, Token};

/// How long an Esc (or another prefix of a sequence) waits for the rest of the
/// sequence before it counts as typed, unless `ESCDELAY` (milliseconds) says.
pub const DEFAULT_ESCAPE_DELAY: Duration = Duration::from_millis(50);
/// A read with at least this many characters of text was pasted, not typed.
const PASTE_MIN_CHARS: usize = 32;
/// Reads that follow a pasted one this closely are more of the paste.
const PASTE_GAP: Duration = Duration::from_millis(50);
/// A bracketed paste whose end marker has not come after this long is taken as
/// ended, so that a lost marker does not swallow every key after it.
const PASTE_IDLE: Duration = Duration::from_secs(1);
const PASTE_END: &[u8] = b"\x1b[201~";
/// The byte Ctrl-C sends.
const CTRL_C: u8 = 0x03;

/// What the event loop gets from the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    /// Esc then a key, or Alt+key: see `Token::EscThen`.
    EscThen(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    /// The terminal answered the kitty keyboard protocol query: it speaks it.
    KeyboardProtocol,
}

#[derive(Debug)]
pub struct Decoder {
    escape_delay: Duration,
    /// Bytes that may be the start of a sequence the next read completes.
    pending: Vec<u8>,
    /// When the last bytes arrived.
    last_read: Instant,
    /// Inside a bracketed paste: its bytes so far.
    bracketed: Option<Vec<u8>>,
    /// An unbracketed paste is under way until this instant.
    pasting_until: Option<Instant>,
}

impl Decoder {
    pub fn new(escape_delay: Duration, now: Instant) -> Decoder {
        Decoder { escape_delay, pending: Vec::new(), last_read: now, bracketed: None, pasting_until: None }
    }

    /// The escape delay from `ESCDELAY`, as ncurses reads it, or the default.
    pub fn escape_delay_from_env() -> Duration {
        escape_delay(std::env::var("ESCDELAY").ok().as_deref())
    }

    /// Decodes the bytes of one read, which arrived at `at`.
    pub fn feed(&mut self, bytes: &[u8], at: Instant) -> Vec<Input> {
        self.last_read = at;
        self.pending.extend_from_slice(bytes);
        let pasted = self.pasting_until.is_some_and(|until| at <= until);
        let tokens = self.decode(false);
        let text: usize = tokens.iter().filter(|t| as_text(t).is_some()).count();
        let pasted = pasted || text >= PASTE_MIN_CHARS;
        self.pasting_until = pasted.then_some(at + PASTE_GAP);
        self.inputs(tokens, pasted)
    }

    /// When `expire` should be called if no more bytes arrive.
    pub fn deadline(&self) -> Option<Instant> {
        if self.bracketed.is_some() {
            Some(self.last_read + PASTE_IDLE)
        } else if !self.pending.is_empty() {
            Some(self.last_read + self.escape_delay)
        } else {
            None
        }
    }

    /// Nothing more came in time: what is pending is complete as it is (an Esc
    /// is the Esc key; a paste without its end marker has ended).
    pub fn expire(&mut self, now: Instant) -> Vec<Input> {
        if self.deadline().is_none_or(|deadline| now < deadline) {
            return Vec::new();
        }
        if let Some(paste) = self.bracketed.take() {
            let mut paste = paste;
            paste.append(&mut self.pending);
            return vec![Input::Paste(String::from_utf8_lossy(&paste).into_owned())];
        }
        let tokens = self.decode(true);
        self.inputs(tokens, false)
    }

    /// Splits the pending bytes into tokens; what is left is an unfinished
    /// sequence (never with `final_bytes`). A bracketed paste is collected
    /// whole, up to its end marker.
    fn decode(&mut self, final_bytes: bool) -> Vec<Decoded> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < self.pending.len() {
            if let Some(paste) = &mut self.bracketed {
                let rest = &self.pending[start..];
                // The paste ends at its end marker, or, when none has come yet,
                // before a Ctrl-C: the marker may be lost, and Ctrl-C must still
                // act, decoded as the key it is. (A Ctrl-C between two markers
                // that came together is pasted text.)
                let end = memchr::memmem::find(rest, PASTE_END).map(|at| (at, PASTE_END.len()));
                match end.or_else(|| memchr::memchr(CTRL_C, rest).map(|at| (at, 0))) {
                    Some((at, marker)) => {
                        paste.extend_from_slice(&rest[..at]);
                        start += at + marker;
                        let text = String::from_utf8_lossy(paste).into_owned();
                        self.bracketed = None;
                        out.push(Decoded::Paste(text));
                    }
                    None => {
                        // Keep a possible start of the end marker for the next read.
                        let keep = (1..PASTE_END.len()).rev().find(|&n| rest.ends_with(&PASTE_END[..n])).unwrap_or(0);
                        paste.extend_from_slice(&rest[..rest.len() - keep]);
                        start = self.pending.len() - keep;
                        break;
                    }
                }
                continue;
            }
            match sequences::next(&self.pending[start..], final_bytes) {
                Step::Incomplete => break,
                Step::Token(token, len) => {
                    start += len;
                    match token {
                        Token::PasteStart => self.bracketed = Some(Vec::new()),
                        token => out.push(Decoded::Token(token)),
                    }
                }
            }
        }
        self.pending.drain(..start);
        out
    }

    /// Turns tokens into inputs; in a paste, runs of text (with its Enters and
    /// Tabs) become one `Input::Paste`.
    fn inputs(&self, tokens: Vec<Decoded>, pasted: bool) -> Vec<Input> {
        let mut inputs = Vec::new();
        let mut text = String::new();
        for token in tokens {
            if let (true, Some(c)) = (pasted, as_text(&token)) {
                text.push(c);
                continue;
            }
            if !text.is_empty() {
                inputs.push(Input::Paste(std::mem::take(&mut text)));
            }
            let input = match token {
                Decoded::Paste(paste) => Input::Paste(paste),
                Decoded::Token(Token::Key(key)) => Input::Key(key),
                Decoded::Token(Token::EscThen(key)) => Input::EscThen(key),
                Decoded::Token(Token::Mouse(mouse)) => Input::Mouse(mouse),
                Decoded::Token(Token::KeyboardFlags) => Input::KeyboardProtocol,
                Decoded::Token(Token::Focus(_) | Token::PasteStart | Token::PasteEnd | Token::Ignored) => continue,
            };
            inputs.push(input);
        }
        if !text.is_empty() {
            inputs.push(Input::Paste(text));
        }
        inputs
    }
}

/// The escape delay that an `ESCDELAY` value (milliseconds) asks for, at most
/// 5 s; the default when it is unset or not a number.
fn escape_delay(milliseconds: Option<&str>) -> Duration {
    milliseconds
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .map_or(DEFAULT_ESCAPE_DELAY, |ms| Duration::from_millis(ms.min(5_000)))
}

#[derive(Debug)]
enum Decoded {
    Token(Token),
    Paste(String),
}

/// The character a key types when it is part of pasted text.
fn as_text(token: &Decoded) -> Option<char> {
    let Decoded::Token(Token::Key(key)) = token else { return None };
    if !(key.modifiers - KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
