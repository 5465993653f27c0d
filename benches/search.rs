//! Search cost per keystroke: one `Searcher::search` call returns the ranked hits,
//! the tab counts and the facet counts, which is what the browser runs on every
//! key press.
//!
//! Two catalogues:
//! - `real`: the embedded catalogue (`Catalogue::embedded()`);
//! - `10k`: 10,000 synthetic entries generated here, deterministically (an LCG, no
//!   `rand`), from the real entries: each synthetic entry clones a real one, draws
//!   a new code (0..=999) and one of ~200 sources, and rebuilds its phrase, aliases
//!   and prose from words drawn across the whole real catalogue, keeping each
//!   field's word count, so field lengths follow the real catalogue but texts differ.
//!
//! Each typed query is a benchmark group, `keystroke/<catalogue>/<query>`, with:
//! - `typed`: the whole sequence of prefixes ("c", "cl", ..., "cloudflare"), one
//!   search each, as one iteration. The group's throughput is the number of
//!   keystrokes, so criterion's `thrpt` is keystrokes per second and the mean
//!   time per keystroke is `typed` divided by the keystroke count.
//! - `prefix/NN_text`: one search for a single prefix (`NN` = its length, spaces
//!   shown as `_`), so the slowest keystroke is visible, not only the average.
//!
//! Run with `cargo bench --bench search`. The figures are wall time; with
//! `SEARCH_BENCH_CLOCK=cpu` they are the thread's CPU time instead, which a
//! machine shared with other work disturbs much less: a search is synchronous
//! and single-threaded, so on an idle core the two agree.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use statusbrowse::app::App;
use statusbrowse::catalogue::{Catalogue, Class, Entry, List, Recommendation, Related, Text};
use statusbrowse::search::{FacetValue, Filters, Query, Searcher};
use statusbrowse::ui;
use statusbrowse::view::theme::Theme;

/// Synthetic catalogue size.
const SYNTHETIC_ENTRIES: usize = 10_000;
/// Distinct sources in the synthetic catalogue (the real ones plus invented vendors).
const SYNTHETIC_SOURCES: usize = 200;

/// A query as the user types it, with the tab and filters that stay set meanwhile.
struct Typed {
    name: &'static str,
    text: &'static str,
    class: Option<Class>,
    filters: fn() -> Filters,
}

fn no_filters() -> Filters {
    Filters::default()
}

fn cloudflare_not_recommended() -> Filters {
    let mut filters = Filters::default();
    filters.insert(FacetValue::Source("Cloudflare".to_string()));
    filters.insert(FacetValue::Recommendation(Recommendation::NotRecommended));
    filters
}

const TYPED: &[Typed] = &[
    Typed { name: "cloudflare", text: "cloudflare", class: None, filters: no_filters },
    Typed { name: "524", text: "524", class: None, filters: no_filters },
    Typed { name: "gateway-timeout", text: "gateway timeout", class: None, filters: no_filters },
    Typed { name: "not-found", text: "not found", class: None, filters: no_filters },
    // Abbreviations as fzf users type them: each word abbreviated, and one
    // squeezed word, which only the fzf pattern over the name lines finds.
    Typed { name: "gtwy-tmout", text: "gtwy tmout", class: None, filters: no_filters },
    Typed { name: "svcunav", text: "svcunav", class: None, filters: no_filters },
    // The 5xx tab with the Cloudflare source and "Not recommended" selected.
    Typed {
        name: "timeout-5xx-filtered",
        text: "timeout",
        class: Some(Class::ServerError),
        filters: cloudflare_not_recommended,
    },
];

impl Typed {
    /// One query per keystroke: every prefix of the text, ending on a char boundary.
    fn keystrokes(&self) -> Vec<(String, Query)> {
        self.text
            .char_indices()
            .map(|(i, c)| {
                let prefix = &self.text[..i + c.len_utf8()];
                let label = format!("{:02}_{}", prefix.chars().count(), prefix.replace(' ', "_"));
                let query = Query { text: prefix.to_string(), class: self.class, filters: (self.filters)() };
                (label, query)
            })
            .collect()
    }
}

/// A whole nginx error-log line as a person pastes it: 150 characters, one search.
const PASTED: &str = "2026/11/23 10:41:07 [error] 3121#3121: *88 upstream timed out (110: Connection timed out) \
    while reading response header from upstream, client: 10.2.0.7";

