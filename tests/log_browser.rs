//! The browser opened on a log (`--log`, `tally --open`): the log's codes first,
//! most frequent first and selected, counts after the codes and in the detail
//! panel; a typed query ranks as usual and clearing it brings the log order back.

use std::path::Path;

use crate::common::{app, press, shown};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use statusbrowse::action::Action;
use statusbrowse::app::App;
use statusbrowse::catalogue::Catalogue;
use statusbrowse::tally::{self, browse::LogCounts, reader::Input};
use statusbrowse::ui;

fn log(name: &str) -> LogCounts {
    let catalogue = Catalogue::embedded().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/logs").join(name);
    let report = tally::run(&[Input::File(path)], &tally::Options::default(), &catalogue);
    LogCounts::from_report(&report, &catalogue)
}

fn titles(app: &App, rows: usize) -> Vec<String> {
    (0..rows).filter_map(|r| app.row(r)).map(|(e, _)| app.catalogue.entries()[e].title()).collect()
}

#[test]
fn the_log_s_codes_come_first_most_frequent_selected() {
    let mut app = app(120, 36).with_log(log("alb.log"));
    assert_eq!(shown(&app), "200 OK");
    // alb.log: 200 ×26, 502 ×7, 463 ×3, 460 ×2, 504 ×2; ties in code order.
    assert_eq!(
        titles(&app, 5),
        [
            "200 OK",
            "502 Bad Gateway",
            "463 Too Many X-Forwarded-For Addresses",
            "460 Client Closed Connection",
            "504 Gateway Timeout",
        ]
    );
    // Then the rest of the catalogue in code order, from the first code.
    let sixth = app.row(5).map(|(entry, _)| app.catalogue.entries()[entry].code);
    assert_eq!(sixth, Some(0));
    press(&mut app, "timeout");
    assert!(!app.log_order());
    assert_ne!(titles(&app, 1), ["200 OK"]);
    press(&mut app, "<C-u>");
    assert!(app.log_order());
    assert_eq!(shown(&app), "200 OK");
    // A class tab keeps the log's order within the class.
    press(&mut app, "<Tab><Tab><Tab><Tab><Tab>");
    assert_eq!(titles(&app, 2), ["502 Bad Gateway", "504 Gateway Timeout"]);
}

#[test]
fn new_counts_resort_the_list_and_keep_the_selected_entry() {
    // A stream opened before any line: nothing counted, nothing to select by.
    let mut app = app(120, 36).with_log(LogCounts::default());
    app.update(Action::LogCounts(log("alb.log")));
    assert_eq!(shown(&app), "200 OK", "the first counts select the most frequent code");
    press(&mut app, "<Down><Down>");
    assert_eq!(shown(&app), "463 Too Many X-Forwarded-For Addresses");
    // envoy.log has no 463: the entry drops out of the log's order and stays selected.
    app.update(Action::LogCounts(log("envoy.log")));
    assert_eq!(shown(&app), "463 Too Many X-Forwarded-For Addresses");
    let order_of = |name: &str| titles(&crate::common::app(120, 36).with_log(log(name)), 4);
    assert_eq!(titles(&app, 4), order_of("envoy.log"), "the list is in the new counts' order");
    assert_ne!(order_of("envoy.log"), order_of("alb.log"));
    // Typing is not disturbed: a query keeps its own ranking.
    press(&mut app, "gateway");
    let ranked = titles(&app, 3);
    app.update(Action::LogCounts(log("alb.log")));
    assert_eq!(titles(&app, 3), ranked);
}

#[test]
fn detail_panel_shows_counts_split_and_links_still_follow() {
    let mut app = app(120, 36).with_log(log("alb.log"));
    press(&mut app, "<Down>");
    assert_eq!(shown(&app), "502 Bad Gateway");
    let content = app.detail_content().unwrap();
    let text: Vec<String> = content.lines.iter().map(ToString::to_string).collect();
    assert!(text[0].starts_with("In alb.log: 7 lines · 17.5%"), "{text:?}");
    assert_eq!(text[1], "target said: - (6), 502 (1)");
    // Links moved down with the text: following the first one lands on its code.
    let first_link = app.links()[0];
    press(&mut app, "<Enter><Tab><Enter>");
    assert_eq!(app.current(), Some(first_link));
}

#[test]
fn haproxy_and_envoy_signals_in_the_detail() {
    let app = app(120, 36).with_log(log("envoy.log"));
    let mut app = app;
    press(&mut app, "503");
    let text: Vec<String> = app.detail_content().unwrap().lines.iter().map(ToString::to_string).collect();
    assert!(text[0].starts_with("In envoy.log: "), "{text:?}");
    assert!(text[1].starts_with("flags: UF ("), "{text:?}");
}

