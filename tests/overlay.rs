//! Team overlays end to end: `overlay check` and `paths`, an unreadable file,
//! the search finds a team's strings, `show --json` says where each note came
//! from, and hostile text never reaches the terminal. Bad input, one kind per
//! test: `overlay_errors`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::Value;
use statusbrowse::action::Action;
use statusbrowse::app::{App, Effect, Searchable};
use statusbrowse::catalogue::Catalogue;
use statusbrowse::overlay::{self, Place, PlaceKind, Report};
use statusbrowse::search::{Query, Searcher};
use statusbrowse::ui;
use statusbrowse::view::theme::Theme;

use crate::common::press;

/// The README's example, as a team would commit it.
pub(crate) const PAYMENTS: &str = include_str!("data/payments.toml");

/// A folder of overlay files, written for one test.
pub(crate) struct Folder(tempfile::TempDir);

impl Folder {
    pub(crate) fn new(files: &[(&str, &[u8])]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        Folder(dir)
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }

    pub(crate) fn load(&self) -> (Catalogue, Report) {
        overlay::load(&Catalogue::embedded().unwrap(), &[Place { kind: PlaceKind::Flag, path: self.path().into() }])
    }
}

#[test]
fn an_unreadable_file_is_named_and_the_rest_loads() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes()), ("locked.toml", b"[[note]]\ncode = 404\n")]);
    let locked = folder.path().join("locked.toml");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any file, so run the check as nobody where we are root.
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        fs::set_permissions(folder.path(), fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_statusbrowse")]);
        cmd
    } else {
        Command::new(env!("CARGO_BIN_EXE_statusbrowse"))
    };
    let output = cmd.args(["overlay", "check"]).arg(folder.path()).env_remove("XDG_CONFIG_HOME").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, format!("{}:1:1: cannot be read: permission denied\n", locked.display()));
}

/// The binary with no overlays but those of the test: an empty config folder,
/// no variable, and `cwd` as the current directory.
fn statusbrowse(cwd: &Path, args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_statusbrowse"))
        .args(args)
        .current_dir(cwd)
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("STATUSBROWSE_OVERLAYS")
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let overlays = dir.path().join(".statusbrowse");
    fs::create_dir(&overlays).unwrap();
    for (name, text) in files {
        fs::write(overlays.join(name), text).unwrap();
    }
    dir
}

#[test]
fn overlay_check_exits_0_when_clean_and_2_with_a_problem() {
    let repo = project(&[("payments.toml", PAYMENTS.as_bytes())]);
    let clean = statusbrowse(repo.path(), &["overlay", "check"]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&clean.stdout), "1 file checked: 1 note, 1 meaning, no problems\n");

    fs::write(repo.path().join(".statusbrowse/broken.toml"), "[[note]]\ncode = 777\n").unwrap();
    let broken = statusbrowse(repo.path(), &["overlay", "check"]);
    assert_eq!(broken.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(
        stdout.ends_with("broken.toml:2:8: no meaning of 777 to add to: a [[meaning]] defines a new one\n"),
        "{stdout}"
    );
    assert_eq!(String::from_utf8_lossy(&broken.stderr), "statusbrowse: 1 problem in the overlays\n");

    // Other commands still work, and warn on stderr.
    let show = statusbrowse(repo.path(), &["show", "502"]);
    assert_eq!(show.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&show.stdout).contains("◆ Team note · payments"));
    assert!(String::from_utf8_lossy(&show.stderr).starts_with("statusbrowse: warning: "));
}

