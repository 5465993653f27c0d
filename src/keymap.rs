//! Keys to actions, one table per focus. The footer hints and the help overlay
//! are generated from the same table, so they cannot drift from what keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{Action, CaretMove, Focus};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every focus, unless the help overlay is open.
    Global,
    Search,
    Detail,
    Filters,
    Help,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Anywhere",
            Scope::Search => "Search box and results",
            Scope::Detail => "Detail panel",
            Scope::Filters => "Filter pane",
            Scope::Help => "This help",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: Scope,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    /// What the key does, for the help overlay and the README.
    pub help: &'static str,
    /// Short label for the footer; bindings sharing a label are shown together.
    pub hint: Option<&'static str>,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

const fn bind(
    scope: Scope,
    code: KeyCode,
    modifiers: KeyModifiers,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding { scope, code, modifiers, action, help, hint }
}

use Action as A;
use CaretMove as C;
use KeyCode as K;
use Scope as S;

#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(S::Global, K::Char('c'), CTRL, A::Quit, "Quit", Some("quit")),
    bind(S::Global, K::Char('z'), CTRL, A::Suspend, "Suspend (fg resumes)", None),
    bind(S::Global, K::Char('l'), CTRL, A::Repaint, "Repaint the screen", None),
    bind(S::Global, K::F(1), NONE, A::ToggleHelp, "Show or hide this help", Some("help")),
    bind(S::Global, K::Left, ALT, A::Back, "Back to the previous code followed", Some("back/fwd")),
    bind(S::Global, K::Right, ALT, A::Forward, "Forward again after going back", Some("back/fwd")),
    bind(S::Global, K::Char('f'), CTRL, A::FocusFilters, "Open the filter pane", Some("filters")),
    bind(S::Global, K::Char('y'), CTRL, A::CopyMarkdown, "Send the entry to the clipboard as Markdown (OSC 52)", Some("copy")),
    bind(S::Search, K::Up, NONE, A::MoveSelection(-1), "Previous result", Some("move")),
    bind(S::Search, K::Down, NONE, A::MoveSelection(1), "Next result", Some("move")),
    bind(S::Search, K::Char('p'), CTRL, A::MoveSelection(-1), "Previous result", None),
    bind(S::Search, K::Char('n'), CTRL, A::MoveSelection(1), "Next result", None),
    bind(S::Search, K::PageUp, NONE, A::PageUp, "Up one page of results", None),
    bind(S::Search, K::PageDown, NONE, A::PageDown, "Down one page of results", None),
    bind(S::Search, K::Home, NONE, A::SelectFirst, "First result", None),
    bind(S::Search, K::End, NONE, A::SelectLast, "Last result", None),
    bind(S::Search, K::Tab, NONE, A::NextTab, "Next class tab", Some("class")),
    bind(S::Search, K::BackTab, NONE, A::PrevTab, "Previous class tab", Some("class")),
    bind(S::Search, K::Enter, NONE, A::FocusDetail, "Read the selected entry", Some("open")),
    bind(S::Search, K::Left, NONE, A::MoveCaret(C::Left), "Move the caret one character", None),
    bind(S::Search, K::Right, NONE, A::MoveCaret(C::Right), "Move the caret one character", None),
    // Ctrl-F stays the filter pane's key (→ moves forward), so Ctrl-B is the one readline move kept.
    bind(S::Search, K::Char('b'), CTRL, A::MoveCaret(C::Left), "Caret back one character (→ forward: Ctrl-F is the filters)", None),
    bind(S::Search, K::Char('a'), CTRL, A::MoveCaret(C::Start), "Caret to the start / end", None),
    bind(S::Search, K::Char('e'), CTRL, A::MoveCaret(C::End), "Caret to the start / end", None),
    bind(S::Search, K::Char('b'), ALT, A::MoveCaret(C::WordLeft), "Caret back / forward a word", None),
    bind(S::Search, K::Char('f'), ALT, A::MoveCaret(C::WordRight), "Caret back / forward a word", None),
    bind(S::Search, K::Left, CTRL, A::MoveCaret(C::WordLeft), "Caret back / forward a word", None),
    bind(S::Search, K::Right, CTRL, A::MoveCaret(C::WordRight), "Caret back / forward a word", None),
    bind(S::Search, K::Backspace, NONE, A::DeleteTo(C::Left), "Delete the character before the caret", None),
    bind(S::Search, K::Delete, NONE, A::DeleteTo(C::Right), "Delete the character under the caret", None),
    bind(S::Search, K::Char('d'), CTRL, A::DeleteTo(C::Right), "Delete the character under the caret", None),
    bind(S::Search, K::Char('k'), CTRL, A::DeleteTo(C::End), "Delete from the caret to the end", None),
    bind(S::Search, K::Char('w'), CTRL, A::DeleteTo(C::BlankWordLeft), "Delete back to the previous space", None),
    bind(S::Search, K::Backspace, ALT, A::DeleteTo(C::WordLeft), "Delete the word before the caret", None),
    bind(S::Search, K::Char('u'), CTRL, A::ClearQuery, "Clear the query", Some("clear")),
    bind(S::Search, K::Esc, NONE, A::ClearQuery, "Clear the query", None),
    bind(S::Detail, K::Up, NONE, A::ScrollDetail(-1), "Scroll up", Some("scroll")),
    bind(S::Detail, K::Down, NONE, A::ScrollDetail(1), "Scroll down", Some("scroll")),
    // The reading keys of less; other letters still start a search.
    bind(S::Detail, K::Char('k'), NONE, A::ScrollDetail(-1), "Scroll up", None),
    bind(S::Detail, K::Char('j'), NONE, A::ScrollDetail(1), "Scroll down", None),
    bind(S::Detail, K::PageUp, NONE, A::DetailPage(-1), "Scroll up a page", None),
    bind(S::Detail, K::PageDown, NONE, A::DetailPage(1), "Scroll down a page", None),
    bind(S::Detail, K::Char('b'), NONE, A::DetailPage(-1), "Scroll up a page", None),
    bind(S::Detail, K::Char(' '), NONE, A::DetailPage(1), "Scroll down a page", None),
    bind(S::Detail, K::Char('u'), CTRL, A::DetailHalfPage(-1), "Scroll up half a page", None),
    bind(S::Detail, K::Char('d'), CTRL, A::DetailHalfPage(1), "Scroll down half a page", None),
    bind(S::Detail, K::Home, NONE, A::DetailTop, "Scroll to the top", None),
    bind(S::Detail, K::End, NONE, A::DetailBottom, "Scroll to the bottom", None),
    bind(S::Detail, K::Char('g'), NONE, A::DetailTop, "Scroll to the top", None),
    bind(S::Detail, K::Char('G'), NONE, A::DetailBottom, "Scroll to the bottom", None),
    bind(S::Detail, K::Tab, NONE, A::NextLink, "Next related code", Some("link")),
    bind(S::Detail, K::BackTab, NONE, A::PrevLink, "Previous related code", Some("link")),
    bind(S::Detail, K::Enter, NONE, A::FollowLink, "Follow the highlighted related code", Some("follow")),
    bind(S::Detail, K::Backspace, NONE, A::Back, "Back to the previous code followed", None),
    bind(S::Detail, K::Esc, NONE, A::FocusSearch, "Back to the results and the search box", Some("search")),
    bind(S::Detail, K::Char('q'), NONE, A::FocusSearch, "Back to the results and the search box", None),
    bind(S::Detail, K::Char('/'), NONE, A::FocusSearch, "Back to the results and the search box", None),
    bind(S::Detail, K::Char('?'), NONE, A::ToggleHelp, "Show this help", None),
    bind(S::Filters, K::Up, NONE, A::MoveFilterCursor(-1), "Previous filter value", Some("move")),
    bind(S::Filters, K::Down, NONE, A::MoveFilterCursor(1), "Next filter value", Some("move")),
    bind(S::Filters, K::Char(' '), NONE, A::ToggleFilter, "Select or clear the value", Some("toggle")),
    bind(S::Filters, K::Enter, NONE, A::ToggleFilter, "Select or clear the value", None),
    bind(S::Filters, K::Backspace, NONE, A::ClearFilters, "Clear every filter", Some("clear")),
    bind(S::Filters, K::Esc, NONE, A::FocusSearch, "Back to the search box", Some("search")),
    bind(S::Help, K::Esc, NONE, A::CloseHelp, "Close the help", Some("close")),
    bind(S::Help, K::Up, NONE, A::ScrollHelp(-1), "Scroll the help", Some("scroll")),
    bind(S::Help, K::Down, NONE, A::ScrollHelp(1), "Scroll the help", Some("scroll")),
    bind(S::Help, K::PageUp, NONE, A::HelpPage(-1), "Scroll the help a page", None),
    bind(S::Help, K::PageDown, NONE, A::HelpPage(1), "Scroll the help a page", None),
    bind(S::Help, K::Home, NONE, A::ScrollHelp(i32::MIN), "To the top / bottom of the help", None),
    bind(S::Help, K::End, NONE, A::ScrollHelp(i32::MAX), "To the top / bottom of the help", None),
    bind(S::Help, K::F(1), NONE, A::CloseHelp, "Close the help", None),
    bind(S::Help, K::Char('q'), NONE, A::CloseHelp, "Close the help", None),
    bind(S::Help, K::Char('?'), NONE, A::CloseHelp, "Close the help", None),
    bind(S::Help, K::Enter, NONE, A::CloseHelp, "Close the help", None),
];

