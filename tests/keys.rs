//! Key sequences replayed through the keymap and `App::update`, asserting state.

use crate::common::{app, press, shown};
use statusbrowse::action::Action;
use statusbrowse::app::{Effect, Focus};
use statusbrowse::catalogue::Class;
use statusbrowse::keymap::{BINDINGS, Scope};
use statusbrowse::search::FacetValue;

#[test]
fn typing_at_launch_goes_to_the_search_box_and_selects_the_best_hit() {
    let mut app = app(120, 36);
    assert_eq!(app.focus, Focus::Search);
    press(&mut app, "524");
    assert_eq!(app.query.text, "524");
    assert_eq!(shown(&app), "524 A Timeout Occurred");
    press(&mut app, "<BS>");
    assert_eq!(app.query.text, "52");
    assert_eq!(shown(&app), "520 Web Server Returned an Unknown Error");
    press(&mut app, "<C-u>");
    assert_eq!(app.query.text, "");
    assert_eq!(app.results.hits.len(), app.catalogue.len());
}

#[test]
fn letters_that_look_like_commands_are_typed() {
    let mut app = app(120, 36);
    assert_eq!(press(&mut app, "quit"), Effect::None);
    assert_eq!(app.query.text, "quit");
    assert!(!app.help_open);
}

#[test]
fn selection_moves_and_stays_inside_the_results() {
    let mut app = app(120, 36);
    press(&mut app, "cloudflare");
    assert_eq!(app.selected, 0);
    press(&mut app, "<Down><Down><C-n>");
    assert_eq!(app.selected, 3);
    press(&mut app, "<Up><C-p>");
    assert_eq!(app.selected, 1);
    press(&mut app, "<Up><Up><Up>");
    assert_eq!(app.selected, 0);
    press(&mut app, "<End>");
    assert_eq!(app.selected, app.row_count() - 1);
    press(&mut app, "<Home><PgDn>");
    assert!(app.selected > 1 && app.selected < app.row_count());
    press(&mut app, "<PgDn><PgDn><PgDn><PgDn>");
    assert_eq!(app.selected, app.row_count() - 1);
    press(&mut app, "<PgUp><PgUp><PgUp><PgUp>");
    assert_eq!(app.selected, 0);
}

#[test]
fn opening_the_filter_pane_on_a_small_terminal_keeps_the_selection_in_view() {
    let mut app = app(120, 36);
    press(&mut app, "<End>");
    app.update(Action::Resize { width: 40, height: 15 });
    press(&mut app, "<C-f>");
    assert_eq!(app.focus, Focus::Filters);
    let rows = app.areas().unwrap().result_rows().max(1);
    assert!(
        app.selected >= app.list_offset && app.selected < app.list_offset + rows,
        "selected row {} outside {}+{rows}",
        app.selected,
        app.list_offset
    );
}

#[test]
fn tab_and_shift_tab_cycle_class_tabs_from_the_search_box() {
    let mut app = app(120, 36);
    press(&mut app, "<Tab>");
    assert_eq!(app.query.class, Some(Class::Informational));
    press(&mut app, "<Tab><Tab><Tab><Tab>");
    assert_eq!(app.query.class, Some(Class::ServerError));
    assert!(app.results.hits.iter().all(|h| app.catalogue.entries()[h.entry].class == Class::ServerError));
    press(&mut app, "<BackTab>");
    assert_eq!(app.query.class, Some(Class::ClientError));
    press(&mut app, "<BackTab><BackTab><BackTab><BackTab>");
    assert_eq!(app.query.class, None, "wraps round to All");
    press(&mut app, "<BackTab>");
    assert_eq!(app.query.class, Some(Class::Other));
}

