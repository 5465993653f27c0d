//! Each kind of bad overlay input gets one line naming file:line:column and
//! costs nothing else: the other files still load.

use std::fs;

use crate::overlay::{Folder, PAYMENTS};
/// Loads `bad` beside the payments overlay: exactly one problem, printed as
/// this line, and the payments note still loaded.
fn only_problem(bad_name: &str, bad: &[u8]) -> String {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes()), (bad_name, bad)]);
    let (catalogue, report) = folder.load();
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let entry = &catalogue.entries()[catalogue.position(502, "RFC 9110").unwrap()];
    assert_eq!(entry.notes.len(), 1, "the good file still loads");
    let line = report.problems[0].to_string();
    let file = folder.path().join(bad_name).display().to_string();
    line.strip_prefix(&format!("{file}:")).unwrap_or_else(|| panic!("{line:?} names {file}")).to_string()
}

#[test]
fn a_syntax_error_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 502\ntext = \"unterminated\n"),
        "3:21: invalid basic string, expected `\"`"
    );
}

#[test]
fn an_unknown_code_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 777\ntext = \"x\"\n"),
        "2:8: no meaning of 777 to add to: a [[meaning]] defines a new one"
    );
}

#[test]
fn an_unknown_source_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 502\nsource = \"Nope\"\ntext = \"x\"\n"),
        "3:10: 502 has no meaning from \"Nope\"; its sources: RFC 9110"
    );
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 499\ntext = \"x\"\n"),
        "2:8: 499 has 2 meanings: add `source`, one of nginx, Esri ArcGIS"
    );
}

#[test]
fn a_duplicate_key_is_positioned() {
    assert_eq!(only_problem("bad.toml", b"[[note]]\ncode = 502\ncode = 503\n"), "3:1: duplicate key `code`");
    // A meaning the catalogue already has is a duplicate too.
    let meaning = b"[[meaning]]\ncode = 404\nphrase = \"x\"\nsource = \"RFC 9110\"\nsummary = \"s\"\n";
    assert_eq!(only_problem("bad.toml", meaning), "2:8: 404 (RFC 9110) is already a meaning, from the catalogue");
}

#[test]
fn an_unknown_field_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 404\nrunbook = \"x\"\n"),
        "3:1: unknown field `runbook`, expected one of `code`, `source`, `text`, `owner`, `runbooks`, `signals`, `tags`"
    );
}

#[test]
fn a_missing_required_field_is_positioned_at_its_record() {
    assert_eq!(
        only_problem("bad.toml", b"label = \"x\"\n[[meaning]]\ncode = 598\nsource = \"Acme\"\nsummary = \"s\"\n"),
        "2:1: missing field `phrase`"
    );
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 404\nrunbooks = [{ title = \"t\" }]\n"),
        "3:13: missing field `url`"
    );
}

#[test]
fn an_empty_phrase_is_positioned_at_the_field() {
    let meaning = b"[[meaning]]\ncode = 598\nphrase = \"  \\u001b[0m \"\nsource = \"Acme\"\nsummary = \"s\"\n";
    assert_eq!(only_problem("bad.toml", meaning), "3:10: `phrase` is empty");
}

#[test]
fn a_code_that_is_no_status_code_is_positioned() {
    let meaning = b"[[meaning]]\ncode = 1000\nphrase = \"x\"\nsource = \"Acme\"\nsummary = \"s\"\n";
    assert_eq!(only_problem("bad.toml", meaning), "2:8: code 1000: status codes have three digits");
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = \"abc\"\ntext = \"x\"\n"),
        "2:8: invalid type: string \"abc\", expected a status code from 0 to 999"
    );
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 70000\ntext = \"x\"\n"),
        "2:8: invalid value: integer `70000`, expected a status code from 0 to 999"
    );
}

