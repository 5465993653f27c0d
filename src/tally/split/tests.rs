//! A file read in two parts at once gives the report reading it in one go
//! gives, on logs made to catch the places where the two could differ.

use std::io::{Seek, Write};

use super::*;
use crate::tally::formats::FormatName;
use crate::tally::output::{json::to_json, write_text};
use crate::tally::reader::Input;
use crate::tally::{Report, read_input_split_from};

/// Lines of other formats, from the format tests (src/tally/formats).
const OTHERS: [&str; 4] = [
    r#"{"EdgeStartTimestamp":1700000000,"EdgeResponseStatus":530,"OriginResponseStatus":0}"#,
    "haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] in b/s 10/0/30/69/109 503 2750 - - sH-- 1/1/1/1/0 0/0",
    r#"[2016-04-15T20:17:00.310Z] "POST /api HTTP/2" 503 UF,URX 154 0 226 100 "10.0.35.28" "x" "id" "h" "u""#,
    "http 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 - -1 -1 -1 502 - 34 366 \"GET / HTTP/1.1\"",
];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A small deterministic generator (xorshift), so each seed is one log.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// An nginx line at Unix second `time`, from client 203.0.113.`client`.
fn nginx(time: i64, client: i64, status: &str, common: bool) -> String {
    let (year, month, day, hour, minute) = crate::tally::formats::time::civil_from_unix(time);
    let second = time % 60;
    let stamp = format!("{day:02}/{}/{year}:{hour:02}:{minute:02}:{second:02} +0000", MONTHS[month as usize - 1]);
    let tail = if common { "" } else { " \"-\" \"curl/8.5.0\"" };
    format!("203.0.113.{} - - [{stamp}] \"GET /a.gif HTTP/1.0\" {status} 2326{tail}", client)
}

/// A log of about `lines` lines: mostly nginx, with a span in its second half
/// far wider than in its first (the time grids differ until merged), and every
/// kind of line a reader treats apart.
fn log(seed: u64, lines: usize, end: &str) -> Vec<u8> {
    let mut random = Random(seed | 1);
    let mut out = Vec::new();
    for n in 0..lines {
        let wide = n > lines / 2;
        let late = n > lines * 3 / 4;
        let time = 1_600_000_000 + random.below(if wide { 90 * 86_400 } else { 3_600 }) as i64;
        let line = match random.below(40) {
            // Too long; too long up to a copytruncate hole with a line after
            // it; and with a hole in its first buffer only (skipped whole).
            _ if n == 10 && seed % 2 == 1 => "x".repeat(BUFFER + random.below(3000) as usize),
            _ if n == 20 && seed % 2 == 1 => {
                out.extend(std::iter::repeat_n(b'y', BUFFER + random.below(3000) as usize));
                out.extend(std::iter::repeat_n(0u8, 20));
                nginx(time, time % 200, "200", false)
            }
            _ if n == 30 && seed % 2 == 1 => {
                out.extend(std::iter::repeat_n(b'z', BUFFER / 2));
                out.extend(std::iter::repeat_n(0u8, 20));
                "z".repeat(BUFFER)
            }
            0 => String::new(),
            1 => "   \t".to_string(),
            2 => "not a log line at all".to_string(),
            // Lines without a status only in the last quarter: their group's
            // first example is in the second part.
            3 if late => nginx(time, time % 200, "-", false),
            4 if late => nginx(time, time % 200, "777", false),
            5 => OTHERS[random.below(4) as usize].to_string(),
            6 => format!("{}\u{1}{}", nginx(time, time % 200, "404", false), nginx(time, time % 200, "500", false)),
            7 => {
                out.extend(std::iter::repeat_n(0u8, random.below(3000) as usize));
                nginx(time, time % 200, "503", false)
            }
            _ => nginx(time, time % 200, ["200", "301", "404", "499", "502"][random.below(5) as usize], false),
        };
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(end.as_bytes());
    }
    out
}

