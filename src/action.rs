//! Everything the user can ask for, as plain data: the keymap produces these and
//! `App::update` consumes them. No terminal types here.

use crate::catalogue::Class;
use crate::tally::browse::LogCounts;

/// The pane that takes keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Search,
    Detail,
    Filters,
}

/// Where a caret movement goes in the query; a deletion removes the text
/// between the caret and there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaretMove {
    /// One grapheme.
    Left,
    Right,
    /// To the start of the word before (letters and digits), as Alt-B.
    WordLeft,
    /// To the end of the word after, as Alt-F.
    WordRight,
    /// To the previous whitespace, as Ctrl-W in a shell.
    BlankWordLeft,
    Start,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Suspend,
    /// Ctrl-Z or SIGTSTP could not stop the program: nothing would resume it.
    SuspendUnavailable,
    Repaint,
    /// The end of a batch of input: run the search that the edits in it deferred.
    Settle,
    /// Nothing to do until the next input: get what the first query with
    /// words needs ready now, so that keystroke does not wait for it.
    PrepareSearch,
    InsertChar(char),
    /// Pasted text, inserted at the caret as one edit.
    Paste(String),
    MoveCaret(CaretMove),
    /// Delete from the caret to where this movement would take it.
    DeleteTo(CaretMove),
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
    /// Scroll the detail by this many pages (its visible height).
    DetailPage(i32),
    /// Scroll the detail by this many half pages, as Ctrl-D / Ctrl-U in less.
    DetailHalfPage(i32),
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
    /// Scroll the help by this many pages (its visible height).
    HelpPage(i32),
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
    /// The log being followed has new counts.
    LogCounts(LogCounts),
}