#[test]
fn a_meaning_two_files_define_is_a_duplicate_of_the_first() {
    let first = b"[[meaning]]\ncode = 596\nphrase = \"x\"\nsource = \"Acme\"\nsummary = \"s\"\n";
    let folder = Folder::new(&[
        ("a.toml", first),
        ("b.toml", b"\n[[meaning]]\ncode = 596\nphrase = \"y\"\nsource = \"Acme\"\nsummary = \"s\"\n"),
    ]);
    let (catalogue, report) = folder.load();
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    let (a, b) = (folder.path().join("a.toml"), folder.path().join("b.toml"));
    assert_eq!(lines, [format!("{}:3:8: 596 (Acme) is already a meaning, from {}", b.display(), a.display())]);
    let kept = &catalogue.entries()[catalogue.position(596, "Acme").unwrap()];
    assert_eq!(kept.phrase, "x");
}

#[test]
fn a_duplicate_signal_is_positioned() {
    let note =
        b"[[note]]\ncode = 404\nsignals = [{ text = \"E1\", emitter = \"a\" }, { text = \"E1\", emitter = \"b\" }]\n";
    assert_eq!(only_problem("bad.toml", note), "3:44: \"E1\" is already a signal of 404 Not Found");
}

#[test]
fn an_unknown_top_level_key_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"# team\ncolour = \"red\"\n"),
        "2:1: unknown key `colour`: an overlay has `label`, [[note]] and [[meaning]]"
    );
}

#[test]
fn a_note_table_written_with_single_brackets_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[note]\ncode = 404\ntext = \"x\"\n"),
        "1:1: `note` must be an array of tables: write [[note]]"
    );
}

#[test]
fn an_empty_note_is_positioned() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 404\n"),
        "1:1: the note is empty: give `text`, `owner`, `runbooks`, `signals` or `tags`"
    );
}

#[test]
fn an_unknown_signal_form_is_positioned() {
    let note = b"[[note]]\ncode = 404\nsignals = [{ text = \"x\", emitter = \"e\", form = \"bogus\" }]\n";
    let line = only_problem("bad.toml", note);
    assert!(line.starts_with("3:48: unknown variant `bogus`, expected one of `error-log`, "), "{line}");
}

#[test]
fn a_related_link_to_nothing_is_positioned() {
    let meaning = b"[[meaning]]\ncode = 597\nphrase = \"x\"\nsource = \"Acme\"\nsummary = \"s\"\nrelated = [{ code = 1, source = \"x\" }]\n";
    assert_eq!(only_problem("bad.toml", meaning), "6:12: related 001 (x) names no other meaning");
}

#[test]
fn a_50_mb_file_is_refused_unread() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes())]);
    // Sparse: 50 MB on paper, nothing on disk.
    fs::File::create(folder.path().join("huge.toml")).unwrap().set_len(50 * 1024 * 1024).unwrap();
    let (catalogue, report) = folder.load();
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    let expected = format!(
        "{}:1:1: 52428800 bytes: an overlay is at most 1 MiB, so this file is skipped",
        folder.path().join("huge.toml").display()
    );
    assert_eq!(lines, [expected]);
    assert!(catalogue.position(599, "Acme API gateway").is_some());
}

#[test]
fn invalid_utf8_is_positioned_at_the_first_bad_byte() {
    assert_eq!(
        only_problem("bad.toml", b"[[note]]\ncode = 404\ntext = \"caf\xff\"\n"),
        "3:12: invalid UTF-8: overlays are UTF-8 text"
    );
}

#[test]
fn a_symlink_loop_is_named() {
    let folder = Folder::new(&[("payments.toml", PAYMENTS.as_bytes())]);
    std::os::unix::fs::symlink("loop-b.toml", folder.path().join("loop-a.toml")).unwrap();
    std::os::unix::fs::symlink("loop-a.toml", folder.path().join("loop-b.toml")).unwrap();
    let (catalogue, report) = folder.load();
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    let at =
        |name: &str| format!("{}:1:1: symlink loop: the link leads back to itself", folder.path().join(name).display());
    assert_eq!(lines, [at("loop-a.toml"), at("loop-b.toml")]);
    assert!(catalogue.position(599, "Acme API gateway").is_some());
}
