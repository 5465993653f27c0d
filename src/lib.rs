//! statusbrowse: an offline HTTP status code reference for the terminal.

pub mod action;
pub mod app;
pub mod catalogue;
pub mod cli;
pub mod edit;
pub mod export;
pub mod history;
pub mod keymap;
pub mod overlay;
pub mod search;
pub mod tally;
pub mod tui;
pub mod ui;
pub mod view;

mod varint;

/// The embedded catalogue as build.rs validated and stored it (`catalogue::stored`);
/// `None` when the JSON was invalid at build time.
static STORED_CATALOGUE: Option<&[catalogue::Entry]> = include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
