//! Search ranking: the shared query table, plus the rules the ranking promises.

use proptest::prelude::*;
use statusbrowse::catalogue::{Catalogue, Class, Lifecycle};
use statusbrowse::search::{EXPLAINED_HITS, FacetValue, Query, Reason, Results, Searcher};

fn setup() -> (Catalogue, Searcher) {
    let catalogue = Catalogue::embedded().unwrap();
    let searcher = Searcher::new(&catalogue);
    (catalogue, searcher)
}

fn codes(catalogue: &Catalogue, results: &Results) -> Vec<u16> {
    results.hits.iter().map(|h| catalogue.entries()[h.entry].code).collect()
}

fn top(query: &str, n: usize) -> Vec<u16> {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text(query));
    codes(&catalogue, &results).into_iter().take(n).collect()
}

/// Rows: query, k, codes that must all be among the first k results.
const QUERY_TABLE: &str = include_str!("data/search-queries.tsv");
/// The project's own cases, in the same format.
const OWN_CASES: &str = "\
524\t1\t524
522\t1\t522
5\t3\t500,501,502
4xx\t3\t400,401,402
gatway timout\t1\t504
cloudfare\t9\t520,521,522,523,524,525,526,527,530
request entity too large\t1\t413
unprocessable entity\t1\t422
moved temporarily\t1\t302
requested range\t1\t416
i'm a teapot\t1\t418
client closed\t3\t499,460
x-forwarded-for\t1\t463
enhance your calm\t1\t420
csrf\t3\t419
captive portal\t3\t511
railgun\t1\t527
site is frozen\t1\t530
overloaded\t3\t529,503
ray id\t9\t520,521,522,523,524
retry-after\t5\t429,503
grpc unavailable\t1\t503
grpc-status 14\t1\t503
DEADLINE_EXCEEDED\t1\t504
1014\t1\t403
no available server\t1\t503
no upstreams available\t1\t503
Backend fetch failed\t1\t503
backend_connection_closed_before_data_sent_to_client\t2\t502,503
ERR_CONNECT_TIMEOUT\t1\t504
ERR_READ_TIMEOUT\t1\t504
errors.edgesuite.net\t1\t403
You don't have permission to access \"/\" on this server.\t1\t403
Status code must be an integer value between 1xx and 5xx.\t2\t999,783
";

fn check_table(table: &str) {
    let (catalogue, mut searcher) = setup();
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (query, k) = (fields[0], fields[1].parse::<usize>().unwrap());
        let wanted: Vec<u16> = fields[2].split(',').map(|c| c.parse().unwrap()).collect();
        let got: Vec<u16> = codes(&catalogue, &searcher.search(&Query::text(query))).into_iter().take(k).collect();
        let missing: Vec<_> = wanted.iter().filter(|c| !got.contains(c)).collect();
        if !missing.is_empty() {
            failures.push(format!("{query:?}: missing {missing:?} in top {k}: {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn shared_query_table_passes_in_full() {
    assert!(QUERY_TABLE.lines().filter(|l| !l.starts_with('#')).count() >= 15);
    check_table(QUERY_TABLE);
}

#[test]
fn own_query_cases_pass() {
    check_table(OWN_CASES);
}

#[test]
fn empty_query_lists_everything_in_code_order() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::default());
    assert_eq!(results.hits.len(), catalogue.len());
    let positions: Vec<usize> = results.hits.iter().map(|h| h.entry).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "not in catalogue order");
    let found = codes(&catalogue, &results);
    assert!(found.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn code_prefix_lists_the_codes_in_order_before_mentions() {
    let got = top("52", 8);
    assert_eq!(got, [520, 521, 522, 523, 524, 525, 526, 527]);
}

#[test]
fn vendor_entries_come_before_entries_that_merely_mention_the_vendor() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("cloudflare"));
    let sources: Vec<&str> = results.hits.iter().map(|h| catalogue.entries()[h.entry].source.as_str()).collect();
    let first_other = sources.iter().position(|s| *s != "Cloudflare").unwrap();
    assert_eq!(first_other, 9, "{sources:?}");
    // Mentions exist, but the prose match is by word, not fuzzy: a handful, not everything.
    assert!(results.hits.len() < 40, "{} hits for cloudflare", results.hits.len());
}

#[test]
fn prose_is_matched_by_words_not_fuzzy_subsequences() {
    let (_, mut searcher) = setup();
    let teapot = searcher.search(&Query::text("teapot")).hits.len();
    assert!((1..=5).contains(&teapot), "teapot matched {teapot} entries");
}

