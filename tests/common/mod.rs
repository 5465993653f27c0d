//! Helpers shared by the key-sequence, render and property tests.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use statusbrowse::action::Action;
use statusbrowse::app::{App, Effect};
use statusbrowse::catalogue::Catalogue;
use statusbrowse::keymap;
use statusbrowse::view::theme::Theme;

pub fn app(width: u16, height: u16) -> App {
    App::new(Catalogue::embedded().unwrap(), Rect::new(0, 0, width, height), Theme::PLAIN)
}

/// Parses "cloudflare<Enter><Tab><C-u><A-Left>" into key events.
pub fn parse_keys(script: &str) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                keys.push(named_key(&rest[1..end]));
                rest = &rest[end + 1..];
                continue;
            }
        }
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        rest = &rest[c.len_utf8()..];
    }
    keys
}

fn named_key(name: &str) -> KeyEvent {
    let (modifiers, base) = match name.split_once('-') {
        Some(("C", base)) => (KeyModifiers::CONTROL, base),
        Some(("A", base)) => (KeyModifiers::ALT, base),
        Some(("S", base)) => (KeyModifiers::SHIFT, base),
        _ => (KeyModifiers::NONE, name),
    };
    let code = match base {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "BS" => KeyCode::Backspace,
        "Del" => KeyCode::Delete,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PgUp" => KeyCode::PageUp,
        "PgDn" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Space" => KeyCode::Char(' '),
        "F1" => KeyCode::F(1),
        other if other.chars().count() == 1 => KeyCode::Char(other.chars().next().unwrap()),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, modifiers)
}

/// Replays keys through the keymap and `App::update` as one batch of input
/// (then `Settle`, as the event loop does), returning the last key's effect.
pub fn press(app: &mut App, script: &str) -> Effect {
    let mut effect = Effect::None;
    for key in parse_keys(script) {
        if let Some(action) = keymap::action_for(app.keymap_context(), key) {
            effect = app.update(action);
        }
    }
    app.update(Action::Settle);
    effect
}

/// Title of the entry the detail panel shows: "524 A Timeout Occurred".
pub fn shown(app: &App) -> String {
    app.current_entry().map(|e| e.title()).unwrap_or_default()
}