#[test]
fn following_links_and_walking_history_like_a_browser() {
    let mut app = app(120, 36);
    press(&mut app, "522<Enter>");
    assert_eq!(app.focus, Focus::Detail);
    let links: Vec<String> = app.links().iter().map(|&i| app.catalogue.entries()[i].title()).collect();
    let to_504 = links.iter().position(|t| t == "504 Gateway Timeout").expect("522 links to 504");
    press(&mut app, &"<Tab>".repeat(to_504 + 1));
    assert_eq!(app.detail_link, Some(to_504));
    press(&mut app, "<Enter>");
    assert_eq!(shown(&app), "504 Gateway Timeout");

    let to_502 = app.links().iter().position(|&i| app.catalogue.entries()[i].code == 502).unwrap();
    press(&mut app, &"<Tab>".repeat(to_502 + 1));
    press(&mut app, "<Enter>");
    assert_eq!(shown(&app), "502 Bad Gateway");

    press(&mut app, "<A-Left>");
    assert_eq!(shown(&app), "504 Gateway Timeout");
    press(&mut app, "<A-Left>");
    assert_eq!(shown(&app), "522 Connection Timed Out");
    press(&mut app, "<A-Left>");
    assert_eq!(shown(&app), "522 Connection Timed Out", "nothing before the first code");
    press(&mut app, "<A-Right>");
    assert_eq!(shown(&app), "504 Gateway Timeout");

    // A new link after going back drops the forward entries.
    let to_408 = app.links().iter().position(|&i| app.catalogue.entries()[i].code == 408);
    if let Some(to_408) = to_408 {
        press(&mut app, &"<Tab>".repeat(to_408 + 1));
    } else {
        press(&mut app, "<BackTab>");
    }
    press(&mut app, "<Enter>");
    let third = shown(&app);
    press(&mut app, "<A-Right>");
    assert_eq!(shown(&app), third, "forward history was dropped");
    press(&mut app, "<A-Left>");
    assert_eq!(shown(&app), "504 Gateway Timeout");
}

#[test]
fn a_followed_code_is_shown_even_when_the_query_hides_it() {
    let mut app = app(120, 36);
    press(&mut app, "railgun<Enter>");
    let first = shown(&app);
    let hidden = app
        .links()
        .iter()
        .position(|&i| !app.results.hits.iter().any(|hit| hit.entry == i))
        .expect("527 links to an entry the query does not find");
    press(&mut app, &"<Tab>".repeat(hidden + 1));
    press(&mut app, "<Enter>");
    assert_ne!(shown(&app), first);
    assert_eq!(app.selected, 0, "the pinned entry is the selected first row");
    press(&mut app, "<A-Left>");
    assert_eq!(shown(&app), first);
}

#[test]
fn esc_returns_from_the_detail_and_typing_anywhere_searches() {
    let mut app = app(120, 36);
    press(&mut app, "404<Enter>");
    assert_eq!(app.focus, Focus::Detail);
    press(&mut app, "<Down><Down><Down>");
    assert_eq!(app.detail_scroll, 3);
    press(&mut app, "<Up>");
    assert_eq!(app.detail_scroll, 2);
    press(&mut app, "<Esc>");
    assert_eq!(app.focus, Focus::Search);
    assert_eq!(app.query.text, "404", "Esc from the detail keeps the query");
    press(&mut app, "<Enter>x");
    assert_eq!(app.focus, Focus::Search);
    assert_eq!(app.query.text, "404x");
}

#[test]
fn filter_pane_toggles_values_and_returns_with_esc() {
    let mut app = app(120, 36);
    press(&mut app, "<C-f>");
    assert_eq!(app.focus, Focus::Filters);
    let cloudflare = app.facet_values().iter().position(|v| *v == FacetValue::Source("Cloudflare".into())).unwrap();
    press(&mut app, &"<Down>".repeat(cloudflare));
    press(&mut app, "<Space>");
    assert!(app.query.filters.contains(&FacetValue::Source("Cloudflare".into())));
    assert_eq!(app.results.hits.len(), 9);
    press(&mut app, "<Space>");
    assert!(app.query.filters.is_empty());
    press(&mut app, "<Space><Up><Space>");
    assert_eq!(app.query.filters.iter().count(), 2);
    press(&mut app, "<BS>");
    assert!(app.query.filters.is_empty());
    press(&mut app, "<Esc>");
    assert_eq!(app.focus, Focus::Search);
}

#[test]
fn help_opens_with_f1_or_question_mark_on_an_empty_query() {
    let mut app = app(120, 36);
    press(&mut app, "?");
    assert!(app.help_open);
    press(&mut app, "<Esc>");
    assert!(!app.help_open);
    press(&mut app, "<F1>");
    assert!(app.help_open);
    press(&mut app, "abc");
    assert!(app.help_open, "keys do not leak through the help");
    assert_eq!(app.query.text, "");
    press(&mut app, "<F1>");
    assert!(!app.help_open);
    press(&mut app, "a?");
    assert_eq!(app.query.text, "a?", "with a query, ? is typed");
}