#[test]
fn short_queries_need_every_known_word_and_ignore_unknown_ones() {
    assert_eq!(top("gateway timeout", 1), [504]);
    // Two known words that no entry has together: nothing.
    assert!(top("teapot cloudflare", 5).is_empty());
    // A word the catalogue does not know does not empty the result.
    assert_eq!(top("cloudflare xyzzyplugh", 9), top("cloudflare", 9));
    assert!(top("xyzzyplugh", 5).is_empty());
}

#[test]
fn long_queries_rank_by_how_much_of_them_an_entry_explains() {
    // "on" is a stopword, "keep" rare: 307 and 308 keep the method.
    let got = top("keep POST method on redirect", 3);
    assert!(got.contains(&307) && got.contains(&308), "{got:?}");
    // Most words of this sentence appear nowhere; the ones that do decide.
    let got = top("the upstream server took too long to send its response headers, gateway gave up", 3);
    assert!(got.contains(&504), "{got:?}");
}

#[test]
fn typos_match_by_edit_distance_but_rank_below_exact_words() {
    for (typed, code) in
        [("servce unavailabel", 503), ("too many reqeusts", 429), ("bad requets", 400), ("gatway timout", 504)]
    {
        assert_eq!(top(typed, 1), [code], "{typed}");
    }
    // Swapped letters (a transposition) and a wrong letter, not only dropped ones.
    assert_eq!(top("forbdiden", 1), [403]);
    assert_eq!(top("unauthorixed", 1), [401]);
    let (catalogue, mut searcher) = setup();
    let score_of = |searcher: &mut Searcher, text: &str| {
        let results = searcher.search(&Query::text(text));
        let hit = results.hits.iter().find(|h| catalogue.entries()[h.entry].code == 504).unwrap();
        hit.score
    };
    assert!(score_of(&mut searcher, "gatway") < score_of(&mut searcher, "gateway"));
}

#[test]
fn digits_never_match_by_typo() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("503"));
    assert!(results.hits.iter().all(|h| catalogue.entries()[h.entry].code == 503));
    assert!(top("5031", 3).iter().all(|&c| c != 503 && c != 504));
}

#[test]
fn identifiers_split_on_underscores_dots_and_case() {
    assert_eq!(top("GATEWAY_TIMEOUT", 1), [504]);
    assert_eq!(top("not_found", 1), [404]);
    assert_eq!(top("HTTP_NOT_FOUND", 1), [404]);
    assert_eq!(top("StatusTooManyRequests", 1), [429]);
    assert_eq!(top("HttpStatus.SERVICE_UNAVAILABLE", 1), [503]);
}

#[test]
fn a_whole_name_beats_names_that_contain_it() {
    assert_eq!(top("locked", 1), [423]);
    assert_eq!(top("found", 1), [302]);
    assert_eq!(top("payload too large", 1), [413]);
}

#[test]
fn a_class_lists_registered_codes_first_in_code_order() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("5xx"));
    let entries: Vec<_> = results.hits.iter().map(|h| &catalogue.entries()[h.entry]).collect();
    assert!(entries.iter().all(|e| e.class == Class::ServerError));
    assert_eq!(entries.len(), catalogue.entries().iter().filter(|e| e.class == Class::ServerError).count());
    let registered = |e: &&statusbrowse::catalogue::Entry| e.source.starts_with("RFC") || e.source == "WebDAV";
    let first_vendor = entries.iter().position(|e| !registered(e)).unwrap();
    assert!(entries[first_vendor..].iter().all(|e| !registered(e)), "registered codes first");
    assert_eq!(entries[0].code, 500);
    for part in [&entries[..first_vendor], &entries[first_vendor..]] {
        assert!(part.windows(2).all(|w| w[0].code <= w[1].code), "code order");
    }
}

#[test]
fn a_hit_found_only_in_the_text_says_which_words() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("websocket"));
    let hit = results.hits.iter().find(|h| catalogue.entries()[h.entry].code == 101).unwrap();
    assert_eq!(hit.reason, Some(Reason::Text(vec!["websocket".to_string()])));
    // A name match needs no explanation.
    let results = searcher.search(&Query::text("teapot"));
    assert_eq!(results.hits[0].reason, None);
}