#[test]
fn overlay_paths_lists_what_is_searched_and_loaded_in_order() {
    let repo = project(&[("payments.toml", PAYMENTS.as_bytes())]);
    let extra = repo.path().join("extra.toml");
    fs::write(&extra, "label = \"extra\"\n[[note]]\ncode = 404\ntext = \"x\"\n").unwrap();
    let output = statusbrowse(repo.path(), &["overlay", "paths", "--overlay", "extra.toml"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Searched, in merge order:");
    assert!(lines[1].starts_with("  config ") && lines[1].ends_with("statusbrowse/overlays  (not found)"), "{text}");
    assert!(lines[2].starts_with("  .statusbrowse ") && lines[2].ends_with(".statusbrowse"), "{text}");
    assert_eq!(lines[3], "  --overlay      extra.toml");
    assert_eq!(lines[4], "Loaded:");
    assert!(lines[5].ends_with("payments.toml  “payments”: 1 note, 1 meaning"), "{text}");
    assert_eq!(lines[6], "  extra.toml  “extra”: 1 note, 0 meanings");
}

#[test]
fn a_pasted_team_error_string_ranks_its_entry_first() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes())]);
    let (catalogue, _) = folder.load();
    let mut searcher = Searcher::new(&catalogue);
    let first = |searcher: &mut Searcher, text: &str| {
        let hit = searcher.search(&Query::text(text)).hits.first().map(|h| h.entry).unwrap();
        let entry = &catalogue.entries()[hit];
        (entry.code, entry.source.to_string())
    };
    let bad_gateway = (502, "RFC 9110".to_string());
    assert_eq!(first(&mut searcher, "PAYMENTS_UPSTREAM_UNAVAILABLE"), bad_gateway);
    // As pasted from a log line, around other words.
    assert_eq!(
        first(&mut searcher, r#"level=error msg="charge failed" err=PAYMENTS_UPSTREAM_UNAVAILABLE status=503"#),
        bad_gateway
    );
    // The note's text and the team's own code are searchable like the catalogue's.
    assert_eq!(first(&mut searcher, "card processor"), bad_gateway);
    assert_eq!(first(&mut searcher, "tenant suspended"), (599, "Acme API gateway".to_string()));
}

