//! Everything the user can ask for, as plain data: the keymap produces these and
//! `App::update` consumes them. No terminal types here.

use crate::catalogue::Class;

/// The pane that takes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Search,
    Detail,
    Filters,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    InsertChar(char),
    Backspace,
    ClearQuery,
    /// Move the result selection by this many rows (negative is up).
    MoveSelection(i32),
    PageUp,
    PageDown,
    SelectFirst,
    SelectLast,
    NextTab,
    PrevTab,
    SelectTab(Option<Class>),
    FocusSearch,
    FocusDetail,
    FocusFilters,
    ScrollDetail(i32),
    DetailTop,
    DetailBottom,
    NextLink,
    PrevLink,
    FollowLink,
    Back,
    Forward,
    MoveFilterCursor(i32),
    ToggleFilter,
    ClearFilters,
    ToggleHelp,
    ScrollHelp(i32),
    CloseHelp,
    CopyMarkdown,
    Resize {
        width: u16,
        height: u16,
    },
    Click {
        column: u16,
        row: u16,
    },
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
}