#[test]
fn typo_matches_are_highlighted_too() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("servce unavailabel"));
    let hit = &results.hits[0];
    assert_eq!(catalogue.entries()[hit.entry].phrase, "Service Unavailable");
    assert_eq!(hit.highlights.phrase, (0..7).chain(8..19).collect::<Vec<u32>>());
}

#[test]
fn negation_excludes_entries() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("52 !cloudflare"));
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|h| catalogue.entries()[h.entry].source != "Cloudflare"));
}

#[test]
fn negated_words_alone_list_everything_else() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("!cloudflare"));
    assert!(results.hits.len() > catalogue.len() / 2);
    assert!(results.hits.iter().all(|h| catalogue.entries()[h.entry].source != "Cloudflare"));
}

#[test]
fn the_reason_names_the_words_found_not_the_typo_typed() {
    let (_, mut searcher) = setup();
    let results = searcher.search(&Query::text("servce unavailabel"));
    let reasons: Vec<&Reason> = results.hits.iter().filter_map(|h| h.reason.as_ref()).collect();
    assert!(!reasons.is_empty());
    for reason in reasons {
        if let Reason::Text(words) = reason {
            // The catalogue words within an edit or two of what was typed.
            assert!(words.iter().all(|w| ["serve", "service", "unavailable"].contains(&w.as_str())), "{words:?}");
        }
    }
}

#[test]
fn exact_and_prefix_syntax_narrow_the_match() {
    let (catalogue, mut searcher) = setup();
    let exact = searcher.search(&Query::text("^gateway"));
    let first = &catalogue.entries()[exact.hits[0].entry];
    assert!(first.phrase.starts_with("Gateway"), "{}", first.title());
    let quoted = searcher.search(&Query::text("'gatway"));
    assert!(quoted.hits.is_empty(), "a quoted typo must not match fuzzily");
}

#[test]
fn highlights_are_character_positions_in_the_shown_fields() {
    let (catalogue, mut searcher) = setup();
    let results = searcher.search(&Query::text("not found"));
    let hit = &results.hits[0];
    assert_eq!(catalogue.entries()[hit.entry].phrase, "Not Found");
    assert_eq!(hit.highlights.phrase, [0, 1, 2, 4, 5, 6, 7, 8]);
    let results = searcher.search(&Query::text("52"));
    assert_eq!(results.hits[0].highlights.code, [0, 1]);
    let results = searcher.search(&Query::text("payload"));
    let hit = &results.hits[0];
    let (alias, indices) = hit.highlights.alias.clone().expect("matched through an alias");
    assert_eq!(catalogue.entries()[hit.entry].aliases[alias], "Payload Too Large");
    assert_eq!(indices, [0, 1, 2, 3, 4, 5, 6]);
}

#[test]
fn tabs_and_facets_narrow_the_same_results_with_counts_from_one_pass() {
    let (catalogue, mut searcher) = setup();
    let mut query = Query::text("timeout");
    let all = searcher.search(&query);
    let per_class: usize = all.tab_counts.iter().skip(1).map(|(_, n)| n).sum();
    assert_eq!(all.tab_count(None), all.hits.len());
    assert_eq!(per_class, all.hits.len());

    query.class = Some(Class::ServerError);
    let server = searcher.search(&query);
    assert_eq!(server.hits.len(), all.tab_count(Some(Class::ServerError)));
    assert!(server.hits.iter().all(|h| catalogue.entries()[h.entry].class == Class::ServerError));

    // Within a facet values combine with OR, across facets with AND.
    query.filters.insert(FacetValue::Source("Cloudflare".into()));
    let cloudflare = searcher.search(&query).hits.len();
    query.filters.insert(FacetValue::Source("RFC 9110".into()));
    let either = searcher.search(&query);
    assert!(either.hits.len() > cloudflare);
    let count_of = |results: &Results, value: &FacetValue| {
        results.facet_counts.iter().find(|(v, _)| v == value).map(|(_, n)| *n).unwrap()
    };
    // A facet's counts ignore its own selection: the count says what toggling would add.
    assert_eq!(count_of(&either, &FacetValue::Source("Cloudflare".into())), cloudflare);
    query.filters.insert(FacetValue::Lifecycle(Lifecycle::Standard));
    let both = searcher.search(&query);
    assert!(both.hits.iter().all(|h| {
        let e = &catalogue.entries()[h.entry];
        e.lifecycle == Lifecycle::Standard && (e.source == "Cloudflare" || e.source == "RFC 9110")
    }));
    assert!(!both.hits.is_empty());
    assert_eq!(count_of(&both, &FacetValue::Lifecycle(Lifecycle::Standard)), both.hits.len());
}

