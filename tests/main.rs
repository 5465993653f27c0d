//! The integration tests, compiled as one test binary: each file under tests/
//! is a module here, so a build links once instead of once per file (most of
//! a first `cargo test` was linking). `tests/architecture.rs` checks that no
//! file is left out.
//!
//! Run one file's tests with `cargo test --test integration keys::`.

mod common;
mod pty_tester;
mod tally_support;

mod abbreviations;
mod architecture;
mod catalogue;
mod cli;
mod cli_exits;
mod cli_text;
mod keys;
mod log_browser;
#[cfg(unix)]
mod log_follow;
mod man;
mod overlay;
mod overlay_errors;
#[cfg(unix)]
mod pty;
mod random_input;
mod readme;
mod render;
mod search;
mod show;
mod signals;
mod tally;
mod tally_drill;
mod tally_follow;
mod tally_formats;
#[cfg(unix)]
mod terminal;
