//! The log formats: what a parsed line yields, detection from a file's first
//! lines, and one parser per format family.

mod aws;
mod clf;
pub mod custom;
mod fields;
mod json;
mod json_value;
mod proxy;
pub mod time;
mod w3c;
pub mod wrap;

use std::borrow::Cow;

use clap::ValueEnum;

pub use fields::{quoted_words, status_digits, upstream_status, words};

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
    Iis,
}

impl Origin {
    pub const ALL: [Origin; 8] = [
        Origin::WebServer,
        Origin::AwsElb,
        Origin::CloudFront,
        Origin::Cloudflare,
        Origin::Json,
        Origin::HaProxy,
        Origin::Envoy,
        Origin::Iis,
    ];

    /// Catalogue sources whose meaning of a number this origin uses, most
    /// specific first; a number none of them defines takes its first meaning.
    /// "Log convention" is the catalogue's meaning of 000 as "no response was sent".
    pub fn preferred_sources(self) -> &'static [&'static str] {
        match self {
            Origin::WebServer => &["nginx", "Apache", "Log convention"],
            Origin::AwsElb => &["AWS ELB"],
            Origin::Iis => &["Microsoft IIS"],
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
    /// An ALB's `error_reason` (`LambdaInvalidResponse`): why a Lambda target
    /// or an authenticate action failed.
    AlbErrorReason,
}

impl SignalKind {
    pub fn title(self) -> &'static str {
        match self {
            SignalKind::HaProxyTermination => "HAProxy termination states",
            SignalKind::EnvoyFlag => "Envoy response flags",
            SignalKind::CloudFrontResult => "CloudFront edge result types",
            SignalKind::AlbErrorReason => "AWS ALB error reasons",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SignalKind::HaProxyTermination => "haproxy_termination_state",
            SignalKind::EnvoyFlag => "envoy_response_flag",
            SignalKind::CloudFrontResult => "cloudfront_edge_result_type",
            SignalKind::AlbErrorReason => "alb_error_reason",
        }
    }
}

/// The status behind the one sent to the client: an ALB's target status, a
/// Cloudflare origin status. `None` is the log's "-": no response came back.
pub type Upstream = Option<u16>;

/// What a line says about where the request went, for the drill-down of a
/// code; each part is there only when the format logs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detail<'a> {
    /// The request path (or URI as logged).
    pub path: Option<Cow<'a, [u8]>>,
    /// The virtual host or `Host` header.
    pub host: Option<Cow<'a, [u8]>>,
    /// The upstream, target, backend or origin the request went to.
    pub target: Option<Cow<'a, [u8]>>,
    /// The client address.
    pub client: Option<Cow<'a, [u8]>>,
}

/// What one log line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// 100–599, or 000 where the format documents it (AWS, CloudFront, Envoy).
    pub status: u16,
    pub origin: Origin,
    /// Unix seconds, when the line carries a readable timestamp.
    pub time: Option<i64>,
    /// Present only for formats that log a second status.
    pub upstream: Option<Upstream>,
    pub signal: Option<(SignalKind, &'a [u8])>,
    pub detail: Detail<'a>,
}

impl<'a> Record<'a> {
    pub fn new(status: u16, origin: Origin, time: Option<i64>) -> Self {
        Record { status, origin, time, upstream: None, signal: None, detail: Detail::default() }
    }
}

/// Whether a number read as a status is one: 100–599, and 000 only from the
/// origins whose documentation gives it a meaning (an AWS load balancer or
/// CloudFront that sent nothing, Envoy's 0 for no response, Cloudflare's 0 for
/// no origin response). A JSON app log's `"status": 1` is not a status.
pub fn plausible(status: u16, origin: Origin) -> bool {
    (100..=599).contains(&status)
        || status == 0 && matches!(origin, Origin::AwsElb | Origin::CloudFront | Origin::Envoy | Origin::Cloudflare)
}

