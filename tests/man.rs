//! `statusbrowse man`: the manual page names every command and every flag that
//! `--help` lists, each under its own command, and is valid roff.

use assert_cmd::Command;

fn stdout_of(args: &[&str]) -> String {
    let output = Command::cargo_bin("statusbrowse").unwrap().args(args).assert().success().get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

/// The names a `--help` lists under one heading (`Commands:`, `Options:`, `Arguments:`):
/// the first word of each entry, or all of an option's spellings (`-n, --limit`).
fn listed(help: &str, heading: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != heading)
        .skip(1)
        // Up to the next heading; long help puts blank lines between entries.
        .take_while(|line| line.is_empty() || line.starts_with(' '))
        // Entries start two columns in (six for a long-only option); wrapped help goes elsewhere.
        .filter(|line| {
            let indent = line.len() - line.trim_start().len();
            indent == 2 || (indent == 6 && line.trim_start().starts_with("--"))
        })
        .flat_map(|line| {
            let words = line.split_whitespace().map(|w| w.trim_end_matches(','));
            if heading == "Options:" {
                words.take_while(|w| w.starts_with('-')).map(str::to_string).collect::<Vec<_>>()
            } else {
                words
                    .take(1)
                    .map(|w| w.trim_start_matches(['[', '<']).trim_end_matches([']', '>', '.']).to_string())
                    .collect()
            }
        })
        .collect()
}

/// Every command path, depth first, as `--help` lists them (`help` has no commands of its own).
fn command_paths(prefix: &[String]) -> Vec<Vec<String>> {
    let args: Vec<&str> = prefix.iter().map(String::as_str).chain(["--help"]).collect();
    let mut paths = vec![prefix.to_vec()];
    for name in listed(&stdout_of(&args), "Commands:") {
        let path: Vec<String> = prefix.iter().cloned().chain([name.clone()]).collect();
        if name == "help" {
            paths.push(path);
        } else {
            paths.extend(command_paths(&path));
        }
    }
    paths
}

/// The part of the page about one command: its subsection, or for the program
/// itself everything before COMMANDS.
fn part<'a>(page: &'a str, path: &[String]) -> &'a str {
    if path.is_empty() {
        return &page[..page.find(".SH COMMANDS").expect("a COMMANDS section")];
    }
    let heading = format!(".SS \"statusbrowse {}\"\n", path.join(" "));
    let start = page.find(&heading).unwrap_or_else(|| panic!("no subsection {heading}"));
    let rest = &page[start + heading.len()..];
    &rest[..rest.find("\n.S").map_or(rest.len(), |end| end + 1)]
}

#[test]
fn the_man_page_covers_every_command_and_flag_in_help() {
    let page = stdout_of(&["man"]);
    assert!(page.starts_with(".ie ") && page.contains("\n.TH statusbrowse 1 "), "{}", &page[..200]);
    let paths = command_paths(&[]);
    // The program, 7 commands, 3 overlay commands and two `help`s.
    assert!(paths.len() >= 12, "{paths:?}");
    for path in &paths {
        let part = part(&page, path);
        // `help` takes command names only, not even --help.
        if path.last().is_some_and(|name| name == "help") {
            continue;
        }
        let args: Vec<&str> = path.iter().map(String::as_str).chain(["--help"]).collect();
        let help = stdout_of(&args);
        // Each option's and argument's own paragraph starts with a `.TP` line, then its term.
        let terms: Vec<&str> =
            part.lines().zip(part.lines().skip(1)).filter(|(tp, _)| *tp == ".TP").map(|(_, term)| term).collect();
        let described = |roff: &str| terms.iter().any(|term| term.contains(roff));
        for flag in listed(&help, "Options:") {
            let roff = format!("\\fB{}\\fR", flag.replace('-', "\\-"));
            assert!(described(&roff), "`{}` has {flag} in --help, not in its man page part:\n{part}", path.join(" "));
        }
        for argument in listed(&help, "Arguments:") {
            let roff = format!("\\fI{argument}\\fR");
            assert!(described(&roff), "`{}` takes {argument}, not in its man page part:\n{part}", path.join(" "));
        }
    }
    // The notes under a command's --help are in the page too.
    assert!(part(&page, &["tally".to_string()]).contains("HAProxy HTTP log"));
    assert!(page.contains(".SH \"EXIT STATUS\"\n.PP\nExit status: 0 printed something"), "no EXIT STATUS section");
}

/// man renders it without complaint (groff's warnings on, output discarded).
#[cfg(unix)]
#[test]
fn the_man_page_is_roff_that_groff_reads_without_warnings() {
    let page = stdout_of(&["man"]);
    let groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else {
        eprintln!("groff is not installed; the roff is not checked");
        return;
    };
    use std::io::Write;
    groff.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
    let output = groff.wait_with_output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "groff warned");
}