#[test]
fn ties_break_by_code_then_source_so_results_never_jitter() {
    let (catalogue, mut searcher) = setup();
    let first = searcher.search(&Query::text("proxy"));
    let again = searcher.search(&Query::text("proxy"));
    assert_eq!(first, again);
    for pair in first.hits.windows(2) {
        if pair[0].score == pair[1].score {
            let (a, b) = (&catalogue.entries()[pair[0].entry], &catalogue.entries()[pair[1].entry]);
            assert!((a.code, &a.source) < (b.code, &b.source), "{} before {}", a.title(), b.title());
        }
    }
}

#[test]
fn odd_input_is_never_an_error() {
    let (_, mut searcher) = setup();
    let paste = "upstream timed out while reading response header from upstream, client: 10.0.0.1 ".repeat(120);
    for text in [
        "",
        " ",
        "\u{0}\u{7}\n\t",
        "状态码",
        "🫖",
        "!",
        "'",
        "^",
        "$",
        "^$",
        "!^$",
        "a\u{301}",
        &"x".repeat(10_000),
        &paste,
    ] {
        let results = searcher.search(&Query::text(text));
        assert!(results.hits.len() <= 200);
    }
}

/// What every search promises whatever the text: hits best first, each a real
/// entry, phrase highlights sorted and inside the phrase.
fn check_valid_hits(catalogue: &Catalogue, results: &Results) -> Result<(), TestCaseError> {
    prop_assert!(results.hits.len() <= catalogue.len());
    for pair in results.hits.windows(2) {
        prop_assert!(pair[0].score >= pair[1].score);
    }
    for hit in &results.hits {
        prop_assert!(hit.entry < catalogue.len());
        let phrase_len = catalogue.entries()[hit.entry].phrase.chars().count() as u32;
        prop_assert!(hit.highlights.phrase.iter().all(|&i| i < phrase_len));
        prop_assert!(hit.highlights.phrase.windows(2).all(|w| w[0] < w[1]));
    }
    Ok(())
}

#[test]
fn any_text_returns_sorted_valid_hits() {
    let (catalogue, searcher) = setup();
    let searcher = std::cell::RefCell::new(searcher);
    proptest!(ProptestConfig::with_cases(128), |(text in "\\PC{0,40}")| {
        check_valid_hits(&catalogue, &searcher.borrow_mut().search(&Query::text(text)))?;
    });
}

/// One word of a query as fzf users and pastes write it: fzf's operators
/// around a word (`'exact ^prefix suffix$ !not`, `|` between alternatives),
/// pasted log text, or any characters at all, control and combining ones included.
fn query_token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[!]?[\\^']?[a-zA-Z0-9_]{1,10}[$]?",
        1 => prop::sample::select(vec!["|", "!", "'", "^", "$", "^$", "!^", "!'", "\\", "\\ ", "''", "$$"])
            .prop_map(String::from),
        2 => "[a-zA-Z0-9 _.:()/\\-\"\\[\\]#*,=<>]{1,20}",
        2 => "\\PC{1,12}",
        1 => any::<char>().prop_map(String::from),
    ]
}

#[test]
fn fzf_syntax_and_any_text_up_to_10000_characters_return_valid_hits() {
    let (catalogue, searcher) = setup();
    let searcher = std::cell::RefCell::new(searcher);
    // Up to three words take the fzf-pattern path too; longer ones are pastes.
    let words =
        prop_oneof![prop::collection::vec(query_token(), 0..=3), prop::collection::vec(query_token(), 0..2_000)];
    let text = words.prop_map(|tokens| tokens.join(" ").chars().take(10_000).collect::<String>());
    proptest!(ProptestConfig::with_cases(64), |(text in text)| {
        check_valid_hits(&catalogue, &searcher.borrow_mut().search(&Query::text(text)))?;
    });
}

