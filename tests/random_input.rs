//! Random key presses, mouse events and resizes never panic, and the selection
//! always stays inside the results.

use crate::common;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use statusbrowse::action::Action;
use statusbrowse::keymap;
use statusbrowse::ui;

#[derive(Debug, Clone)]
enum Input {
    Key(KeyEvent),
    Click(u16, u16),
    Wheel(u16, u16, bool),
    Resize(u16, u16),
}

fn key() -> impl Strategy<Value = KeyEvent> {
    let code = prop_oneof![
        any::<char>().prop_map(KeyCode::Char),
        proptest::sample::select(vec!['5', '2', 'c', 'l', 'o', 'u', 'd', '?', ' ', 'q', 'y', 'f', 'u'])
            .prop_map(KeyCode::Char),
        proptest::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::F(1),
        ]),
    ];
    let modifiers = proptest::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
        KeyModifiers::SHIFT,
    ]);
    (code, modifiers).prop_map(|(code, modifiers)| KeyEvent::new(code, modifiers))
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => key().prop_map(Input::Key),
        2 => (0u16..220, 0u16..60).prop_map(|(x, y)| Input::Click(x, y)),
        1 => (0u16..220, 0u16..60, any::<bool>()).prop_map(|(x, y, d)| Input::Wheel(x, y, d)),
        1 => (0u16..220, 0u16..70).prop_map(|(w, h)| Input::Resize(w, h)),
    ]
}

#[test]
fn random_inputs_never_panic_and_keep_the_selection_in_range() {
    let config = ProptestConfig { cases: 48, ..ProptestConfig::default() };
    proptest!(config, |(inputs in proptest::collection::vec(input(), 1..60))| {
        let mut app = common::app(100, 30);
        for input in inputs {
            let action = match input {
                Input::Key(key) => keymap::action_for(app.keymap_context(), key),
                Input::Click(column, row) => Some(Action::Click { column, row }),
                Input::Wheel(column, row, down) => Some(Action::Wheel { column, row, down }),
                Input::Resize(width, height) => Some(Action::Resize { width, height }),
            };
            if let Some(action) = action {
                app.update(action);
            }
            prop_assert!(app.row_count() == 0 || app.selected < app.row_count());
            if let Some(areas) = app.areas().filter(|_| app.row_count() > 0) {
                let rows = areas.result_rows().max(1);
                prop_assert!(app.selected >= app.list_offset && app.selected < app.list_offset + rows,
                    "selected row {} outside the visible window {}+{rows}", app.selected, app.list_offset);
            }
            let (width, height) = (app.viewport.width, app.viewport.height);
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal.draw(|frame| ui::render(&app, frame)).unwrap();
        }
    });
}
