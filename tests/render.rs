//! Frames drawn on a TestBackend, compared with committed insta snapshots.

use crate::common::{app, press, shown};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use statusbrowse::app::App;
use statusbrowse::search::FacetValue;
use statusbrowse::ui;

const SIZES: [(u16, u16); 4] = [(120, 36), (80, 24), (60, 20), (40, 12)];

fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.viewport.width, app.viewport.height)).unwrap();
    terminal.draw(|frame| ui::render(app, frame)).unwrap();
    terminal
}

/// Snapshots one state at every size, named "<state>_<w>x<h>".
fn snapshot_each_size(state: &str, script: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let mut app = app(width, height);
        script(&mut app);
        insta::assert_snapshot!(format!("{state}_{width}x{height}"), draw(&app).backend());
    }
}

#[test]
fn launch() {
    snapshot_each_size("launch", |_| {});
}

#[test]
fn cloudflare_query() {
    snapshot_each_size("cloudflare", |app| {
        press(app, "cloudflare");
    });
}

#[test]
fn filter_pane_with_a_value_toggled() {
    snapshot_each_size("filters", |app| {
        press(app, "<C-f>");
        let nginx = app.facet_values().iter().position(|v| *v == FacetValue::Source("nginx".into())).unwrap();
        press(app, &format!("{}<Space>", "<Down>".repeat(nginx)));
    });
}

#[test]
fn detail_focus_on_a_related_link() {
    snapshot_each_size("detail_link", |app| {
        press(app, "522<Enter><Tab><Tab>");
    });
}

#[test]
fn no_match_hint() {
    snapshot_each_size("no_match", |app| {
        press(app, "qxzv<Tab>");
    });
}

/// The screen's rows as text.
fn rows(app: &App) -> Vec<String> {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| (0..buffer.area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect())
        .collect()
}

#[test]
fn at_80_columns_the_footer_drops_no_hint_the_screen_does_not_show_elsewhere() {
    // Each focus, and the hints it must show whole at 80 columns.
    let states: [(&str, &[&str]); 3] = [
        ("cloudflare", &["↑/↓ move", "Enter open", "^U clear", "^F filters", "^Y copy", "F1 help", "^C quit"]),
        ("522<Enter>", &["Tab/⇧Tab link", "Enter follow", "Esc search", "^F filters", "^Y copy", "F1 help", "^C quit"]),
        ("<C-f>", &["↑/↓ move", "Space toggle", "Backspace clear", "Esc search", "^Y copy", "F1 help", "^C quit"]),
    ];
    for (keys, hints) in states {
        let mut app = app(80, 24);
        press(&mut app, keys);
        let screen = rows(&app);
        let footer = screen.last().unwrap();
        for hint in hints {
            assert!(footer.contains(hint), "{keys}: {hint:?} missing from {footer:?}");
        }
        assert!(!footer.contains('…'), "{keys}: the footer is cut: {footer:?}");
        // What gives way is on screen elsewhere: the tab bar names Tab/Shift-Tab.
        if keys == "cloudflare" {
            assert!(screen[0].contains("Tab/Shift-Tab"), "{}", screen[0]);
        }
    }
    // The detail title names Alt-←/→ once a link was followed.
    let mut app = app(80, 24);
    press(&mut app, "522<Enter><Tab><Enter>");
    assert!(rows(&app).iter().any(|row| row.contains("◀  Alt-←/→")), "{:#?}", rows(&app));
}

#[test]
fn a_status_message_leaves_room_for_quit_and_help() {
    let mut app = app(80, 24);
    press(&mut app, "522<C-y>");
    let footer = rows(&app).pop().unwrap();
    assert!(footer.contains("sent 522 Connection Timed Out to the clipboard"), "{footer:?}");
    assert!(footer.contains("^C quit") && !footer.contains('…'), "{footer:?}");
}

#[test]
fn no_match_hint_wraps_inside_the_results_at_80_columns() {
    let mut app = app(80, 24);
    press(&mut app, "qxzv<Tab>");
    // The results pane's column of each row, read as one text.
    let shown: Vec<String> =
        rows(&app).iter().filter_map(|row| row.split('│').nth(1).map(|cell| cell.trim().to_string())).collect();
    let text = shown.iter().filter(|cell| !cell.is_empty()).cloned().collect::<Vec<_>>().join(" ");
    assert!(text.contains("No match. Ctrl-U clears the query; the tab and filters also narrow it."), "{shown:#?}");
}

#[test]
fn an_alias_is_shown_when_some_of_it_can_be_read_and_left_out_otherwise() {
    use statusbrowse::action::Action;
    let nginx = "upstream timed out (110: Connection timed out) while reading response header from upstream";
    for (width, height, expected) in
        [(120, 36, "504 Gateway Timeout ~ Gateway Time-out  RFC 9110"), (80, 24, "504 Gateway Timeout     RFC 9110")]
    {
        let mut app = app(width, height);
        app.update(Action::Paste(nginx.into()));
        app.update(Action::Settle);
        let screen = rows(&app);
        assert!(screen.iter().any(|row| row.contains(expected)), "{width}x{height}: {screen:#?}");
        assert!(
            !screen.iter().any(|row| row.contains("~ …")),
            "{width}x{height}: an alias cut to nothing: {screen:#?}"
        );
    }
}

