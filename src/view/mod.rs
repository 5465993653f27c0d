//! What the screen and the command line show, as data: text measured in cells,
//! the theme, an entry's text form, the help text, and where each panel goes.
//! It sits below both `app` (which needs the geometry for clicks and scrolling)
//! and `cli` (which prints the entry text), and imports neither, nor `ui`.

pub mod entry;
pub mod help;
pub mod layout;
pub mod log;
pub mod text;
pub mod theme;
