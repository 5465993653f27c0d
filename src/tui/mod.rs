//! The only module that touches the terminal: set-up, the event loop, restore.
//!
//! The terminal is restored on every way out: normal quit, error (the guard's
//! Drop), panic (the hook, which also runs before `panic = "abort"`), and the
//! signals that end or stop a program (see `signals`).

mod input;
mod signals;
mod sources;

use std::io::{self, BufWriter, Stdout};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    EnableBracketedPaste, EnableMouseCapture, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::crossterm::{clipboard::CopyToClipboard, execute, queue};
use ratatui::layout::Rect;

use crate::action::Action;
use crate::app::{App, Effect};
use crate::catalogue::Catalogue;
use crate::keymap;
use crate::overlay::Place;
use crate::tally::browse::LogCounts;
use crate::tally::follow::Follower;
use crate::ui;
use crate::view::text;
use crate::view::theme::Theme;

use input::{Decoder, Input};
use sources::Message;

/// A full frame is about 8 KB of escape sequences at 120x36; stdout's own buffer would send
/// it in writes of 1 KB, each waking the terminal to redraw part of it.
const FRAME_BUFFER: usize = 256 * 1024;

/// The terminal drawn to: every frame leaves in one write, when `draw` flushes.
type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// The team's overlays, for the browser.
pub enum Overlays {
    /// Already merged into the catalogue given, with these problems.
    Merged(Vec<String>),
    /// To be loaded from these places after the first frame, which shows the
    /// catalogue alone until they arrive.
    Load(Vec<Place>),
}

/// Runs the browser until the user quits; overlay problems are shown in the
/// footer, and returned for the caller to repeat once the terminal is back;
/// the log's counts change as `follow` reads on.
pub fn run(
    catalogue: Catalogue,
    query: Option<&str>,
    log: Option<LogCounts>,
    follow: Option<Box<Follower>>,
    overlays: Overlays,
) -> io::Result<Vec<String>> {
    if follow.is_some() {
        sources::keys_from_controlling_terminal()?;
    }
    signals::install_exit_handlers()?;
    install_panic_hook();
    enable_raw_mode()?;
    let _guard = RestoreGuard;
    let mut terminal = Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, io::stdout())))?;
    // Queued, so the screen set-up leaves with the first frame, in its write.
    queue!(terminal.backend_mut(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)?;
    signals::install_suspend_handlers()?;
    // Listening before the size is read, so a resize during start-up is not
    // lost; the threads that read the terminal, the signals and the log start
    // after the first frame, which none of them needs.
    let sources = sources::Sources::listen()?;
    let size = terminal.size()?;
    let (problems, places) = match overlays {
        Overlays::Merged(problems) => (problems, None),
        Overlays::Load(places) => (Vec::new(), Some(places)),
    };
    // The catalogue is shared, not copied: the loader merges into its own.
    let mut app = App::new(catalogue.clone(), Rect::new(0, 0, size.width, size.height), Theme::from_env());
    app.overlay_problems = problems;
    app.hyperlinks = text::terminal_has_hyperlinks();
    if let Some(query) = query {
        app = app.with_query(query);
    }
    if let Some(log) = log {
        app = app.with_log(log);
    }
    draw(&mut terminal, &mut app)?;
    let (sender, messages) = sources.start(follow.map(|follower| (*follower, catalogue.clone())))?;
    if let Some(places) = places {
        sources::load_overlays(sender, catalogue, places)?;
    }
    // After the first frame, so a terminal that is slow to answer delays nothing.
    signals::query_keyboard_protocol();
    // While the user reads the first frame: the first query with words then
    // finds the index ready.
    app.update(Action::PrepareSearch);
    event_loop(&mut terminal, &mut app, &messages)?;
    Ok(app.overlay_problems)
}

