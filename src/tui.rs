//! The only module that touches the terminal: set-up, the event loop, restore.
//!
//! The terminal is restored on every way out: normal quit, error (the guard's
//! Drop), panic (the hook, which also runs before `panic = "abort"`), and SIGTERM
//! or SIGHUP (an async-signal-safe handler that writes the reset sequences and
//! puts the saved terminal settings back before exiting).

use std::io;
use std::sync::OnceLock;
use std::time::Duration;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use ratatui::crossterm::{clipboard::CopyToClipboard, cursor::Show, execute};

use crate::action::Action;
use crate::app::{App, Effect};
use crate::catalogue::Catalogue;
use crate::keymap;
use crate::tally::browse::LogCounts;
use crate::ui;
use crate::view::theme::Theme;

/// Leaves mouse reporting and the alternate screen and shows the cursor.
const RESET_SEQUENCE: &[u8] = b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?1049l\x1b[?25h";

/// Exit status after SIGTERM/SIGHUP, as shells report a signal death (128 + n).
const SIGNAL_EXIT_BASE: i32 = 128;

static SAVED_TERMIOS: OnceLock<libc::termios> = OnceLock::new();

/// Runs the browser until the user quits.
pub fn run(catalogue: Catalogue, query: Option<&str>, log: Option<LogCounts>) -> io::Result<()> {
    save_terminal_settings();
    install_signal_handlers()?;
    install_panic_hook();
    let mut terminal = ratatui::try_init()?;
    let _guard = RestoreGuard;
    execute!(io::stdout(), EnableMouseCapture)?;
    // crossterm starts listening for SIGWINCH on its first poll; do it before
    // reading the size so a resize during start-up is not lost.
    event::poll(Duration::ZERO)?;
    let size = terminal.size()?;
    let mut app = App::new(catalogue, ratatui::layout::Rect::new(0, 0, size.width, size.height), Theme::from_env());
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
        let size = terminal.size()?;
        if (size.width, size.height) != (app.viewport.width, app.viewport.height) {
            app.update(Action::Resize { width: size.width, height: size.height });
        }
        terminal.draw(|frame| ui::render(app, frame))?;
        let Some(action) = action_for_event(app, event::read()?) else {
            continue;
        };
        match app.update(action) {
            Effect::None => {}
            Effect::Quit => return Ok(()),
            Effect::Copy(text) => execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))?,
        }
    }
}

fn action_for_event(app: &App, event: Event) -> Option<Action> {
    match event {
        // Releases and repeats arrive on terminals with the kitty protocol; a key acts once.
        Event::Key(key) if key.kind == KeyEventKind::Press => keymap::action_for(app.keymap_context(), key),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Paste(text) => text.chars().find(|c| !c.is_control()).map(Action::InsertChar),
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

/// Restores the terminal when the event loop ends, with or without an error.
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn restore() {
    let _ = execute!(io::stdout(), DisableMouseCapture, Show);
    ratatui::restore();
}

/// ratatui's own hook (installed by `try_init`) restores raw mode and the screen,
/// then calls this one, which turns mouse reporting off as well.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, Show);
        previous(info);
    }));
}

fn save_terminal_settings() {
    // SAFETY: tcgetattr only writes the struct we pass; a failure leaves nothing saved.
    unsafe {
        let mut termios: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(libc::STDIN_FILENO, &mut termios) == 0 {
            let _ = SAVED_TERMIOS.set(termios);
        }
    }
}

fn install_signal_handlers() -> io::Result<()> {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only calls async-signal-safe functions (write,
        // tcsetattr, _exit) and reads a OnceLock that was set before registration.
        unsafe {
            signal_hook::low_level::register(signal, move || restore_and_exit(signal))?;
        }
    }
    Ok(())
}

fn restore_and_exit(signal: i32) {
    // SAFETY: write, tcsetattr and _exit are async-signal-safe.
    unsafe {
        libc::write(libc::STDOUT_FILENO, RESET_SEQUENCE.as_ptr().cast(), RESET_SEQUENCE.len());
        if let Some(termios) = SAVED_TERMIOS.get() {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, termios);
        }
        libc::_exit(SIGNAL_EXIT_BASE + signal);
    }
}