/// What the keymap needs to know about the app to pick a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    pub focus: Focus,
    pub help_open: bool,
    pub query_empty: bool,
}

/// The scope of the focused pane (the help overlay, when open, takes all keys).
pub fn scope_of(context: Context) -> Scope {
    if context.help_open {
        return Scope::Help;
    }
    match context.focus {
        Focus::Search => Scope::Search,
        Focus::Detail => Scope::Detail,
        Focus::Filters => Scope::Filters,
    }
}

/// The action for a key press, if any.
pub fn action_for(context: Context, key: KeyEvent) -> Option<Action> {
    let (code, modifiers) = normalise(key);
    let scope = scope_of(context);
    let lookup = |s: Scope| {
        BINDINGS.iter().find(|b| b.scope == s && b.code == code && b.modifiers == modifiers).map(|b| b.action.clone())
    };
    if let Some(action) = lookup(scope) {
        return Some(action);
    }
    // Quitting, suspending and repainting work even over the help; other global
    // keys wait until it closes.
    if let Some(action) = lookup(Scope::Global) {
        if scope != Scope::Help || matches!(action, A::Quit | A::Suspend | A::Repaint) {
            return Some(action);
        }
    }
    match code {
        K::Char('?') if scope == Scope::Search && context.query_empty => Some(A::ToggleHelp),
        // Typing anywhere searches: the app moves focus to the search box.
        K::Char(c) if scope != Scope::Help && (modifiers - SHIFT).is_empty() => Some(A::InsertChar(c)),
        _ => None,
    }
}