#[test]
fn show_json_carries_each_notes_file() {
    let repo = project(&[("payments.toml", PAYMENTS.as_bytes())]);
    let output = statusbrowse(repo.path(), &["show", "502", "599", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let entries: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let file = repo.path().join(".statusbrowse/payments.toml").display().to_string();
    let bad_gateway = &entries[0];
    assert_eq!(bad_gateway["notes"][0]["origin"], serde_json::json!({ "label": "payments", "file": file }));
    assert_eq!(bad_gateway["notes"][0]["owner"], "#payments-oncall");
    assert_eq!(bad_gateway["notes"][0]["runbooks"][0]["url"], "https://runbooks.example.com/payments-502");
    let signal = bad_gateway["signals"].as_array().unwrap().iter().find(|s| s["origin"].is_object()).unwrap();
    assert_eq!(signal["text"], "PAYMENTS_UPSTREAM_UNAVAILABLE");
    assert_eq!(signal["origin"]["file"], file.as_str());
    let team = entries.iter().find(|e| e["source"] == "Acme API gateway").unwrap();
    assert_eq!(team["origin"]["file"], file.as_str());
    assert_eq!(team["class"], "5xx");
    // Catalogue entries without team content keep their shape.
    let plain = statusbrowse(repo.path(), &["show", "404", "--json"]);
    let plain: Vec<Value> = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(plain[0].get("notes").is_none() && plain[0].get("origin").is_none());
}

#[test]
fn a_team_meaning_behaves_like_any_entry() {
    let repo = project(&[("payments.toml", PAYMENTS.as_bytes())]);
    let list = statusbrowse(repo.path(), &["list", "--source", "acme"]);
    assert_eq!(String::from_utf8_lossy(&list.stdout), "599  Tenant Suspended  (Acme API gateway)\n");
    // A number only the team's gateway sends is counted under its meaning.
    let quota =
        b"[[meaning]]\ncode = 471\nphrase = \"Quota Frozen\"\nsource = \"Acme API gateway\"\nsummary = \"Frozen.\"\n";
    fs::write(repo.path().join(".statusbrowse/quota.toml"), quota).unwrap();
    let line =
        |code: u16| format!("1.2.3.4 - - [02/Dec/2026:07:00:00 +0000] \"GET / HTTP/1.1\" {code} 0 \"-\" \"curl\"\n");
    fs::write(repo.path().join("access.log"), line(471) + &line(599) + &line(599)).unwrap();
    let counted = statusbrowse(repo.path(), &["tally", "access.log"]);
    let counted = String::from_utf8(counted.stdout).unwrap();
    assert!(counted.contains("Quota Frozen (Acme API gateway)"), "{counted}");
    // 599 has a catalogue meaning too, a convention no web server claims: the
    // team defined it because its gateway sends it, so the team's phrase is shown.
    let row = counted.lines().find(|l| l.starts_with("599 ")).unwrap_or_default();
    assert!(row.contains(" 2 ") && row.ends_with("Tenant Suspended (Acme API gateway)"), "{counted}");
    let shown = statusbrowse(repo.path(), &["show", "471"]);
    assert!(String::from_utf8_lossy(&shown.stdout).starts_with("471 Quota Frozen  (Acme API gateway)\n"));
    let markdown = statusbrowse(repo.path(), &["show", "502", "--markdown"]);
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert!(
        markdown.contains("**Team note (payments)**\n\nPayments gateway: the card processor is down."),
        "{markdown}"
    );
    assert!(markdown.contains("- Runbook: [Payments 502](<https://runbooks.example.com/payments-502>)"), "{markdown}");
}

/// Escape sequences of every kind, bidirectional overrides and 10,000-character lines.
fn hostile() -> String {
    let long = "A".repeat(10_000);
    format!(
        "label = \"evil\\u001b]0;pwned\\u0007\"\n\
         [[note]]\ncode = 418\n\
         text = \"\\u001b[2J\\u001b[31mred\\u001b]8;;https://evil.example\\u001b\\\\click\\u001b]8;;\\u001b\\\\ \\u009b6n \\u202etxt.exe\\n\\n{long}\"\n\
         owner = \"\\u0007\\u001bc{long}\"\n\
         runbooks = [{{ title = \"\\u001b[1mT\", url = \"javascript:alert(1)\" }}, {{ title = \"{long}\", url = \"https://x.example/{long}\" }}]\n\
         signals = [{{ text = \"EVIL\\u001b[8mHIDDEN\", emitter = \"{long}\" }}]\n\
         tags = [\"\\u001b]52;c;ZXZpbA==\\u0007tag\"]\n"
    )
}

#[test]
fn hostile_overlay_text_never_reaches_the_terminal() {
    let folder = Folder::new(&[("evil.toml", hostile().as_bytes())]);
    let (catalogue, report) = folder.load();
    assert_eq!(report.problems, []);
    let index = catalogue.position(418, "RFC 9110").unwrap();
    let entry = &catalogue.entries()[index];
    let note = &entry.notes[0];
    assert_eq!(note.origin.label, "evil");
    assert!(note.text.starts_with("redclick  txt.exe\n\nAAAA"), "{:?}", &note.text[..40]);
    let json = serde_json::to_string(entry).unwrap();
    assert!(!json.contains("\\u001b") && !json.contains("\\u0007") && !json.contains('\u{202e}'), "escapes left");
    assert!(entry.signals.iter().any(|s| s.text == "EVILHIDDEN"));

    // Drawn in the browser, every cell fits the screen and holds no escape
    // but the hyperlink of the one web link.
    let mut app = App::new(catalogue.clone(), Rect::new(0, 0, 100, 30), Theme::COLOR).with_query("418");
    app.hyperlinks = true;
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    for _ in 0..3 {
        app.update(Action::DetailPage(1));
        terminal.draw(|frame| ui::render(&app, frame)).unwrap();
        for cell in terminal.backend().buffer().content() {
            let symbol = cell.symbol();
            if symbol.contains('\u{1b}') {
                assert!(symbol.starts_with("\u{1b}]8;;https://x.example/AAAA"), "{symbol:?}");
            }
            assert!(!symbol.contains('\u{7}') && !symbol.contains("javascript"), "{symbol:?}");
        }
    }

    // And printed by `show`.
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_statusbrowse"))
        .args(["show", "418", "--color", "never", "--overlay"])
        .arg(folder.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.chars().any(|c| c.is_control() && c != '\n'), "control characters in show's output");
    assert!(stdout.contains("◆ Team note · evil") && stdout.contains("javascript:alert(1)"));
}

#[test]
fn runbook_links_become_hyperlinks_that_keep_the_layout() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes())]);
    let (catalogue, _) = folder.load();
    let draw = |hyperlinks: bool| {
        let mut app = App::new(catalogue.clone(), Rect::new(0, 0, 120, 36), Theme::PLAIN).with_query("502");
        app.hyperlinks = hyperlinks;
        let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
        // The frame as drawn, before the terminal's diff skips the link's columns.
        terminal.draw(|frame| ui::render(&app, frame)).unwrap().buffer.clone()
    };
    let (plain, linked) = (draw(false), draw(true));
    let url = "https://runbooks.example.com/payments-502";
    let row_text = |y: u16| (0..120).map(|x| plain[(x, y)].symbol().to_string()).collect::<String>();
    let cells: Vec<(u16, u16)> =
        (0..36).filter_map(|y| row_text(y).find(url).map(|at| (row_text(y)[..at].chars().count() as u16, y))).collect();
    assert_eq!(cells.len(), 1, "the runbook URL is drawn once");
    let (x, y) = cells[0];
    assert_eq!(linked[(x, y)].symbol(), format!("\u{1b}]8;;{url}\u{1b}\\{url}\u{1b}]8;;\u{1b}\\"));
    // Everything else, the cells after the link included, is drawn as before.
    for (i, (a, b)) in plain.content().iter().zip(linked.content()).enumerate() {
        if plain.pos_of(i) != (x, y) {
            assert_eq!(a.symbol(), b.symbol(), "cell {:?}", plain.pos_of(i));
        }
    }
    // The results row marks the entry with a team note.
    let marked = (0..36).map(row_text).find(|row| row.contains("│502 Bad Gateway"));
    assert!(marked.as_deref().is_some_and(|row| row.contains("│502 Bad Gateway ◆ ")), "{marked:?}");
}