/// What to do after an input.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// Waits for messages, takes every one already queued, applies all their
/// inputs, then searches and draws once: a burst of keys or a paste typed
/// without bracketed paste costs one search and one frame, and a Ctrl-C in it
/// acts as soon as it is reached.
fn event_loop(terminal: &mut Screen, app: &mut App, messages: &Receiver<Message>) -> io::Result<()> {
    let mut decoder = Decoder::new(Decoder::escape_delay_from_env(), Instant::now());
    loop {
        let first = match decoder.deadline() {
            Some(deadline) => match messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => Some(messages.recv().map_err(|_| io::Error::other("the terminal reader stopped"))?),
        };
        let mut inputs = Vec::new();
        let mut counts = None;
        for message in first.into_iter().chain(std::iter::from_fn(|| messages.try_recv().ok())) {
            match message {
                Message::Input { bytes, at } => inputs.extend(decoder.feed(&bytes, at)),
                // Only the newest counts matter; they are applied after the keys.
                Message::Log(latest) => counts = Some(latest),
                Message::InputEnded(result) => return result,
                // Handled below through the flags the signal handlers set; a
                // resize needs nothing more than the draw, which reads the size.
                Message::Signal => {}
                Message::Overlays(ready, problems) => app.add_overlays(*ready, problems),
            }
        }
        inputs.extend(decoder.expire(Instant::now()));
        for input in inputs {
            if apply(terminal, app, input)? == Flow::Quit {
                return Ok(());
            }
        }
        if let Some(counts) = counts {
            app.update(Action::LogCounts(counts));
        }
        if signals::take_suspend_refused() {
            app.update(Action::SuspendUnavailable);
        }
        if signals::take_resumed() {
            // Back from a suspend: the screen holds whatever the shell left there.
            repaint(terminal)?;
        }
        app.update(Action::Settle);
        draw(terminal, app)?;
    }
}

/// Draws a frame. The app's viewport is set from the frame itself, so the
/// layout always matches the buffer it is drawn into, however fast the
/// terminal is resized (reading the size twice once drew outside the buffer).
fn draw(terminal: &mut Screen, app: &mut App) -> io::Result<()> {
    terminal.draw(|frame| {
        let area = frame.area();
        if (area.width, area.height) != (app.viewport.width, app.viewport.height) {
            app.update(Action::Resize { width: area.width, height: area.height });
        }
        ui::render(app, frame);
    })?;
    Ok(())
}

fn apply(terminal: &mut Screen, app: &mut App, input: Input) -> io::Result<Flow> {
    let effect = match input {
        Input::Key(key) => press(app, key),
        Input::EscThen(key) => {
            // Alt+key when the app binds it; otherwise the two keys it also is.
            let alt = KeyEvent::new(key.code, key.modifiers | KeyModifiers::ALT);
            match keymap::action_for(app.keymap_context(), alt) {
                Some(action) => app.update(action),
                None => match press(app, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)) {
                    Effect::None => press(app, key),
                    effect => effect,
                },
            }
        }
        Input::Paste(text) => app.update(Action::Paste(text)),
        Input::Mouse(mouse) => mouse_action(mouse).map_or(Effect::None, |action| app.update(action)),
        Input::KeyboardProtocol => {
            signals::use_keyboard_protocol();
            Effect::None
        }
    };
    match effect {
        Effect::None => {}
        Effect::Quit => return Ok(Flow::Quit),
        Effect::Copy(text) => execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))?,
        Effect::Suspend => {
            if !signals::suspend() {
                app.update(Action::SuspendUnavailable);
            }
        }
        Effect::Repaint => repaint(terminal)?,
    }
    Ok(Flow::Continue)
}

fn press(app: &mut App, key: KeyEvent) -> Effect {
    keymap::action_for(app.keymap_context(), key).map_or(Effect::None, |action| app.update(action))
}

fn mouse_action(mouse: MouseEvent) -> Option<Action> {
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
        MouseEventKind::ScrollDown => Some(Action::Wheel { column, row, down: true }),
        MouseEventKind::ScrollUp => Some(Action::Wheel { column, row, down: false }),
        _ => None,
    }
}

/// Clears the screen and makes the next draw write every cell. Not
/// `Terminal::clear`: it first asks the terminal where the cursor is, and a
/// terminal that never answers would end the program.
fn repaint(terminal: &mut Screen) -> io::Result<()> {
    let size = terminal.size()?;
    terminal.resize(Rect::new(0, 0, size.width, size.height))
}

/// Restores the terminal when the event loop ends, with or without an error.
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        signals::restore();
        ratatui::restore();
    }
}

/// Turns mouse reporting, bracketed paste and the keyboard protocol off, leaves
/// raw mode and the alternate screen, then lets the previous hook print the
/// panic on the restored screen.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        signals::restore();
        ratatui::restore();
        previous(info);
    }));
}
