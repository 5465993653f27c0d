//! Where overlays are looked for, in the order they are merged, and reading one
//! file without trusting it: size capped, UTF-8 checked, symlink loops and
//! special files refused.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// An overlay file larger than this is refused unread: 2,000 notes take about
/// half of it, and a stray log or dump committed by mistake must not stall the start.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a place is searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// `$XDG_CONFIG_HOME/statusbrowse/overlays/`, or `~/.config/...`: the user's own.
    Config,
    /// A path listed in `STATUSBROWSE_OVERLAYS`, such as a team repository's checkout.
    Variable,
    /// The nearest `.statusbrowse/` from the current directory up: a service's own repository.
    Project,
    /// `--overlay PATH`, or a path given to `overlay check`.
    Flag,
}

impl PlaceKind {
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::Config => "config",
            PlaceKind::Variable => "STATUSBROWSE_OVERLAYS",
            PlaceKind::Project => ".statusbrowse",
            PlaceKind::Flag => "--overlay",
        }
    }

    /// Whether the user named this path, so its absence is worth a warning.
    fn named(self) -> bool {
        matches!(self, PlaceKind::Variable | PlaceKind::Flag)
    }
}

/// A file or folder searched for overlays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub kind: PlaceKind,
    pub path: PathBuf,
}

/// What discovery reads from the process, gathered so tests can give their own.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub config_home: Option<OsString>,
    pub home: Option<OsString>,
    pub overlays: Option<OsString>,
    pub cwd: Option<PathBuf>,
}

impl Environment {
    pub fn current() -> Self {
        Environment {
            config_home: std::env::var_os("XDG_CONFIG_HOME"),
            home: std::env::var_os("HOME"),
            overlays: std::env::var_os("STATUSBROWSE_OVERLAYS"),
            cwd: std::env::current_dir().ok(),
        }
    }
}

/// Every place searched, in merge order: the user's config, the variable's
/// paths, the project's `.statusbrowse/`, then `--overlay` paths.
pub fn places(env: &Environment, flags: &[PathBuf]) -> Vec<Place> {
    let mut places = Vec::new();
    // The XDG spec says a relative XDG_CONFIG_HOME is to be ignored.
    let config_home = env
        .config_home
        .as_ref()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| env.home.as_ref().map(|home| Path::new(home).join(".config")));
    if let Some(config) = config_home {
        places.push(Place { kind: PlaceKind::Config, path: config.join("statusbrowse").join("overlays") });
    }
    if let Some(list) = &env.overlays {
        for path in std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()) {
            places.push(Place { kind: PlaceKind::Variable, path });
        }
    }
    if let Some(project) = env.cwd.as_deref().and_then(nearest_project) {
        places.push(Place { kind: PlaceKind::Project, path: project });
    }
    places.extend(flags.iter().map(|path| Place { kind: PlaceKind::Flag, path: path.clone() }));
    places
}

/// The first `.statusbrowse/` folder in `cwd` or above it.
fn nearest_project(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors().map(|dir| dir.join(".statusbrowse")).find(|candidate| candidate.is_dir())
}

/// A file that could not be used, and where in it (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Refusal {
    fn at_start(message: String) -> Self {
        Refusal { line: 1, column: 1, message }
    }
}

/// The overlay files of a place, in name order for a folder. A missing place the
/// user did not name is simply not there.
pub fn files(place: &Place) -> Result<Vec<PathBuf>, Refusal> {
    let metadata = match fs::metadata(&place.path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == io::ErrorKind::NotFound && !place.kind.named() => return Ok(Vec::new()),
        Err(err) => return Err(Refusal::at_start(describe(&err))),
    };
    if !metadata.is_dir() {
        return Ok(vec![place.path.clone()]);
    }
    let listing = fs::read_dir(&place.path).map_err(|err| Refusal::at_start(describe(&err)))?;
    let mut files: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// A file's text, refused when it is too large, not a regular file, not UTF-8
/// or not readable at all.
pub fn read(path: &Path) -> Result<String, Refusal> {
    // Not opened before this check: opening a FIFO would wait for a writer.
    let metadata = fs::metadata(path).map_err(|err| Refusal::at_start(describe(&err)))?;
    if !metadata.is_file() {
        return Err(Refusal::at_start("not a regular file".to_string()));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(Refusal::at_start(too_large(metadata.len())));
    }
    let mut bytes = Vec::new();
    let file = fs::File::open(path).map_err(|err| Refusal::at_start(describe(&err)))?;
    // The file may have grown since the check.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|err| Refusal::at_start(describe(&err)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::at_start(too_large(bytes.len() as u64)));
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        // Valid up to there, so the prefix is text.
        let (line, column) = position(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
        Refusal { line, column, message: "invalid UTF-8: overlays are UTF-8 text".to_string() }
    })?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

fn too_large(bytes: u64) -> String {
    format!("{bytes} bytes: an overlay is at most {} MiB, so this file is skipped", MAX_FILE_BYTES >> 20)
}

/// An I/O error in words; a symlink loop is named as such.
fn describe(err: &io::Error) -> String {
    if err.raw_os_error() == Some(libc::ELOOP) {
        return "symlink loop: the link leads back to itself".to_string();
    }
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_string(),
        io::ErrorKind::PermissionDenied => "cannot be read: permission denied".to_string(),
        _ => format!("cannot be read: {err}"),
    }
}

/// The 1-based line and column (in characters) of a byte offset.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}