#[test]
fn at_40x12_every_class_tab_is_on_the_bar_with_the_active_count() {
    let mut app = app(40, 12);
    press(&mut app, "cloudflare");
    let tabs = rows(&app).remove(0);
    for label in ["All 27", "1xx", "2xx", "3xx", "4xx", "5xx", "Other"] {
        assert!(tabs.contains(label), "{label:?} missing from {tabs:?}");
    }
    // Clicking the 5xx label still selects that tab: drawing and hit-testing share the labels.
    let column = tabs[..tabs.find("5xx").unwrap()].chars().count() as u16;
    app.update(statusbrowse::action::Action::Click { column, row: 0 });
    assert_eq!(app.query.class, Some(statusbrowse::catalogue::Class::ServerError));
    assert!(rows(&app).remove(0).contains("5xx 16"), "{:?}", rows(&app)[0]);
}

#[test]
fn help_overlay() {
    snapshot_each_size("help", |app| {
        press(app, "<F1>");
    });
}

#[test]
fn tiny_terminals_show_a_message_instead_of_panicking() {
    for (width, height) in [(1, 1), (2, 1), (10, 3), (39, 30), (200, 11), (0, 0)] {
        let app = app(width, height);
        let terminal = draw(&app);
        if width == 0 {
            continue; // Drawing must not panic; TestBackend cannot print an empty buffer.
        }
        let text = terminal.backend().to_string();
        if width >= 20 && height >= 3 {
            assert!(text.contains("too small"), "{width}x{height}: {text}");
        }
    }
    let app = app(200, 50);
    let text = draw(&app).backend().to_string();
    assert!(text.contains("Filters") && text.contains("WHAT TO CHECK"));
}

#[test]
fn without_colour_selection_and_matches_are_still_visible() {
    let mut app = app(120, 36);
    press(&mut app, "gateway");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let areas = app.areas().unwrap();
    // The first result row sits just inside the list's border.
    let row = areas.results.y + 1;
    let cell = &buffer[(areas.results.x + 6, row)];
    assert!(cell.modifier.contains(Modifier::REVERSED), "selected row is reversed");
    let matched = (areas.results.x + 1..areas.results.right() - 1)
        .filter(|&x| buffer[(x, row)].modifier.contains(Modifier::UNDERLINED))
        .count();
    assert_eq!(matched, "gateway".len(), "matched characters are underlined");
}

#[test]
fn the_selected_row_is_drawn_in_the_selections_colours_except_its_matches() {
    use ratatui::style::Color;
    use statusbrowse::catalogue::Catalogue;
    use statusbrowse::view::theme::Theme;
    let mut app = App::new(Catalogue::embedded().unwrap(), ratatui::layout::Rect::new(0, 0, 120, 36), Theme::COLOR);
    // 100 Continue: a blue code, the colour of the selection's background.
    press(&mut app, "continue");
    assert_eq!(shown(&app), "100 Continue");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let results = app.areas().unwrap().results;
    let row = results.y + 1;
    let cells: Vec<_> = (results.x + 1..results.right() - 1).map(|x| &buffer[(x, row)]).collect();
    let text: String = cells.iter().map(|c| c.symbol()).collect();
    assert!(text.starts_with("100 Continue") && text.trim_end().ends_with("RFC 9110"), "{text:?}");
    for (x, cell) in cells.iter().enumerate().filter(|(_, c)| c.symbol() != " ") {
        assert_eq!(cell.bg, Color::Blue, "cell {x} of {text:?}");
        assert!(matches!(cell.fg, Color::White | Color::LightYellow), "cell {x} of {text:?} is {:?}", cell.fg);
    }
}

#[test]
fn a_narrow_detail_puts_a_long_label_on_its_own_line_instead_of_breaking_words() {
    use statusbrowse::catalogue::Catalogue;
    use statusbrowse::search::Reason;
    use statusbrowse::view::entry::{Medium, content};
    use statusbrowse::view::theme::Theme;

    let catalogue = Catalogue::embedded().unwrap();
    let reason = Reason::Text(vec!["gateway".to_string(), "upstream".to_string()]);
    let medium = Medium::Panel { selected_link: None, found_by: Some(&reason) };
    let text = |width: usize| -> Vec<String> {
        content(&catalogue, 0, width, Theme::PLAIN, medium).lines.iter().map(|l| l.to_string()).collect()
    };
    let narrow = text(26);
    let at = narrow.iter().position(|l| l == "Found by the words:").expect("the label alone on a line");
    assert_eq!(narrow[at + 1], "  gateway, upstream");
    // Wide enough, the words follow the label.
    assert!(text(60).iter().any(|l| l == "Found by the words: gateway, upstream"));
}

/// The README's screenshot: the browser at 110x30 after typing `cloudflare`
/// and moving to 522, as drawn now, each row without its trailing blanks.
fn readme_screenshot() -> String {
    let mut app = app(110, 30);
    press(&mut app, "cloudflare");
    for _ in 0..10 {
        if app.current_entry().is_some_and(|e| e.code == 522) {
            break;
        }
        press(&mut app, "<Down>");
    }
    assert_eq!(shown(&app), "522 Connection Timed Out", "522 is no longer among the first cloudflare hits");
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let mut rows = String::new();
    for y in 0..buffer.area.height {
        let row: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        rows.push_str(row.trim_end());
        rows.push('\n');
    }
    rows
}

#[test]
fn the_readme_screenshot_is_the_app_as_drawn_now() {
    const START: &str = "<!-- screenshot: tests/render.rs -->\n```\n";
    let readme = include_str!("../README.md");
    let start = readme.find(START).expect("README has the screenshot marker") + START.len();
    let end = readme[start..].find("```\n").expect("the screenshot block is closed") + start;
    let expected = readme_screenshot();
    assert_eq!(&readme[start..end], expected, "replace the README's screenshot with:\n{expected}");
}