fn bench_catalogue<M: Measurement>(c: &mut Criterion<M>, label: &str, catalogue: &Catalogue, tuning: &Tuning) {
    let mut searcher = Searcher::new(catalogue);
    let mut group = c.benchmark_group(format!("paste/{label}"));
    group.sample_size(tuning.sample_size).warm_up_time(tuning.warm_up).measurement_time(tuning.measurement);
    let pasted = Query::text(PASTED);
    eprintln!("paste/{label}: {} characters, {} hits", PASTED.len(), searcher.search(&pasted).hits.len());
    group.bench_function("nginx-line", |b| b.iter(|| searcher.search(black_box(&pasted))));
    group.finish();

    for typed in TYPED {
        let name = format!("keystroke/{label}/{}", typed.name);
        let keystrokes = typed.keystrokes();
        // How many hits each keystroke has, to read the figures by.
        let hits: Vec<String> = keystrokes.iter().map(|(_, q)| searcher.search(q).hits.len().to_string()).collect();
        eprintln!("{name}: hits per keystroke {}", hits.join(" "));

        let mut group = c.benchmark_group(&name);
        group
            .sample_size(tuning.sample_size)
            .warm_up_time(tuning.warm_up)
            .measurement_time(tuning.measurement)
            .sampling_mode(tuning.mode);

        group.throughput(Throughput::Elements(keystrokes.len() as u64));
        group.bench_function("typed", |b| {
            b.iter(|| {
                for (_, query) in &keystrokes {
                    black_box(searcher.search(black_box(query)));
                }
            })
        });

        group.throughput(Throughput::Elements(1));
        for (prefix, query) in &keystrokes {
            group.bench_with_input(BenchmarkId::new("prefix", prefix), query, |b, query| {
                b.iter(|| searcher.search(black_box(query)))
            });
        }
        group.finish();
    }
}

/// Criterion settings per catalogue, chosen so the whole run (136 keystroke benchmarks) takes
/// a little over a minute on two cores.
struct Tuning {
    sample_size: usize,
    warm_up: Duration,
    measurement: Duration,
    mode: SamplingMode,
}

/// Start-up: the searcher itself, then the word index that the first query with
/// words reads back (`statusbrowse search gateway` pays both once), and what
/// building that index from the entries would cost instead: the same entries
/// in a catalogue that is not the embedded one, whose index `build.rs` made.
fn index<M: Measurement>(c: &mut Criterion<M>) {
    let catalogue = Catalogue::embedded().expect("the embedded catalogue is valid");
    let same_entries = Catalogue::from_entries(catalogue.entries().to_vec()).expect("the same entries are valid");
    let mut group = c.benchmark_group("startup/real");
    group.sample_size(20).warm_up_time(Duration::from_millis(200)).measurement_time(Duration::from_secs(1));
    group.bench_function("searcher", |b| b.iter(|| Searcher::new(black_box(&catalogue))));
    group.bench_function("searcher+index+first-query", |b| {
        b.iter(|| Searcher::new(black_box(&catalogue)).search(&Query::text("gateway")))
    });
    group.bench_function("searcher+index-built-from-entries+first-query", |b| {
        b.iter(|| Searcher::new(black_box(&same_entries)).search(&Query::text("gateway")))
    });
    // What the binary does (the entries build.rs stored), against parsing and validating the JSON.
    group.bench_function("catalogue", |b| b.iter(Catalogue::embedded));
    group.bench_function("catalogue-from-json", |b| b.iter(Catalogue::from_assets));
    // Everything the browser computes before its first frame: the catalogue, the
    // app with its empty-query results, and the frame drawn at 120x36.
    group.bench_function("first-frame", |b| {
        b.iter(|| {
            let catalogue = Catalogue::embedded().expect("the embedded catalogue is valid");
            let app = App::new(catalogue, Rect::new(0, 0, 120, 36), Theme::COLOR);
            let mut terminal = Terminal::new(TestBackend::new(120, 36)).expect("a test terminal");
            terminal.draw(|frame| ui::render(&app, frame)).expect("a test draw");
            terminal
        })
    });
    group.finish();
}

fn real<M: Measurement>(c: &mut Criterion<M>) {
    let catalogue = Catalogue::embedded().expect("the embedded catalogue is valid");
    let tuning = Tuning {
        sample_size: 20,
        warm_up: Duration::from_millis(100),
        measurement: Duration::from_millis(250),
        mode: SamplingMode::Auto,
    };
    bench_catalogue(c, "real", &catalogue, &tuning);
}