/// Shift is part of the character for letters and symbols, and of BackTab.
/// Ctrl-H is Backspace: many terminals send it for that key.
fn normalise(key: KeyEvent) -> (KeyCode, KeyModifiers) {
    if matches!(key.code, K::Char('h' | 'H')) && key.modifiers.contains(CTRL) {
        return (K::Backspace, key.modifiers - CTRL - SHIFT);
    }
    let code = match key.code {
        K::Char(c) if key.modifiers.contains(CTRL) => K::Char(c.to_ascii_lowercase()),
        other => other,
    };
    let modifiers = match code {
        K::Char(_) | K::BackTab => key.modifiers - SHIFT,
        _ => key.modifiers,
    };
    (code, modifiers)
}

/// "Ctrl-C", "Alt-←", "Shift-Tab" — how keys are written in hints and help.
pub fn key_label(code: KeyCode, modifiers: KeyModifiers) -> String {
    let name = match code {
        K::Char(' ') => "Space".to_string(),
        K::Char(c) if modifiers.intersects(CTRL | ALT) => c.to_ascii_uppercase().to_string(),
        K::Char(c) => c.to_string(),
        K::F(n) => format!("F{n}"),
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::Left => "←".into(),
        K::Right => "→".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        K::BackTab => "Shift-Tab".into(),
        other => format!("{other:?}"),
    };
    let mut label = String::new();
    if modifiers.contains(CTRL) {
        label.push_str("Ctrl-");
    }
    if modifiers.contains(ALT) {
        label.push_str("Alt-");
    }
    label + &name
}

/// Footer hints for a scope and the global keys: ("↑/↓", "move"), ...
pub fn hints(scope: Scope) -> Vec<(String, &'static str)> {
    let mut hints: Vec<(String, &'static str)> = Vec::new();
    let scopes: &[Scope] = if scope == Scope::Help { &[Scope::Help] } else { &[scope, Scope::Global] };
    for binding in scopes.iter().flat_map(|&s| BINDINGS.iter().filter(move |b| b.scope == s)) {
        let Some(hint) = binding.hint else { continue };
        // Inside the filter pane, the key that opens it is no hint.
        if scope == Scope::Filters && binding.action == A::FocusFilters {
            continue;
        }
        let key = key_label(binding.code, binding.modifiers);
        match hints.iter_mut().find(|(_, h)| *h == hint) {
            Some((keys, _)) => {
                keys.push('/');
                keys.push_str(key.strip_prefix("Alt-").filter(|_| keys.starts_with("Alt-")).unwrap_or(&key));
            }
            None => hints.push((key, hint)),
        }
    }
    hints
}