#[test]
fn render_with_a_log() {
    for (width, height) in [(120, 36), (80, 24)] {
        let app = app(width, height).with_log(log("alb.log"));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| ui::render(&app, frame)).unwrap();
        insta::assert_snapshot!(format!("log_alb_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn the_counts_form_a_column_after_the_code_at_every_width() {
    let app = app(120, 36).with_log(log("alb.log"));
    // alb.log: 200 ×26, 502 ×7, 463 ×3, 460 ×2, 504 ×2, then codes it lacks.
    let expected = ["26", " 7", " 3", " 2", " 2", "  "];
    for width in 20..=200 {
        for (row, count) in expected.iter().enumerate() {
            let (entry, hit) = app.row(row).unwrap();
            let line = ui::results::row_line(&app, entry, hit.map(|h| &h.highlights), width).to_string();
            assert!(line.chars().count() <= width, "{width}: {line:?}");
            let code = app.catalogue.entries()[entry].code_label();
            // "200 26 OK", "502  7 Bad Gateway": the counts end in one column.
            assert_eq!(line.get(..7), Some(format!("{code} {count} ").as_str()), "{width}: {line:?}");
        }
    }
    // The phrase follows the column straight away, however wide the row.
    let (entry, hit) = app.row(0).unwrap();
    let wide = ui::results::row_line(&app, entry, hit.map(|h| &h.highlights), 200).to_string();
    assert!(wide.starts_with("200 26 OK ") && wide.ends_with(" RFC 9110"), "{wide:?}");
}

#[test]
fn the_sparkline_gets_its_own_line_when_the_head_line_is_too_long() {
    let mut counts = log("alb.log");
    let sparkline = counts.get(ok_entry(&counts)).unwrap().sparkline.clone();
    assert_eq!(sparkline.chars().count(), 12);
    for (label, together) in [("alb.log", true), ("access.log-20261202", false)] {
        counts.label = label.to_string();
        let app = app(80, 24).with_log(counts.clone());
        let text: Vec<String> = app.detail_content().unwrap().lines.iter().map(ToString::to_string).collect();
        assert!(text[0].starts_with(&format!("In {label}: 26 lines · 65.0%")), "{text:?}");
        if together {
            assert!(text[0].ends_with(&format!("  {sparkline}")), "{text:?}");
        } else {
            assert_eq!(text[1], sparkline, "{text:?}");
        }
        // Every slice is drawn, none under the scrollbar.
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|frame| ui::render(&app, frame)).unwrap();
        let screen = format!("{}", terminal.backend());
        assert!(screen.contains(&format!("{sparkline} ")), "{screen}");
    }
}

/// The status line.
fn last_row(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    let row = buffer.area.height - 1;
    (0..buffer.area.width).map(|column| buffer[(column, row)].symbol()).collect()
}

/// The catalogue entry of 200 OK, alb.log's most frequent code.
fn ok_entry(counts: &LogCounts) -> usize {
    let catalogue = Catalogue::embedded().unwrap();
    catalogue.indices_of_code(200).find(|&entry| counts.get(entry).is_some()).unwrap()
}

#[test]
fn what_was_left_out_and_where_the_errors_went_are_shown() {
    let catalogue = Catalogue::embedded().unwrap();
    let logs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/logs");
    let inputs = [
        Input::File(logs.join("mixed.log")),
        Input::File(logs.join("envoy.log")),
        Input::File("/nonexistent/x.log".into()),
    ];
    let options = tally::Options { detail: true, ..tally::Options::default() };
    let counts = LogCounts::from_report(&tally::run(&inputs, &options, &catalogue), &catalogue);
    assert_eq!(counts.notes, ["3 lines not understood"]);
    assert_eq!(counts.problems, ["/nonexistent/x.log: cannot read: No such file or directory"]);
    // Both in the status line, the problem first: at 80 columns it takes the line.
    for (width, height) in [(80, 24), (120, 36)] {
        let app = app(width, height).with_log(counts.clone());
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| ui::render(&app, frame)).unwrap();
        let footer = last_row(terminal.backend());
        assert!(footer.starts_with(" /nonexistent/x.log: cannot read: No such file or directory "), "{footer}");
        assert_eq!(footer.contains("directory   3 lines not understood "), width == 120, "{footer}");
    }
    let app = app(120, 36).with_log(counts);
    // The 503s' upstreams, from the Envoy log, in the detail panel of 503.
    let service_unavailable = catalogue.indices_of_code(503).next().unwrap();
    let details = &app.log.as_ref().unwrap().get(service_unavailable).unwrap().details;
    assert!(details.iter().any(|d| d.starts_with("targets: 10.0.2.7:8080 (3)")), "{details:?}");
}
