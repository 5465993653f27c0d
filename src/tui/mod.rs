//! The only module that touches the terminal: set-up, the event loop, restore.
//!
//! The terminal is restored on every way out: normal quit, error (the guard's
//! Drop), panic (the hook, which also runs before `panic = "abort"`), and the
//! signals that end or stop a program (see `signals`).

mod signals;

use std::io;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyCode,
    KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::{clipboard::CopyToClipboard, cursor::Show, execute};
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::{App, Effect, Focus};
use crate::catalogue::Catalogue;
use crate::keymap;
use crate::tally::browse::LogCounts;
use crate::ui;
use crate::view::theme::Theme;

/// Runs the browser until the user quits; `overlay_problems` are shown in the footer.
pub fn run(
    catalogue: Catalogue,
    query: Option<&str>,
    log: Option<LogCounts>,
    overlay_problems: Vec<String>,
) -> io::Result<()> {
    signals::install_exit_handlers()?;
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    let _guard = RestoreGuard;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    signals::install_suspend_handlers()?;
    // crossterm starts listening for SIGWINCH on its first poll; do it before
    // reading the size so a resize during start-up is not lost.
    event::poll(Duration::ZERO)?;
    let size = terminal.size()?;
    let mut app = App::new(catalogue, Rect::new(0, 0, size.width, size.height), Theme::from_env());
    app.overlay_problems = overlay_problems;
    app.hyperlinks = supports_hyperlinks();
    if let Some(query) = query {
        app = app.with_query(query);
    }
    if let Some(log) = log {
        app = app.with_log(log);
    }
    event_loop(&mut terminal, &mut app)
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App) -> io::Result<()> {
    loop {
        if signals::take_resumed() {
            // Back from a suspend: the screen holds whatever the shell left there.
            repaint(terminal)?;
        }
        let size = terminal.size()?;
        if (size.width, size.height) != (app.viewport.width, app.viewport.height) {
            app.update(Action::Resize { width: size.width, height: size.height });
        }
        terminal.draw(|frame| ui::render(app, frame))?;
        let event = event::read()?;
        let action = if is_mid_paste_separator(app, &event)? {
            Some(Action::InsertChar(' '))
        } else {
            action_for_event(app, event)
        };
        let Some(action) = action else {
            continue;
        };
        match app.update(action) {
            Effect::None => {}
            Effect::Quit => return Ok(()),
            Effect::Copy(text) => execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))?,
            Effect::Suspend => signals::suspend(),
            Effect::Repaint => repaint(terminal)?,
        }
    }
}

/// Clears the screen and makes the next draw write every cell. Not
/// `Terminal::clear`: it first asks the terminal where the cursor is, and a
/// terminal that never answers would end the program.
fn repaint(terminal: &mut DefaultTerminal) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

/// A terminal without bracketed paste types a paste as keys. A Tab or Enter with
/// more input already waiting behind it is part of such a burst, not a key
/// pressed by hand (people do not type faster than a frame): it is text, not a
/// tab switch or "open this entry".
fn is_mid_paste_separator(app: &App, event: &Event) -> io::Result<bool> {
    let separator = matches!(event, Event::Key(key) if key.kind == KeyEventKind::Press
        && key.modifiers.is_empty()
        && matches!(key.code, KeyCode::Tab | KeyCode::Enter));
    // Not a zero timeout: crossterm's tty source then returns at once without
    // looking at the events it has already parsed from the same read.
    Ok(separator && app.focus == Focus::Search && !app.help_open && event::poll(Duration::from_millis(1))?)
}

fn action_for_event(app: &App, event: Event) -> Option<Action> {
    match event {
        // Releases and repeats arrive on terminals with the kitty protocol; a key acts once.
        Event::Key(key) if key.kind == KeyEventKind::Press => keymap::action_for(app.keymap_context(), key),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column: mouse.column, row: mouse.row }),
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::Wheel {
                column: mouse.column,
                row: mouse.row,
                down: mouse.kind == MouseEventKind::ScrollDown,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// OSC 8 hyperlinks, unless the terminal is the Linux console, which has no
/// hyperlinks; other terminals without them skip the sequence.
fn supports_hyperlinks() -> bool {
    std::env::var("TERM").is_ok_and(|term| term != "linux")
}

/// Restores the terminal when the event loop ends, with or without an error.
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        signals::deactivate();
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste, Show);
        ratatui::restore();
    }
}

/// ratatui's own hook (installed by `try_init`) restores raw mode and the screen,
/// then calls this one, which turns mouse reporting and bracketed paste off as well.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        signals::deactivate();
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste, Show);
        previous(info);
    }));
}
