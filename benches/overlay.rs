//! What overlays add before the first frame: finding, reading, parsing, checking
//! and merging 50 files holding 2,000 notes (each with a runbook and a signal),
//! against the embedded catalogue; then the first frame drawn with them, beside
//! the same frame without them; and the first search keystroke, which builds the
//! index at run time because the stored one describes the catalogue alone.
//! The browser loads overlays on a thread after its first frame (which is then
//! `first_frame/embedded`): `loader_thread` is that thread's whole work (load,
//! then index), `swap_in` what the browser's thread does when it arrives, and
//! `first_keystroke/after_swap_in` the first search after that.
//!
//! Run with `cargo bench --bench overlay`.

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use statusbrowse::app::{App, Searchable};
use statusbrowse::catalogue::Catalogue;
use statusbrowse::overlay::{self, Place, PlaceKind};
use statusbrowse::search::{Query, Searcher};
use statusbrowse::ui;
use statusbrowse::view::theme::Theme;

const FILES: usize = 50;
const NOTES: usize = 2_000;

/// Writes the overlay files: notes spread over every catalogue meaning in turn.
fn write_overlays(dir: &Path, catalogue: &Catalogue) {
    let entries = catalogue.entries();
    for file in 0..FILES {
        let mut text = format!("label = \"team {file}\"\n");
        for n in (file..NOTES).step_by(FILES) {
            let entry = &entries[n % entries.len()];
            let _ = write!(
                text,
                "\n[[note]]\ncode = {}\nsource = {:?}\ntext = \"Note {n}: check the service dashboard, then the upstream's status page.\"\n\
                 owner = \"#team-{file}\"\nrunbooks = [{{ title = \"Runbook {n}\", url = \"https://runbooks.example.com/{n}\" }}]\n\
                 signals = [{{ text = \"TEAM_{file}_ERROR_{n}\", emitter = \"service-{file}\" }}]\ntags = [\"team-{file}\"]\n",
                entry.code, entry.source
            );
        }
        std::fs::write(dir.join(format!("team-{file:02}.toml")), text).unwrap();
    }
}

fn first_frame(catalogue: &Catalogue) {
    let app = App::new(catalogue.clone(), Rect::new(0, 0, 120, 36), Theme::COLOR);
    let mut terminal = Terminal::new(TestBackend::new(120, 36)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    black_box(terminal);
}

fn bench(c: &mut Criterion) {
    let base = Catalogue::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_overlays(dir.path(), &base);
    let places = [Place { kind: PlaceKind::Flag, path: dir.path().to_path_buf() }];
    let (merged, report) = overlay::load(&base, &places);
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    assert_eq!(report.loaded.iter().map(|l| l.notes).sum::<usize>(), NOTES);

    let mut group = c.benchmark_group("overlay");
    group.bench_function("load_50_files_2000_notes", |b| b.iter(|| black_box(overlay::load(&base, &places))));
    group.bench_function("first_frame/embedded", |b| b.iter(|| first_frame(&base)));
    group.bench_function("first_frame/with_overlays", |b| b.iter(|| first_frame(&overlay::load(&base, &places).0)));
    for (name, catalogue) in [("embedded", &base), ("with_overlays", &merged)] {
        group.bench_function(format!("first_keystroke/{name}"), |b| {
            b.iter(|| black_box(Searcher::new(catalogue).search(&Query::text("p"))))
        });
    }
    group.bench_function("loader_thread", |b| b.iter(|| Searchable::new(overlay::load(&base, &places).0)));
    let viewport = Rect::new(0, 0, 120, 36);
    group.bench_function("swap_in", |b| {
        b.iter_batched(
            || (App::new(base.clone(), viewport, Theme::COLOR), Searchable::new(merged.clone())),
            |(mut app, ready)| {
                app.add_overlays(ready, Vec::new());
                app
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("first_keystroke/after_swap_in", |b| {
        b.iter_batched(
            || {
                let mut app = App::new(base.clone(), viewport, Theme::COLOR);
                app.add_overlays(Searchable::new(merged.clone()), Vec::new());
                app
            },
            |mut app| {
                app.update(statusbrowse::action::Action::InsertChar('p'));
                app.update(statusbrowse::action::Action::Settle);
                app
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