#[test]
fn ctrl_c_quits_from_anywhere_and_ctrl_y_copies_markdown() {
    for script in ["", "<Enter>", "<C-f>", "<F1>"] {
        let mut app = app(120, 36);
        press(&mut app, script);
        assert_eq!(press(&mut app, "<C-c>"), Effect::Quit, "after {script:?}");
    }
    let mut app = app(120, 36);
    press(&mut app, "418");
    match press(&mut app, "<C-y>") {
        Effect::Copy(text) => assert!(text.starts_with("### 418 "), "{text}"),
        other => panic!("expected a copy, got {other:?}"),
    }
    let status = app.status.as_deref().unwrap_or("");
    assert!(status.contains("sent 418 ") && status.contains("to the clipboard"), "{status}");
}

#[test]
fn no_key_is_bound_twice_in_one_scope() {
    // Global keys apply in every scope but the help overlay, which takes all keys.
    let overlap = |a: Scope, b: Scope| {
        a == b || (a == Scope::Global && b != Scope::Help) || (b == Scope::Global && a != Scope::Help)
    };
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            let same_key = a.code == b.code && a.modifiers == b.modifiers;
            assert!(!(same_key && overlap(a.scope, b.scope)), "{:?} {:?} bound twice", a.code, a.modifiers);
        }
    }
}

#[test]
fn the_readme_key_table_lists_every_key() {
    let readme = include_str!("../README.md");
    let table: String = readme.lines().filter(|l| l.starts_with('|')).collect::<Vec<_>>().join("\n");
    for binding in BINDINGS {
        let label = statusbrowse::keymap::key_label(binding.code, binding.modifiers);
        assert!(table.contains(&label), "README key table lacks {label} ({})", binding.help);
    }
}

#[test]
fn ctrl_z_suspends_and_ctrl_l_repaints_even_over_the_help() {
    for script in ["", "<Enter>", "<C-f>", "<F1>"] {
        let mut app = app(120, 36);
        press(&mut app, script);
        assert_eq!(press(&mut app, "<C-z>"), Effect::Suspend, "after {script:?}");
        assert_eq!(press(&mut app, "<C-l>"), Effect::Repaint, "after {script:?}");
    }
}

/// The query with a `|` where the caret is.
fn with_caret(app: &statusbrowse::app::App) -> String {
    let mut text = app.query.text.clone();
    text.insert(app.caret, '|');
    text
}

#[test]
fn the_caret_moves_by_character_word_and_line() {
    let mut app = app(120, 36);
    press(&mut app, "gateway timeout");
    assert_eq!(with_caret(&app), "gateway timeout|");
    press(&mut app, "<Left><Left>");
    assert_eq!(with_caret(&app), "gateway timeo|ut");
    press(&mut app, "<A-b>");
    assert_eq!(with_caret(&app), "gateway |timeout");
    press(&mut app, "<A-b><A-b>");
    assert_eq!(with_caret(&app), "|gateway timeout");
    press(&mut app, "<A-f>");
    assert_eq!(with_caret(&app), "gateway| timeout");
    press(&mut app, "<Right>");
    assert_eq!(with_caret(&app), "gateway |timeout");
    press(&mut app, "<C-e>");
    assert_eq!(with_caret(&app), "gateway timeout|");
    press(&mut app, "<C-a>504 ");
    assert_eq!(with_caret(&app), "504 |gateway timeout", "typing inserts at the caret");
}

#[test]
fn deleting_backward_forward_and_by_word() {
    let mut app = app(120, 36);
    press(&mut app, "cloud-flare 52x<BS>");
    assert_eq!(with_caret(&app), "cloud-flare 52|");
    press(&mut app, "<A-BS>");
    assert_eq!(with_caret(&app), "cloud-flare |", "Alt-Backspace stops at punctuation and spaces");
    press(&mut app, "<A-BS>");
    assert_eq!(with_caret(&app), "cloud-|");
    press(&mut app, "flare 524<C-w>");
    assert_eq!(with_caret(&app), "cloud-flare |", "Ctrl-W deletes back to the space");
    press(&mut app, "<C-w>");
    assert_eq!(with_caret(&app), "|");
    press(&mut app, "524<C-a><Del>");
    assert_eq!(with_caret(&app), "|24", "Delete removes the character under the caret");
    press(&mut app, "<C-e><Del>");
    assert_eq!(with_caret(&app), "24|", "Delete at the end does nothing");
}