fn synthetic_10k<M: Measurement>(c: &mut Criterion<M>) {
    let real = Catalogue::embedded().expect("the embedded catalogue is valid");
    let catalogue = synthetic(&real, SYNTHETIC_ENTRIES, SYNTHETIC_SOURCES);
    describe(&real, &catalogue);
    // A search takes milliseconds here: flat sampling with the minimum of
    // 10 samples runs a slow benchmark 10 times and no more. Criterion then warns
    // "Unable to complete 10 samples"; that is expected, not a problem.
    let tuning = Tuning {
        sample_size: 10,
        warm_up: Duration::from_millis(100),
        measurement: Duration::from_millis(300),
        mode: SamplingMode::Flat,
    };
    bench_catalogue(c, "10k", &catalogue, &tuning);
}

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// Uniform enough in `0..n` for `n` far below 2^31.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `count` entries modelled on the real catalogue, valid by `Catalogue::from_entries`.
fn synthetic(real: &Catalogue, count: usize, source_count: usize) -> Catalogue {
    let mut rng = Lcg(0x5eed_0f57_4705);
    let templates = real.entries();
    let name_words = tokens(templates.iter().flat_map(|e| std::iter::once(&e.phrase).chain(e.aliases.iter())));
    let prose_words = tokens(templates.iter().flat_map(prose));
    let sources = sources(real, source_count, &mut rng);

    let mut taken: HashSet<(u16, usize)> = HashSet::with_capacity(count);
    let mut entries: Vec<Entry> = Vec::with_capacity(count);
    for _ in 0..count {
        let template = rng.pick(templates);
        let (code, source) = loop {
            // Mostly 100–599, as in the real catalogue, some anywhere in 000–999.
            let code = if rng.below(5) < 4 { 100 + rng.below(500) } else { rng.below(1000) } as u16;
            // Skewed towards the front of the list, where the real sources are:
            // a few big sources and a long tail, as in the real catalogue.
            let source = rng.below(sources.len()).min(rng.below(sources.len()));
            if taken.insert((code, source)) {
                break (code, source);
            }
        };
        let mut entry = template.clone();
        entry.code = code;
        entry.class = Class::of_code(code);
        entry.source = sources[source].clone().into();
        entry.phrase = remix(&template.phrase, &name_words, &mut rng);
        entry.aliases = template.aliases.iter().map(|a| remix(a, &name_words, &mut rng)).collect::<Vec<_>>().into();
        entry.summary = remix(&template.summary, &prose_words, &mut rng);
        entry.explanation = remix(&template.explanation, &prose_words, &mut rng);
        entry.generator_note = remix(&template.generator_note, &prose_words, &mut rng);
        entry.retry_note = remix(&template.retry_note, &prose_words, &mut rng);
        entry.cacheable_basis = template.cacheable_basis.as_ref().map(|t| remix(t, &prose_words, &mut rng));
        entry.disputed = template.disputed.as_ref().map(|t| remix(t, &prose_words, &mut rng));
        for list in [&mut entry.situations, &mut entry.checks, &mut entry.avoid_when] {
            for item in list.to_mut().iter_mut() {
                *item = remix(item, &prose_words, &mut rng);
            }
        }
        entries.push(entry);
    }

    // Related links must name other entries that exist, once each.
    let names: Vec<Related> = entries.iter().map(|e| Related { code: e.code, source: e.source.clone() }).collect();
    for entry in &mut entries {
        let wanted = entry.related.len().min(names.len() - 1);
        entry.related = List::default();
        while entry.related.len() < wanted {
            let link = rng.pick(&names).clone();
            let own = link.code == entry.code && link.source == entry.source;
            if !own && !entry.related.contains(&link) {
                entry.related.to_mut().push(link);
            }
        }
    }

    Catalogue::from_entries(entries).expect("the synthetic catalogue passes validation")
}

/// Every free-text field matched as prose.
fn prose(entry: &Entry) -> impl Iterator<Item = &Text> {
    [&entry.summary, &entry.explanation, &entry.generator_note, &entry.retry_note]
        .into_iter()
        .chain(&entry.cacheable_basis)
        .chain(&entry.disputed)
        .chain(entry.situations.iter())
        .chain(entry.checks.iter())
        .chain(entry.avoid_when.iter())
}