#[test]
fn the_browser_footer_names_a_broken_overlay() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes()), ("bad.toml", b"[[note]]\ncode = 777\n")]);
    let (catalogue, report) = folder.load();
    let mut app = App::new(catalogue, Rect::new(0, 0, 200, 30), Theme::PLAIN);
    app.overlay_problems = report.problems.iter().map(ToString::to_string).collect();
    let mut terminal = Terminal::new(TestBackend::new(200, 30)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    let footer: String = (0..200).map(|x| terminal.backend().buffer()[(x, 29)].symbol().to_string()).collect();
    let bad: PathBuf = folder.path().join("bad.toml");
    assert!(footer.starts_with(&format!(" overlay: {}:2:8: no meaning of 777", bad.display())), "{footer}");
}

#[test]
fn show_prints_the_note_owner_and_runbooks_under_the_summary() {
    let repo = project(&[("payments.toml", PAYMENTS.as_bytes())]);
    let output = statusbrowse(repo.path(), &["show", "502"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let note = "The proxy or load balancer got no usable response from the server behind it.\n\n\
                ◆ Team note · payments\n\
                Payments gateway: the card processor is down. Check its status page first.\n\
                Owner: #payments-oncall\n\
                Runbook: Payments 502 <https://runbooks.example.com/payments-502>\n\
                Tags: payments\n\n\
                SEEN AS\n";
    assert!(stdout.contains(note), "{stdout}");
    // Off a terminal, no hyperlink escape.
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    // The meaning the team defined carries where it came from.
    let team = statusbrowse(repo.path(), &["show", "599"]);
    let team = String::from_utf8(team.stdout).unwrap();
    let file = repo.path().join(".statusbrowse/payments.toml").display().to_string();
    assert!(team.contains("◆ Defined by the team overlay “payments”") && team.contains(&file), "{team}");
}

#[test]
fn ctrl_y_copies_the_team_note_and_runbooks_as_markdown() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes())]);
    let (catalogue, _) = folder.load();
    let mut app = App::new(catalogue, Rect::new(0, 0, 120, 36), Theme::PLAIN);
    press(&mut app, "502");
    let Effect::Copy(markdown) = press(&mut app, "<C-y>") else { panic!("Ctrl-Y copies") };
    assert!(markdown.starts_with("### 502 Bad Gateway"), "{markdown}");
    let note = "**Team note (payments)**\n\nPayments gateway: the card processor is down. Check its status page first.\n\n\
                - Owner: #payments-oncall\n\
                - Runbook: [Payments 502](<https://runbooks.example.com/payments-502>)\n";
    assert!(markdown.contains(note), "{markdown}");
    assert!(markdown.contains("PAYMENTS_UPSTREAM_UNAVAILABLE"), "the team's signal is copied too: {markdown}");
}

#[test]
fn overlays_arriving_after_the_first_frame_keep_the_query_and_the_entry_shown() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes()), ("bad.toml", b"[[note]]\ncode = 777\n")]);
    let (merged, report) = folder.load();
    let mut app = App::new(Catalogue::embedded().unwrap(), Rect::new(0, 0, 120, 36), Theme::PLAIN);
    // The last entry (999, after 599 in code order) is selected; the team's 599
    // comes in above it, so the same row number would now show 783.
    app.update(Action::MoveSelection(1_000));
    let before = app.current_entry().map(|e| (e.code, e.source.clone()));
    assert_eq!(before.as_ref().map(|b| b.0), Some(999));
    let row = app.selected;
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    app.add_overlays(Searchable::new(merged), problems.clone());
    assert_eq!(app.selected, row + 1);
    assert_eq!(app.current_entry().map(|e| (e.code, e.source.clone())), before, "the same meaning stays shown");
    assert_eq!(app.overlay_problems, problems);
    // The merged catalogue is the one searched and shown.
    press(&mut app, "<C-u>PAYMENTS_UPSTREAM_UNAVAILABLE");
    let shown = app.current_entry().unwrap();
    assert_eq!((shown.code, shown.notes.len()), (502, 1));
}