#[test]
fn backspace_deletes_a_whole_grapheme() {
    let mut app = app(120, 36);
    // A family emoji is five code points joined by zero-width joiners.
    app.update(Action::Paste("x👨‍👩‍👧e\u{301}".to_string()));
    press(&mut app, "<BS>");
    assert_eq!(app.query.text, "x👨‍👩‍👧", "e and its combining accent go together");
    press(&mut app, "<BS>");
    assert_eq!(app.query.text, "x");
}

#[test]
fn a_paste_is_one_edit_at_the_caret() {
    let mut app = app(120, 36);
    press(&mut app, "timeout<C-a>");
    app.update(Action::Paste("gateway\r\n\t\x1b[31m".to_string()));
    assert_eq!(with_caret(&app), "gateway  |timeout", "line breaks and tabs are spaces, escapes are dropped");
    press(&mut app, "<C-a><Enter>");
    assert_eq!(app.focus, Focus::Detail);
    app.update(Action::Paste(" 504".to_string()));
    assert_eq!(app.focus, Focus::Search, "a paste goes to the search box");
    assert_eq!(with_caret(&app), "gateway  timeout 504|", "from the detail, at the end: no caret is shown there");
    let long = "upstream timed out\n".repeat(600);
    app.update(Action::Paste(long.clone()));
    assert_eq!(app.query.text.len(), "gateway  timeout 504".len() + long.len());
}

#[test]
fn page_keys_in_the_detail_move_by_its_visible_height() {
    let mut app = app(80, 24);
    press(&mut app, "524<Enter>");
    let page = usize::from(app.areas().unwrap().detail.height) - 2;
    press(&mut app, "<PgDn>");
    assert_eq!(app.detail_scroll, page);
    press(&mut app, "<Down><PgUp>");
    assert_eq!(app.detail_scroll, 1);
}

#[test]
fn typing_in_the_filter_pane_jumps_to_a_matching_value() {
    let mut app = app(120, 36);
    press(&mut app, "<C-f>aws");
    assert_eq!(app.focus, Focus::Filters);
    assert_eq!(app.facet_values()[app.filter_cursor].label(), "AWS ELB");
    assert_eq!(app.query.text, "", "typing in the pane does not search");
    press(&mut app, "<Space>");
    assert!(app.query.filters.contains(&app.facet_values()[app.filter_cursor]));
    // After another key, typing starts a new jump; a word inside a name counts.
    press(&mut app, "9110");
    assert_eq!(app.facet_values()[app.filter_cursor].label(), "RFC 9110");
}

#[test]
fn the_help_pages_by_its_height_and_ignores_pastes() {
    let mut app = app(80, 24);
    press(&mut app, "<F1><PgDn>");
    let lines = statusbrowse::view::help::lines(app.theme);
    let box_height = statusbrowse::view::help::popup(app.viewport, &lines).height;
    assert!(lines.len() > 2 * usize::from(box_height), "the help is more than two pages at 80x24");
    assert_eq!(app.help_scroll, usize::from(box_height) - 2, "one page: the box's height inside its border");
    app.update(Action::Paste("504".to_string()));
    assert!(app.help_open);
    assert_eq!(app.query.text, "");
    press(&mut app, "<End>");
    let bottom = app.help_scroll;
    assert!(bottom > usize::from(box_height), "End goes past the second page");
    press(&mut app, "<PgDn><Down>");
    assert_eq!(app.help_scroll, bottom, "End goes to the last page");
    press(&mut app, "<Home>");
    assert_eq!(app.help_scroll, 0, "Home goes to the top");
    assert!(app.help_open && app.query.text.is_empty());
}