/// Whitespace-separated tokens, punctuation kept, repeats kept (so frequent words
/// stay frequent).
fn tokens<'a>(texts: impl Iterator<Item = &'a Text>) -> Vec<&'a str> {
    texts.flat_map(|t| t.split_whitespace()).collect()
}

/// As many tokens as `template` has, drawn from `pool`.
fn remix(template: &str, pool: &[&str], rng: &mut Lcg) -> Text {
    let words: Vec<&str> = template.split_whitespace().map(|_| *rng.pick(pool)).collect();
    words.join(" ").into()
}

/// The real sources (biggest first), then invented vendor names up to `count`.
fn sources(real: &Catalogue, count: usize, rng: &mut Lcg) -> Vec<String> {
    let mut names: Vec<(String, usize)> = Vec::new();
    for entry in real.entries() {
        match names.iter_mut().find(|(s, _)| *s == entry.source) {
            Some((_, n)) => *n += 1,
            None => names.push((entry.source.to_string(), 1)),
        }
    }
    names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut names: Vec<String> = names.into_iter().map(|(s, _)| s).collect();

    const SYLLABLES: &[&str] = &[
        "ka", "zu", "ver", "lo", "nex", "tra", "mi", "qua", "dor", "fen", "sil", "ro", "bex", "tan", "gal", "pri",
        "vo", "lum", "cor", "ix",
    ];
    const SUFFIXES: &[&str] =
        &["", "", "", " CDN", " Edge", " Gateway", " API", " Cloud", " LB", " Proxy", " Platform"];
    while names.len() < count {
        let syllables = 2 + rng.below(2);
        let mut name: String = (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect();
        name[..1].make_ascii_uppercase();
        let suffix = *rng.pick(SUFFIXES);
        name.push_str(suffix);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A length in bytes of some field of an entry.
type FieldLength = fn(&Entry) -> usize;

/// One line on stderr comparing the synthetic catalogue's shape with the real one.
fn describe(real: &Catalogue, synthetic: &Catalogue) {
    let mean = |c: &Catalogue, field: FieldLength| c.entries().iter().map(field).sum::<usize>() as f64 / c.len() as f64;
    let fields: [(&str, FieldLength); 5] = [
        ("phrase", |e| e.phrase.len()),
        ("source", |e| e.source.len()),
        ("summary", |e| e.summary.len()),
        ("explanation", |e| e.explanation.len()),
        ("prose", |e| prose(e).map(|text| text.len()).sum()),
    ];
    let sources: HashSet<&str> = synthetic.entries().iter().map(|e| &*e.source).collect();
    let codes: HashSet<u16> = synthetic.entries().iter().map(|e| e.code).collect();
    let lengths: Vec<String> =
        fields.iter().map(|(name, f)| format!("{name} {:.0}/{:.0}", mean(real, *f), mean(synthetic, *f))).collect();
    eprintln!(
        "synthetic catalogue: {} entries, {} sources, {} codes; mean bytes real/synthetic: {}",
        synthetic.len(),
        sources.len(),
        codes.len(),
        lengths.join(", ")
    );
}

/// The CPU time of the calling thread, criterion's clock under `SEARCH_BENCH_CLOCK=cpu`.
struct ThreadCpuTime {
    /// Prints durations as wall time does.
    wall: WallTime,
}

impl ThreadCpuTime {
    fn now() -> Duration {
        let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `time` is a valid, writable timespec; this clock exists on
        // every Linux and macOS the project builds on.
        let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
        assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
    }
}

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        Self::now()
    }
    fn end(&self, start: Duration) -> Duration {
        Self::now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

fn run<M: Measurement>(criterion: Criterion<M>) {
    // Fewer bootstrap resamples and no plots: the analysis, not the searches,
    // would otherwise take most of the run.
    let mut criterion = criterion.nresamples(10_000).without_plots().configure_from_args();
    index(&mut criterion);
    real(&mut criterion);
    synthetic_10k(&mut criterion);
    criterion.final_summary();
}

fn main() {
    match std::env::var("SEARCH_BENCH_CLOCK").as_deref() {
        Ok("cpu") => run(Criterion::default().with_measurement(ThreadCpuTime { wall: WallTime })),
        Ok("wall") | Err(_) => run(Criterion::default()),
        Ok(other) => panic!("SEARCH_BENCH_CLOCK is cpu or wall, not {other:?}"),
    }
}