#[test]
fn pasting_a_signal_of_a_proxy_or_cdn_finds_its_entry_first() {
    let (catalogue, mut searcher) = setup();
    let mut failures = Vec::new();
    let mut pasted = 0;
    for (position, entry) in catalogue.entries().iter().enumerate() {
        for signal in entry.signals.iter().filter(|s| ["nginx", "Envoy", "Cloudflare"].contains(&s.emitter.as_str())) {
            pasted += 1;
            let results = searcher.search(&Query::text(&signal.text));
            let first = results.hits.first().map(|h| h.entry);
            // The same string may belong to several meanings: any of them may lead.
            let owners: Vec<usize> = catalogue
                .entries()
                .iter()
                .enumerate()
                .filter(|(_, e)| e.signals.iter().any(|s| s.text == signal.text))
                .map(|(i, _)| i)
                .collect();
            let leader_score = results.hits.first().map(|h| h.score);
            let tied_owner =
                results.hits.iter().take_while(|h| Some(h.score) == leader_score).any(|h| owners.contains(&h.entry));
            if first.is_none_or(|f| !owners.contains(&f)) && !tied_owner {
                let got = first.map(|f| catalogue.entries()[f].title()).unwrap_or_default();
                failures.push(format!("{:?} ({}): first is {got}", signal.text, catalogue.entries()[position].title()));
            }
        }
    }
    assert!(pasted > 100, "only {pasted} signals checked");
    assert!(failures.is_empty(), "{} of {pasted}:\n{}", failures.len(), failures.join("\n"));
}

/// Signals are matched as runs of words anywhere in the query, so a signal that
/// is the end of a log line (ssllabs-scan's notice) counts like one that starts it.
#[test]
fn a_signal_that_ends_a_pasted_line_counts_like_one_that_starts_it() {
    let (catalogue, mut searcher) = setup();
    let mut score_of_529 = |query: &str| {
        let results = searcher.search(&Query::text(query));
        let first = results.hits.first().expect("a hit");
        let entry = &catalogue.entries()[first.entry];
        assert_eq!((entry.code, entry.source.as_str()), (529, "Qualys SSL Labs"), "{query:?}");
        first.score
    };
    let logged = score_of_529("2026/12/02 18:00:00 [NOTICE] Sleeping for 17 minutes after a 529 response");
    // The same words out of order: only the signal run is lost.
    let shuffled = score_of_529("response 529 a after minutes 17 for Sleeping [NOTICE] 18:00:00 2026/12/02");
    assert!(logged > shuffled, "the run at the end of the line added nothing: {logged} vs {shuffled}");
}

/// A catalogue of `count` copies of the embedded 504, one per code from 100 up.
fn copies_of_504(count: usize) -> Catalogue {
    let real = Catalogue::embedded().unwrap();
    let template = real.entries().iter().find(|e| e.code == 504).unwrap();
    let entries = (0..count as u16)
        .map(|i| {
            let mut entry = template.clone();
            entry.code = 100 + i;
            entry.class = Class::of_code(entry.code);
            entry.related.clear();
            entry
        })
        .collect();
    Catalogue::from_entries(entries).unwrap()
}

#[test]
fn highlights_and_reasons_are_worked_out_for_the_leading_hits_only() {
    let catalogue = copies_of_504(EXPLAINED_HITS + 50);
    let mut searcher = Searcher::new(&catalogue);
    let by_name = searcher.search(&Query::text("gateway"));
    assert_eq!(by_name.hits.len(), EXPLAINED_HITS + 50);
    let highlighted = by_name.hits.iter().take_while(|h| !h.highlights.phrase.is_empty()).count();
    assert_eq!(highlighted, EXPLAINED_HITS, "every leading hit is highlighted, no later one");

    let by_text = searcher.search(&Query::text("idle"));
    assert_eq!(by_text.hits.len(), EXPLAINED_HITS + 50, "504's text mentions idle connections");
    let explained = by_text.hits.iter().take_while(|h| h.reason.is_some()).count();
    assert_eq!(explained, EXPLAINED_HITS);
    // The cut changes what is shown, not the ranking: identical entries score
    // alike and stay in code order across it.
    assert!(by_text.hits.windows(2).all(|w| w[0].score == w[1].score && w[0].entry < w[1].entry));
}

/// The browser prepares the index after its first frame: an empty query does
/// not read it, `prepare` does, and what a query finds is the same either way.
#[test]
fn prepare_reads_the_index_an_empty_query_skips() {
    let (catalogue, mut searcher) = setup();
    searcher.search(&Query::default());
    assert!(!searcher.is_prepared(), "an empty query needs no word index");
    searcher.prepare();
    assert!(searcher.is_prepared());
    let prepared = searcher.search(&Query::text("gateway timeout"));
    let (_, mut fresh) = setup();
    let unprepared = fresh.search(&Query::text("gateway timeout"));
    assert!(fresh.is_prepared(), "a query with words prepares the searcher itself");
    assert_eq!(codes(&catalogue, &prepared), codes(&catalogue, &unprepared));
}
