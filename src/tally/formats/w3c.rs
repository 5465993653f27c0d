//! W3C extended log files: IIS (space-separated) and CloudFront standard logs
//! (tab-separated). The columns come from the `#Fields:` directive, read again
//! each time it appears (IIS starts a new header block when the fields change).
//!
//! ```text
//! #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
//! 2015-01-13 00:32:17 100.79.192.81 GET /robots.txt - 80 - 157.55.39.146 Mozilla/5.0+(compatible) - 404 0 2 283
//! ```

use std::borrow::Cow;

use memchr::memchr;

use super::time::{parse_date_and_time, parse_iso};
use super::{Origin, Parsed, Record, Reject, SignalKind, quoted_words, status_digits};

/// Where the columns that matter are; `None` when the file lacks one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    date: Option<usize>,
    time: Option<usize>,
    /// Epoch seconds with milliseconds (CloudFront real-time logs).
    timestamp: Option<usize>,
    status: usize,
    method: Option<usize>,
    path: Option<usize>,
    host: Option<usize>,
    client: Option<usize>,
    result_type: Option<usize>,
    /// CloudFront names itself by its `x-edge-location` column.
    cloudfront: bool,
}

impl Columns {
    /// CloudFront's documented order, for a file whose header was cut off.
    const CLOUDFRONT: Columns = Columns {
        date: Some(0),
        time: Some(1),
        timestamp: None,
        status: 8,
        method: Some(5),
        path: Some(7),
        host: Some(15),
        client: Some(4),
        result_type: Some(13),
        cloudfront: true,
    };

    /// CloudFront real-time logs (Kinesis records have no header): the fields
    /// in the developer guide's order, `timestamp c-ip time-to-first-byte
    /// sc-status sc-bytes cs-method cs-protocol cs-host cs-uri-stem ...`.
    const REALTIME: Columns = Columns {
        date: None,
        time: None,
        timestamp: Some(0),
        status: 3,
        method: Some(5),
        path: Some(8),
        host: Some(12),
        client: Some(1),
        result_type: Some(24),
        cloudfront: true,
    };

    fn from_header(names: &[u8]) -> Option<Self> {
        let names: Vec<&[u8]> = names.split(|&b| b == b' ' || b == b'\t').filter(|n| !n.is_empty()).collect();
        let position = |wanted: &[&[u8]]| wanted.iter().find_map(|w| names.iter().position(|n| n == w));
        Some(Columns {
            date: position(&[b"date"]),
            time: position(&[b"time"]),
            timestamp: position(&[b"timestamp"]),
            status: position(&[b"sc-status"])?,
            method: position(&[b"cs-method"]),
            path: position(&[b"cs-uri-stem", b"cs-uri"]),
            host: position(&[b"x-host-header", b"cs-host", b"cs(Host)"]),
            client: position(&[b"c-ip"]),
            result_type: position(&[b"x-edge-result-type"]),
            cloudfront: position(&[b"x-edge-location"]).is_some(),
        })
    }

    /// The last column a line must have; the others are read when present
    /// (a real-time configuration may log fewer fields).
    fn last_required(&self) -> usize {
        [self.date, self.time, self.timestamp, Some(self.status)].into_iter().flatten().max().unwrap_or(0)
    }
}

/// `1607374321.541`: seconds since the epoch with milliseconds.
fn epoch_with_millis(field: &[u8]) -> Option<i64> {
    let (seconds, millis) = field.split_at(memchr(b'.', field)?);
    let digits = |text: &[u8]| !text.is_empty() && text.iter().all(u8::is_ascii_digit);
    if !(digits(seconds) && digits(&millis[1..]) && (9..=11).contains(&seconds.len())) {
        return None;
    }
    std::str::from_utf8(seconds).ok()?.parse().ok()
}

#[derive(Debug, PartialEq, Eq)]
pub struct W3c {
    columns: Columns,
    /// Whether a `#Fields:` directive was seen (a headerless file is read as CloudFront's).
    header: bool,
    /// The last `#Fields:` had no `sc-status`: its lines hold no status to count.
    without_status: bool,
}

impl Default for W3c {
    fn default() -> Self {
        W3c { columns: Columns::CLOUDFRONT, header: false, without_status: false }
    }
}