/// Everything a reader reports of one file, as text and JSON, and the offset
/// following it would start from.
fn report(path: &std::path::Path, options: &Options, split_from: u64, top: usize) -> (String, String, Option<u64>) {
    let catalogue = Catalogue::embedded().unwrap();
    let mut report = Report::default();
    report.tally.detail = options.detail;
    let (file, resume) =
        read_input_split_from(&Input::File(path.to_path_buf()), options, &catalogue, &mut report.tally, split_from);
    report.files.push(file);
    let mut text = Vec::new();
    write_text(&mut text, &report, &catalogue, top).unwrap();
    let json = serde_json::to_string_pretty(&to_json(&report, &catalogue, top)).unwrap();
    let mut grids = format!("{:?} {:?}", report.tally.timeline.grid(), report.tally.minutes.0.grid());
    for (row, _) in report.tally.rows() {
        grids += &format!("\n{:?}", report.tally.timeline.series(row));
    }
    let offset = resume.map(|mut r| r.file.stream_position().unwrap());
    let text = String::from_utf8(text).unwrap();
    (format!("{text}\n{grids}\n{:?}", report.files), json, offset)
}

/// Both ways give the same report, the top `top` values per field included.
fn assert_same(data: &[u8], options: &Options, top: usize) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(data).unwrap();
    let path = file.path();
    let whole = report(path, options, u64::MAX, top);
    let splits_before = READ_IN_TWO_PARTS.with(|count| count.get());
    let parts = report(path, options, 0, top);
    assert_eq!(READ_IN_TWO_PARTS.with(|count| count.get()), splits_before + 1, "the file was not split");
    assert_eq!(whole.0, parts.0);
    assert_eq!(whole.1, parts.1);
    assert_eq!(whole.2, parts.2);
    assert_eq!(whole.2, Some(data.len() as u64));
}

#[test]
fn two_parts_report_what_one_reading_does() {
    for (seed, end) in [(1, "\n"), (2, "\r\n"), (3, "\n"), (4, "\r"), (5, "\n")] {
        let data = log(seed, 60_000 + seed as usize * 777, end);
        assert_same(&data, &Options::default(), 3);
        // With the drill-down, the 200 clients are more than a summary holds:
        // their top values may differ (within `Top::merge`'s bound), not the rest.
        assert_same(&data, &Options { detail: true, ..Options::default() }, 0);
        let filtered = Options {
            filter: crate::tally::filter::Filter { since: Some(1_600_001_000), ..Default::default() },
            ..Options::default()
        };
        assert_same(&data, &filtered, 3);
    }
}

#[test]
fn a_common_log_whose_first_record_is_between_binary_bytes() {
    // Named, the nginx reader also reads the pieces of a line between binary
    // bytes: its first record (common) comes from a piece, while the head's
    // first whole record is combined. The second part is read again.
    let mut data = format!("[a]\u{1}{}\n", nginx(1_600_000_000, 7, "200", true)).into_bytes();
    for n in 0..5_000 {
        let line =
            if n % 7 == 0 { "no status here".to_string() } else { nginx(1_600_000_000 + n, n % 200, "502", false) };
        data.extend_from_slice(line.as_bytes());
        data.push(b'\n');
    }
    let options = Options { format: Some(FormatName::Clf), ..Options::default() };
    assert_same(&data, &options, 3);
}

#[test]
fn top_values_that_fit_are_the_same_both_ways() {
    // 40 clients: every field fits in a summary, so the drill-down is exact
    // both ways, and the same.
    let mut data = Vec::new();
    for n in 0..40_000 {
        let status = ["502", "404", "200"][n as usize % 3];
        data.extend_from_slice(nginx(1_600_000_000 + n, n % 40, status, false).as_bytes());
        data.push(b'\n');
    }
    assert_same(&data, &Options { detail: true, ..Options::default() }, 5);
}

/// A `#Fields:` directive in the first half sets how the W3C lines of the
/// second half read: the second half is then read again after the first.
#[test]
fn a_w3c_directive_in_the_first_part_reaches_the_second() {
    let mut data = Vec::new();
    for (n, status) in (0..40_000).map(|n| (n, if n < 20_000 { "200" } else { "404" })) {
        if n == 20_000 {
            data.extend_from_slice(b"#Fields: date time c-ip sc-status\n");
        }
        data.extend_from_slice(nginx(1_600_000_000 + n, n % 200, status, false).as_bytes());
        data.push(b'\n');
    }
    for _ in 0..5_000 {
        data.extend_from_slice(b"2020-01-01 00:00:00 192.0.2.4 503\n");
    }
    let (whole, _, _) = {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&data).unwrap();
        report(file.path(), &Options::default(), u64::MAX, 3)
    };
    assert!(whole.contains("5,000"), "one reading counts the W3C lines: {whole}");
    assert_same(&data, &Options::default(), 3);
}
