//! The log formats: what a parsed line yields, detection from a file's first
//! lines, and one parser per format family.

mod aws;
mod clf;
mod json;
mod proxy;
pub mod time;

use clap::ValueEnum;

pub use aws::CloudFrontColumns;

/// Who wrote the status a line carries, which decides what the number means:
/// 499 from nginx, 000 from an AWS load balancer, 530 from Cloudflare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    WebServer,
    AwsElb,
    CloudFront,
    Cloudflare,
    Json,
    HaProxy,
    Envoy,
}

impl Origin {
    pub const ALL: [Origin; 7] = [
        Origin::WebServer,
        Origin::AwsElb,
        Origin::CloudFront,
        Origin::Cloudflare,
        Origin::Json,
        Origin::HaProxy,
        Origin::Envoy,
    ];

    /// Catalogue sources whose meaning of a number this origin uses, most
    /// specific first; a number none of them defines takes its first meaning.
    /// "Log convention" is the catalogue's meaning of 000 as "no response was sent".
    pub fn preferred_sources(self) -> &'static [&'static str] {
        match self {
            Origin::WebServer => &["nginx", "Apache", "Log convention"],
            Origin::AwsElb => &["AWS ELB"],
            Origin::Cloudflare => &["Cloudflare", "Log convention"],
            Origin::CloudFront | Origin::Json | Origin::HaProxy | Origin::Envoy => &["Log convention"],
        }
    }

    /// What a second status on the same line is called ("target said -").
    pub fn upstream_label(self) -> &'static str {
        match self {
            Origin::AwsElb => "target",
            Origin::Cloudflare => "origin",
            _ => "upstream",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The extra signal some formats log beside the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SignalKind {
    /// HAProxy's termination state, its first two characters (`sH`, `CD`).
    HaProxyTermination,
    /// Envoy's response flags, one per flag (`UF`, `URX`).
    EnvoyFlag,
    /// CloudFront's `x-edge-result-type` (`Hit`, `Miss`, `Error`).
    CloudFrontResult,
}

impl SignalKind {
    pub fn title(self) -> &'static str {
        match self {
            SignalKind::HaProxyTermination => "HAProxy termination states",
            SignalKind::EnvoyFlag => "Envoy response flags",
            SignalKind::CloudFrontResult => "CloudFront edge result types",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SignalKind::HaProxyTermination => "haproxy_termination_state",
            SignalKind::EnvoyFlag => "envoy_response_flag",
            SignalKind::CloudFrontResult => "cloudfront_edge_result_type",
        }
    }
}

/// The status behind the one sent to the client: an ALB's target status, a
/// Cloudflare origin status. `None` is the log's "-": no response came back.
pub type Upstream = Option<u16>;

/// What one log line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// 0–999; 000 is a status in AWS and CloudFront logs.
    pub status: u16,
    pub origin: Origin,
    /// Unix seconds, when the line carries a readable timestamp.
    pub time: Option<i64>,
    /// Present only for formats that log a second status.
    pub upstream: Option<Upstream>,
    pub signal: Option<(SignalKind, &'a [u8])>,
}

/// Why a line was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reject {
    /// The line does not have the format's layout.
    Layout,
    /// The layout is there but the status field is missing, `-` or not 000–999.
    Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<'a> {
    Record(Record<'a>),
    /// A header or comment line the format defines (CloudFront's `#Fields:`).
    Header,
    Reject(Reject),
}

/// The formats `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum FormatName {
    /// nginx or Apache `combined` / `common`.
    #[value(alias = "nginx", alias = "apache", alias = "combined", alias = "common")]
    Clf,
    /// AWS Application Load Balancer access log.
    Alb,
    /// AWS Classic Load Balancer access log.
    Elb,
    /// CloudFront standard (tab-separated) log.
    Cloudfront,
    /// One JSON object per line (Cloudflare Logpush included).
    Json,
    /// HAProxy `option httplog`.
    Haproxy,
    /// Envoy's default access log format (Istio's too).
    Envoy,
}