impl W3c {
    /// Reads headerless lines as CloudFront real-time records.
    pub fn realtime() -> Self {
        W3c { columns: Columns::REALTIME, header: false, without_status: false }
    }
}

/// Splits a W3C line: tabs when it has any (CloudFront), else runs of spaces,
/// with a double-quoted field kept whole and read without its quotes (Oracle
/// Web Cache quotes its cookies and user agents; Incapsula's export quotes every
/// field, dates and statuses included).
fn fields(line: &[u8]) -> Vec<&[u8]> {
    if memchr(b'\t', line).is_some() {
        return line.split(|&b| b == b'\t').collect();
    }
    quoted_words(line).collect()
}

fn present(field: &[u8]) -> Option<Cow<'_, [u8]>> {
    (!field.is_empty() && field != b"-").then_some(Cow::Borrowed(field))
}

impl W3c {
    /// Whether a `#Fields:` directive (or a real-time record) has set the
    /// columns: the lines after it are read differently than by a fresh reader.
    pub fn holds_state(&self) -> bool {
        *self != W3c::default()
    }

    pub fn describe(&self) -> &'static str {
        match self.columns {
            Columns { cloudfront: true, timestamp: Some(_), .. } => "CloudFront real-time log",
            Columns { cloudfront: true, .. } => "CloudFront standard log",
            _ => "W3C extended log (IIS)",
        }
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        if let Some(names) = line.strip_prefix(b"#Fields:") {
            // A header without sc-status (an IIS log trimmed of it) leaves
            // nothing to count: its lines are then reported, not misread.
            self.header = true;
            match Columns::from_header(names) {
                Some(columns) => {
                    self.columns = columns;
                    self.without_status = false;
                }
                None => {
                    self.columns.cloudfront = false;
                    self.without_status = true;
                }
            }
            return Parsed::Header;
        }
        if line.starts_with(b"#") {
            return Parsed::Header;
        }
        if self.without_status {
            return Parsed::Reject(Reject::Status);
        }
        let fields = fields(line);
        // Without a header, a line that starts with an epoch time and has a
        // status fourth is a real-time record.
        if !self.header
            && self.columns == Columns::CLOUDFRONT
            && fields.first().is_some_and(|f| epoch_with_millis(f).is_some())
            && fields.get(3).is_some_and(|f| status_digits(f).is_some())
        {
            self.columns = Columns::REALTIME;
        }
        let columns = self.columns;
        if fields.len() <= columns.last_required() {
            return Parsed::Reject(Reject::Layout);
        }
        let get = |column: Option<usize>| column.and_then(|c| fields.get(c).copied());
        // IIS FTP logs put `[session]COMMAND` in cs-method and FTP replies in
        // sc-status: they are not HTTP statuses.
        if get(columns.method).is_some_and(|m| m.first() == Some(&b'[')) {
            return Parsed::Reject(Reject::Layout);
        }
        let time = match (get(columns.date), get(columns.time), get(columns.timestamp)) {
            (Some(date), Some(time), _) => match parse_date_and_time(date, time) {
                Some(time) => Some(time),
                None => return Parsed::Reject(Reject::Layout),
            },
            (_, _, Some(stamp)) => match epoch_with_millis(stamp) {
                Some(time) => Some(time),
                None => return Parsed::Reject(Reject::Layout),
            },
            (Some(date), None, None) => parse_iso(date),
            _ => None,
        };
        let Some(status) = status_digits(fields[columns.status]) else { return Parsed::Reject(Reject::Status) };
        let origin = if columns.cloudfront { Origin::CloudFront } else { Origin::Iis };
        let mut record = Record::new(status, origin, time);
        record.signal =
            get(columns.result_type).filter(|r| !r.is_empty() && *r != b"-").map(|r| (SignalKind::CloudFrontResult, r));
        record.detail.path = get(columns.path).and_then(present);
        record.detail.host = get(columns.host).and_then(present);
        record.detail.client = get(columns.client).and_then(present);
        Parsed::Record(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudfront_follows_the_header() {
        let mut parser = W3c::default();
        assert_eq!(parser.parse(b"#Version: 1.0"), Parsed::Header);
        assert_eq!(parser.parse(b"#Fields: time date sc-status x-edge-result-type x-edge-location"), Parsed::Header);
        let Parsed::Record(record) = parser.parse(b"21:02:31\t2019-12-04\t000\tError\tLAX1") else { panic!() };
        assert_eq!((record.status, record.signal), (0, Some((SignalKind::CloudFrontResult, b"Error".as_slice()))));
        assert_eq!(parser.parse(b"21:02:31\t2019-12-04"), Parsed::Reject(Reject::Layout));
        assert_eq!(parser.describe(), "CloudFront standard log");
    }

    #[test]
    fn a_tab_separated_header_is_read_too() {
        let mut parser = W3c::default();
        assert_eq!(parser.parse(b"#Fields:\tdate\ttime\tsc-status"), Parsed::Header);
        assert!(matches!(parser.parse(b"2019-12-04\t21:02:31\t404"), Parsed::Record(Record { status: 404, .. })));
    }

    #[test]
    fn iis_blocks_and_ftp() {
        let mut parser = W3c::default();
        parser.parse(b"#Fields: date time c-ip cs-method cs-uri-stem sc-status");
        let Parsed::Record(record) = parser.parse(b"2002-05-02 17:42:15 172.22.255.255 GET /a.jpg 200") else {
            panic!()
        };
        assert_eq!((record.status, record.origin, record.time), (200, Origin::Iis, Some(1_020_361_335)));
        assert_eq!(record.detail.path.as_deref(), Some(b"/a.jpg".as_slice()));
        // A new block with other fields.
        parser.parse(b"#Fields: time c-ip cs-method cs-uri-stem sc-status");
        assert!(matches!(parser.parse(b"16:44:49 1.1.1.1 GET / 503"), Parsed::Record(Record { status: 503, .. })));
        assert_eq!(parser.parse(b"16:44:49 1.1.1.1 [2]USER anonymous 331"), Parsed::Reject(Reject::Layout));
        assert_eq!(parser.describe(), "W3C extended log (IIS)");
        // Fields without sc-status: nothing to count, said so.
        assert_eq!(parser.parse(b"#Fields: date time cs-method"), Parsed::Header);
        assert_eq!(parser.parse(b"2015-01-13 00:32:17 GET"), Parsed::Reject(Reject::Status));
    }

    #[test]
    fn cloudfront_real_time_without_a_header() {
        // The first fields of the developer guide's list, then the rest cut.
        let line = b"1607374321.541\t127.0.0.1\t0.042\t502\t485\tGET\thttp\td.cloudfront.net\t/i";
        let mut parser = W3c::default();
        let Parsed::Record(record) = parser.parse(line) else { panic!() };
        assert_eq!((record.status, record.origin, record.time), (502, Origin::CloudFront, Some(1_607_374_321)));
        assert_eq!(record.detail.path.as_deref(), Some(b"/i".as_slice()));
        assert_eq!(parser.describe(), "CloudFront real-time log");
        assert_eq!(epoch_with_millis(b"12.5"), None);
    }

    #[test]
    fn quoted_fields_stay_whole() {
        assert_eq!(fields(br#"a  "b c"  d"#), [b"a".as_slice(), b"b c", b"d"]);
        assert_eq!(fields(br#"a "" d"#), [b"a".as_slice(), b"", b"d"]);
        assert_eq!(fields(br#"a "unterminated"#), [b"a".as_slice(), b"\"unterminated"]);
    }

    /// Incapsula's log export quotes every field; lnav's sample of it
    /// (test/logfile_w3c.4) has one line with status 200 and one with none.
    #[test]
    fn every_field_quoted() {
        let mut w3c = W3c::default();
        assert!(matches!(w3c.parse(b"#Fields: date time c-ip cs-uri sc-status"), Parsed::Header));
        let Parsed::Record(record) =
            w3c.parse(br#""2017-06-28" "07:26:35" "123.123.123.123" "www.example.com/page.php" "200""#)
        else {
            panic!("a quoted line is read");
        };
        assert_eq!(record.status, 200);
        assert_eq!(record.detail.path.as_deref(), Some(b"www.example.com/page.php".as_slice()));
        assert!(record.time.is_some(), "the quoted date and time are read");
        assert!(matches!(
            w3c.parse(br#""2017-06-26" "18:21:17" "125.125.125.125" "x" """#),
            Parsed::Reject(Reject::Status)
        ));
    }
}