/// Why a line was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reject {
    /// The line does not have the format's layout.
    Layout,
    /// The layout is there but the status field is missing, `-` or not a plausible status.
    Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<'a> {
    Record(Record<'a>),
    /// A JSON array of records on one line.
    Many(Vec<Record<'a>>),
    /// A header or comment line the format defines (W3C's `#Fields:`, a JSON array's `[`).
    Header,
    /// A line wrapped in another (Docker's `{"log": "..."}`): read it as a line of its own.
    Inner(Vec<u8>),
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
    /// CloudFront standard (tab-separated) log, and real-time logs.
    #[value(alias = "cloudfront-realtime")]
    Cloudfront,
    /// W3C extended log (IIS), columns from its `#Fields:` directive.
    #[value(alias = "iis")]
    W3c,
    /// JSON: an object per line or arrays (Cloudflare, Traefik, GCP, ECS, Azure, Caddy...).
    Json,
    /// HAProxy `option httplog`.
    Haproxy,
    /// Envoy's default access log format (Istio's too).
    Envoy,
}

/// Detection tries these in order; on a tie the earlier, more specific one wins
/// (an Envoy line also has a bracketed date and a quoted request, like nginx).
const DETECTION_ORDER: [FormatName; 8] = [
    FormatName::Envoy,
    FormatName::Haproxy,
    FormatName::Alb,
    FormatName::Elb,
    FormatName::Cloudfront,
    FormatName::W3c,
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
    W3c(w3c::W3c),
    Json(json::JsonLines),
    HaProxy(proxy::HaProxy),
    Envoy(proxy::Envoy),
    Custom(custom::Custom),
    /// No format was recognised in the first lines: every line tries each.
    Any(Vec<Parser>),
}

/// How well a format reads some lines: (records, lines with its layout but no
/// status, specificity); more is better, in that order.
pub type Score = (usize, usize, usize);

impl Parser {
    pub fn new(name: FormatName) -> Self {
        match name {
            FormatName::Clf => Parser::Clf(clf::Clf::default()),
            FormatName::Alb => Parser::Alb(aws::Alb::default()),
            FormatName::Elb => Parser::Elb(aws::ClassicElb::default()),
            FormatName::Cloudfront | FormatName::W3c => Parser::W3c(w3c::W3c::default()),
            FormatName::Json => Parser::Json(json::JsonLines::default()),
            FormatName::Haproxy => Parser::HaProxy(proxy::HaProxy::default()),
            FormatName::Envoy => Parser::Envoy(proxy::Envoy::default()),
        }
    }

    /// JSON with the status at a dotted path.
    pub fn json_field(path: &str) -> Self {
        Parser::Json(json::JsonLines::with_field(path))
    }

    pub fn custom(custom: custom::Custom) -> Self {
        Parser::Custom(custom)
    }

    /// Every parser, for input whose format could not be told (W3C once:
    /// `cloudfront` and `w3c` are one reader).
    pub fn any() -> Self {
        Parser::Any(
            DETECTION_ORDER.iter().filter(|&&name| name != FormatName::W3c).map(|&name| Parser::new(name)).collect(),
        )
    }

    /// Reads the fields the drill-down shows too (only the nginx reader skips them by default).
    pub fn with_detail(mut self) -> Self {
        match &mut self {
            Parser::Clf(clf) => clf.detail = true,
            Parser::Any(parsers) => {
                for parser in parsers {
                    if let Parser::Clf(clf) = parser {
                        clf.detail = true;
                    }
                }
            }
            _ => {}
        }
        self
    }

    /// The format most of these lines have, if any has one, with its score.
    /// Lines with a format's layout but no usable status (JSON without a status
    /// field) still name the format when no format yields a status at all.
    pub fn detect<'a>(lines: impl Iterator<Item = &'a [u8]> + Clone) -> Option<(FormatName, Score)> {
        let mut best: Option<(Score, FormatName)> = None;
        for (rank, name) in DETECTION_ORDER.into_iter().enumerate() {
            let mut parser = Parser::new(name);
            let (mut records, mut layouts) = (0, 0);
            for line in lines.clone() {
                match parser.parse(line) {
                    Parsed::Record(_) | Parsed::Many(_) | Parsed::Inner(_) => records += 1,
                    Parsed::Reject(Reject::Status) => layouts += 1,
                    Parsed::Header | Parsed::Reject(Reject::Layout) => {}
                }
            }
            let score = (records, layouts, DETECTION_ORDER.len() - rank);
            if (records, layouts) > (0, 0) && best.is_none_or(|(best_score, _)| score > best_score) {
                best = Some((score, name));
            }
        }
        best.map(|(score, name)| (name, score))
    }

    /// The state that decides how an nginx/Apache log is named (common or
    /// combined), once its first record set it; `None` for other formats,
    /// whose lines read alike wherever they are (see `tally::split`).
    pub fn layout(&self) -> Option<bool> {
        match self {
            Parser::Clf(p) => p.layout(),
            _ => None,
        }
    }

    /// Whether lines read so far have left a state that changes how later
    /// lines are counted (a W3C `#Fields:` directive, here or in the
    /// every-format parser): a reader starting fresh further on would count
    /// them otherwise (see `tally::split`).
    pub fn holds_state(&self) -> bool {
        match self {
            Parser::W3c(p) => p.holds_state(),
            Parser::Any(parsers) => parsers.iter().any(Parser::holds_state),
            _ => false,
        }
    }

    /// How the format is named in the report.
    pub fn describe(&self) -> &'static str {
        match self {
            Parser::Clf(p) => p.describe(),
            Parser::Alb(_) => "AWS ALB",
            Parser::Elb(_) => "AWS Classic ELB",
            Parser::W3c(p) => p.describe(),
            Parser::Json(p) => p.describe(),
            Parser::HaProxy(_) => "HAProxy HTTP log",
            Parser::Envoy(_) => "Envoy access log",
            Parser::Custom(p) => p.describe(),
            Parser::Any(_) => "any known format",
        }
    }

    /// The line as this format reads it; a status that is not plausible for
    /// its origin is a line without a status.
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        let parsed = match self {
            Parser::Clf(p) => p.parse(line),
            Parser::Alb(p) => p.parse(line),
            Parser::Elb(p) => p.parse(line),
            Parser::W3c(p) => p.parse(line),
            Parser::Json(p) => p.parse(line),
            Parser::HaProxy(p) => p.parse(line),
            Parser::Envoy(p) => p.parse(line),
            Parser::Custom(p) => p.parse(line),
            Parser::Any(parsers) => {
                let mut outcome = Parsed::Reject(Reject::Layout);
                for parser in parsers {
                    match parser.parse(line) {
                        Parsed::Reject(Reject::Layout) => {}
                        Parsed::Reject(Reject::Status) => outcome = Parsed::Reject(Reject::Status),
                        found => return found,
                    }
                }
                return outcome;
            }
        };
        let mut parsed = parsed;
        match &mut parsed {
            Parsed::Record(record) if !plausible(record.status, record.origin) => {
                return Parsed::Reject(Reject::Status);
            }
            Parsed::Many(records) => records.retain(|r| plausible(r.status, r.origin)),
            _ => {}
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every reader, including the escape hatches and a real-time W3C reader,
    /// and the prefix stripper; each must take any bytes without panicking.
    fn parse_everywhere(line: &[u8]) {
        for name in DETECTION_ORDER {
            let _ = Parser::new(name).with_detail().parse(line);
        }
        let _ = Parser::Any(Vec::new()).parse(line);
        let _ = Parser::any().with_detail().parse(line);
        let _ = Parser::detect(std::iter::once(line));
        let _ = Parser::json_field("a.b").parse(line);
        let _ = Parser::custom(custom::Custom::Field(3)).parse(line);
        let regex = custom::Custom::regex(r"(?P<path>/\S*) (?P<status>\d+)").unwrap();
        let _ = Parser::custom(regex).parse(line);
        let _ = Parser::W3c(w3c::W3c::realtime()).parse(line);
        let (inner, _) = wrap::strip(line);
        let _ = Parser::any().parse(inner);
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

    const SAMPLES: [&str; 13] = [
        r#"203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 499 0 "-" "curl/8.5.0""#,
        "http 2018-07-02T22:23:00.186641Z app/lb/50dc 192.168.131.39:2817 - -1 -1 -1 502 - 34 366 \"GET / HTTP/1.1\"",
        "2015-05-13T23:39:43.945958Z lb 192.168.131.39:2817 10.0.0.1:80 0.1 0.1 0.1 200 200 0 29 \"GET / HTTP/1.1\"",
        "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td.net\t/index.html\t200\t-\tcurl\t-\t-\tHit\tid",
        r#"{"EdgeStartTimestamp":1700000000,"EdgeResponseStatus":530,"OriginResponseStatus":0,"http":{"status_code":1}}"#,
        "haproxy[1]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] in b/s 10/0/30/69/109 503 2750 - - sH-- 1/1/1/1/0 0/0",
        r#"[2016-04-15T20:17:00.310Z] "POST /api HTTP/2" 503 UF,URX 154 0 226 100 "10.0.35.28" "x" "id" "h" "u""#,
        "#Fields: date time c-ip cs-method cs-uri-stem sc-status",
        "1607374321.541\t127.0.0.1\t0.042\t200\t485\tGET\thttp\ttest.cloudfront.net\t/i",
        r#"[{"DownstreamStatus":404,"OriginStatus":0},{"httpRequest":{"status":304}}]"#,
        r#"{"log":"[pod/a/b] 1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET / HTTP/1.1\" 200 1\n"}"#,
        "web-1  | 2024-06-02T13:35:27Z stdout F [2024-06-02T13:35:27.054Z] \"GET / HTTP/2\" 503 UF",
        "h:1 [22/Jun/2021:12:02:53.473] fe app/node2 app.domain.com 0/0/1/17/18 302 291 - - ---- 1/1/0/0/0 0/0",
    ];

    fn detected(line: &str) -> Option<FormatName> {
        Parser::detect(std::iter::once(line.as_bytes())).map(|(name, _)| name)
    }

    #[test]
    fn detection_picks_each_format() {
        use FormatName::*;
        let expected = [Clf, Alb, Elb, Cloudfront, Json, Haproxy, Envoy];
        for (sample, name) in SAMPLES.iter().zip(expected) {
            assert_eq!(detected(sample), Some(name), "{sample}");
        }
        assert_eq!(detected(SAMPLES[8]), Some(Cloudfront), "a real-time record");
        assert_eq!(detected(SAMPLES[9]), Some(Json));
        assert_eq!(detected(SAMPLES[12]), Some(Haproxy));
        assert_eq!(detected("just some text"), None);
        assert_eq!(detected(r#"{"msg":"started"}"#), Some(Json));
    }

    #[test]
    fn only_plausible_statuses_count() {
        let mut json = Parser::new(FormatName::Json);
        for line in [r#"{"status":1}"#, r#"{"status":0}"#, r#"{"status":600}"#, r#"{"status":99}"#] {
            assert_eq!(json.parse(line.as_bytes()), Parsed::Reject(Reject::Status), "{line}");
        }
        assert!(matches!(json.parse(br#"{"status":599}"#), Parsed::Record(_)));
        let mut clf = Parser::new(FormatName::Clf);
        let nginx = |status: &str| format!("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" {status} 1");
        assert_eq!(clf.parse(nginx("000").as_bytes()), Parsed::Reject(Reject::Status));
        assert_eq!(clf.parse(nginx("777").as_bytes()), Parsed::Reject(Reject::Status));
        assert!(matches!(clf.parse(nginx("100").as_bytes()), Parsed::Record(_)));
        // AWS documents 000: the load balancer sent nothing.
        assert!(matches!(
            Parser::new(FormatName::Alb).parse(SAMPLES[1].replace(" 502 ", " 000 ").as_bytes()),
            Parsed::Record(_)
        ));
    }
}