#[test]
fn readline_keys_ctrl_h_b_d_k_and_ctrl_arrows() {
    let mut app = app(120, 36);
    press(&mut app, "gateway timeout<C-h>");
    assert_eq!(with_caret(&app), "gateway timeou|", "Ctrl-H is Backspace");
    press(&mut app, "<C-b><C-b>");
    assert_eq!(with_caret(&app), "gateway time|ou");
    press(&mut app, "<C-d>");
    assert_eq!(with_caret(&app), "gateway time|u", "Ctrl-D deletes under the caret");
    press(&mut app, "<C-k>");
    assert_eq!(with_caret(&app), "gateway time|", "Ctrl-K deletes to the end");
    press(&mut app, "<C-Left>");
    assert_eq!(with_caret(&app), "gateway |time");
    press(&mut app, "<C-Left><C-Right>");
    assert_eq!(with_caret(&app), "gateway| time");
    press(&mut app, "<C-f>");
    assert_eq!(app.focus, Focus::Filters, "Ctrl-F stays the filter pane");
}

#[test]
fn the_detail_panel_reads_like_less() {
    let mut app = app(80, 24);
    press(&mut app, "gateway timeout<Left><Left><Enter>");
    let page = usize::from(app.areas().unwrap().detail.height) - 2;
    press(&mut app, "jjj");
    assert_eq!(app.detail_scroll, 3);
    press(&mut app, "k");
    assert_eq!(app.detail_scroll, 2);
    press(&mut app, "<Space>");
    assert_eq!(app.detail_scroll, 2 + page);
    press(&mut app, "b");
    assert_eq!(app.detail_scroll, 2);
    press(&mut app, "G");
    assert!(app.detail_scroll > page, "G goes to the bottom");
    press(&mut app, "g");
    assert_eq!(app.detail_scroll, 0);
    press(&mut app, "<C-d><C-d>");
    assert_eq!(app.detail_scroll, 2 * (page / 2), "Ctrl-D: half a page down");
    press(&mut app, "<C-u>");
    assert_eq!(app.detail_scroll, page / 2, "Ctrl-U: half a page up, the query kept");
    press(&mut app, "g");
    assert_eq!(app.query.text, "gateway timeout", "reading keys are not typed");
    press(&mut app, "q");
    assert_eq!(app.focus, Focus::Search);
    press(&mut app, "<Enter>/");
    assert_eq!(app.focus, Focus::Search);
    assert_eq!(app.query.text, "gateway timeout");
    press(&mut app, "<Enter>x");
    assert_eq!(app.focus, Focus::Search, "other letters still search");
    // The caret is not shown from the detail: typing there adds to the end.
    assert_eq!(with_caret(&app), "gateway timeoutx|");
    press(&mut app, "<Left><Left>y");
    assert_eq!(with_caret(&app), "gateway timeouy|tx", "in the search box, at the caret");
}

#[test]
fn a_burst_of_edits_searches_once_and_enter_after_it_opens_the_best_hit() {
    let mut app = app(120, 36);
    // No Settle between the keys: Enter must still see the results for "524".
    for c in "524".chars() {
        app.update(Action::InsertChar(c));
    }
    app.update(Action::FocusDetail);
    assert_eq!(shown(&app), "524 A Timeout Occurred");
    assert_eq!(app.focus, Focus::Detail);
}

#[test]
fn a_paste_copied_from_a_coloured_terminal_loses_its_escape_sequences() {
    let mut app = app(120, 36);
    app.update(Action::Paste("gate\x1b[31mway time\x1b]0;T\x07out\x1b[0m".into()));
    app.update(Action::Settle);
    assert_eq!(app.query.text, "gateway timeout");
    assert_eq!(shown(&app), "504 Gateway Timeout");
}

#[test]
fn a_refused_suspend_is_reported_in_the_status_line() {
    let mut app = app(120, 36);
    app.update(Action::SuspendUnavailable);
    app.update(Action::Settle);
    assert!(app.status.as_deref().is_some_and(|s| s.contains("not suspended")), "{:?}", app.status);
}

#[test]
fn preparing_the_search_changes_nothing_shown() {
    let mut app = app(120, 36);
    app.update(Action::SuspendUnavailable);
    let before = (shown(&app), app.status.clone(), app.results.hits.len());
    app.update(Action::PrepareSearch);
    assert_eq!((shown(&app), app.status.clone(), app.results.hits.len()), before);
}