/// Detection tries these in order; on a tie the earlier, more specific one wins
/// (an Envoy line also has a bracketed date and a quoted request, like nginx).
const DETECTION_ORDER: [FormatName; 7] = [
    FormatName::Envoy,
    FormatName::Haproxy,
    FormatName::Alb,
    FormatName::Elb,
    FormatName::Cloudfront,
    FormatName::Json,
    FormatName::Clf,
];

/// How many of a file's first lines detection looks at.
pub const DETECTION_LINES: usize = 50;

/// A parser for one format, with the little state a format needs.
#[derive(Debug)]
pub enum Parser {
    Clf(clf::Clf),
    Alb(aws::Alb),
    Elb(aws::ClassicElb),
    CloudFront(aws::CloudFront),
    Json(json::JsonLines),
    HaProxy(proxy::HaProxy),
    Envoy(proxy::Envoy),
    /// No format was recognised in the first lines: every line tries each.
    Any(Vec<Parser>),
}

impl Parser {
    pub fn new(name: FormatName) -> Self {
        match name {
            FormatName::Clf => Parser::Clf(clf::Clf::default()),
            FormatName::Alb => Parser::Alb(aws::Alb::default()),
            FormatName::Elb => Parser::Elb(aws::ClassicElb::default()),
            FormatName::Cloudfront => Parser::CloudFront(aws::CloudFront::default()),
            FormatName::Json => Parser::Json(json::JsonLines),
            FormatName::Haproxy => Parser::HaProxy(proxy::HaProxy::default()),
            FormatName::Envoy => Parser::Envoy(proxy::Envoy::default()),
        }
    }

    /// Every parser, for input whose format could not be told.
    pub fn any() -> Self {
        Parser::Any(DETECTION_ORDER.iter().map(|&name| Parser::new(name)).collect())
    }

    /// The parser for the format most of these lines have, if any has one.
    /// Lines with a format's layout but no usable status (JSON without a status
    /// field) still name the format when no format yields a status at all.
    pub fn detect<'a>(lines: impl Iterator<Item = &'a [u8]> + Clone) -> Option<Self> {
        let mut best: Option<((usize, usize), FormatName)> = None;
        for name in DETECTION_ORDER {
            let mut parser = Parser::new(name);
            let (mut records, mut layouts) = (0, 0);
            for line in lines.clone() {
                match parser.parse(line) {
                    Parsed::Record(_) => records += 1,
                    Parsed::Reject(Reject::Status) => layouts += 1,
                    Parsed::Header | Parsed::Reject(Reject::Layout) => {}
                }
            }
            let score = (records, layouts);
            if score > (0, 0) && best.is_none_or(|(best_score, _)| score > best_score) {
                best = Some((score, name));
            }
        }
        // A fresh parser, so state picked up from these lines (CloudFront's
        // column header) is read again when the real pass sees them.
        best.map(|(_, name)| Parser::new(name))
    }

    /// How the format is named in the report.
    pub fn describe(&self) -> &'static str {
        match self {
            Parser::Clf(p) => p.describe(),
            Parser::Alb(_) => "AWS ALB",
            Parser::Elb(_) => "AWS Classic ELB",
            Parser::CloudFront(_) => "CloudFront standard log",
            Parser::Json(_) => "JSON lines",
            Parser::HaProxy(_) => "HAProxy HTTP log",
            Parser::Envoy(_) => "Envoy access log",
            Parser::Any(_) => "any known format",
        }
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        match self {
            Parser::Clf(p) => p.parse(line),
            Parser::Alb(p) => p.parse(line),
            Parser::Elb(p) => p.parse(line),
            Parser::CloudFront(p) => p.parse(line),
            Parser::Json(p) => p.parse(line),
            Parser::HaProxy(p) => p.parse(line),
            Parser::Envoy(p) => p.parse(line),
            Parser::Any(parsers) => {
                let mut outcome = Parsed::Reject(Reject::Layout);
                for parser in parsers {
                    match parser.parse(line) {
                        Parsed::Reject(Reject::Layout) => {}
                        Parsed::Record(record) => return Parsed::Record(record),
                        other => outcome = other,
                    }
                }
                outcome
            }
        }
    }
}

/// A three-digit status, `000` to `999`, as all the text formats write it.
pub fn status_digits(field: &[u8]) -> Option<u16> {
    match field {
        [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            Some(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
        }
        _ => None,
    }
}

/// Fields separated by runs of spaces, as awk splits them.
pub fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> + Clone {
    line.split(|&b| b == b' ').filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const ALL: [FormatName; 7] = DETECTION_ORDER;

    fn parse_everywhere(line: &[u8]) {
        for name in ALL {
            let _ = Parser::new(name).parse(line);
        }
        let _ = Parser::any().parse(line);
        let _ = Parser::detect(std::iter::once(line));
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(line in proptest::collection::vec(any::<u8>(), 0..400)) {
            parse_everywhere(&line);
        }

        /// Lines built from the characters log layouts are made of reach deeper
        /// into the parsers than uniform random bytes do.
        #[test]
        fn log_shaped_text_never_panics(line in r#"[\[\]" /:.\-{}0-9a-zA-Z,\t\\#]{0,200}"#) {
            parse_everywhere(line.as_bytes());
        }

        #[test]
        fn mutated_real_lines_never_panic(
            index in 0usize..SAMPLES.len(),
            cut in 0usize..400,
            byte in any::<u8>(),
            at in 0usize..400,
        ) {
            let mut line = SAMPLES[index].as_bytes().to_vec();
            if !line.is_empty() {
                let at = at % line.len();
                line[at] = byte;
            }
            line.truncate(cut);
            parse_everywhere(&line);
        }
    }

    const SAMPLES: [&str; 7] = [
        r#"203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 499 0 "-" "curl/8.5.0""#,
        "http 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 - -1 -1 -1 502 - 34 366 \"GET / HTTP/1.1\"",
        "2015-05-13T23:39:43.945958Z lb 192.168.131.39:2817 10.0.0.1:80 0.1 0.1 0.1 200 200 0 29 \"GET / HTTP/1.1\"",
        "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td.net\t/index.html\t200\t-\tcurl\t-\t-\tHit\tid",
        r#"{"EdgeStartTimestamp":1700000000,"EdgeResponseStatus":530,"OriginResponseStatus":0,"http":{"status_code":1}}"#,
        "haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] in b/s 10/0/30/69/109 503 2750 - - sH-- 1/1/1/1/0 0/0",
        r#"[2016-04-15T20:17:00.310Z] "POST /api HTTP/2" 503 UF,URX 154 0 226 100 "10.0.35.28" "x" "id" "h" "u""#,
    ];

    #[test]
    fn detection_picks_each_format() {
        let expected = ["nginx/Apache combined", "AWS ALB", "AWS Classic ELB", "CloudFront standard log", "JSON lines"];
        for (sample, name) in SAMPLES.iter().zip(expected) {
            let parser = Parser::detect(std::iter::once(sample.as_bytes())).expect("detected");
            assert_eq!(parser.describe(), name, "{sample}");
        }
        let haproxy = Parser::detect(std::iter::once(SAMPLES[5].as_bytes())).unwrap();
        assert_eq!(haproxy.describe(), "HAProxy HTTP log");
        let envoy = Parser::detect(std::iter::once(SAMPLES[6].as_bytes())).unwrap();
        assert_eq!(envoy.describe(), "Envoy access log");
        assert!(Parser::detect(std::iter::once(b"just some text".as_slice())).is_none());
        let no_status = Parser::detect(std::iter::once(br#"{"msg":"started"}"#.as_slice())).unwrap();
        assert_eq!(no_status.describe(), "JSON lines");
    }
}
