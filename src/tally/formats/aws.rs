//! AWS logs: Application Load Balancer, Classic Load Balancer and CloudFront
//! standard logs. Field positions follow the Elastic Load Balancing and
//! CloudFront developer guides.
//!
//! ```text
//! ALB:        type time elb client:port target:port request_t target_t response_t elb_status target_status ...
//! Classic:    time elb client:port backend:port request_t backend_t response_t elb_status backend_status ...
//! CloudFront: #Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status ...
//! ```

use super::time::{TimeCache, parse_date_and_time, parse_iso};
use super::{Origin, Parsed, Record, Reject, SignalKind, Upstream, status_digits, words};

/// The request types an ALB log line starts with.
const ALB_TYPES: [&[u8]; 6] = [b"http", b"https", b"h2", b"grpcs", b"ws", b"wss"];

/// A target or backend status: a number, or `-` when no response came back.
fn upstream_status(field: &[u8]) -> Option<Upstream> {
    if field == b"-" { Some(None) } else { status_digits(field).map(Some) }
}

/// Both load balancer layouts: the client-facing status at `status_at`, the
/// target's right after it.
fn load_balancer<'a>(line: &'a [u8], time_at: usize, status_at: usize, time: &mut TimeCache) -> Parsed<'a> {
    let mut fields = words(line);
    let Some(time_field) = fields.clone().nth(time_at) else { return Parsed::Reject(Reject::Layout) };
    let Some(client) = fields.nth(time_at + 2) else { return Parsed::Reject(Reject::Layout) };
    if !client.contains(&b':') {
        return Parsed::Reject(Reject::Layout);
    }
    let (Some(status), Some(target)) = (fields.nth(status_at - time_at - 3), fields.next()) else {
        return Parsed::Reject(Reject::Layout);
    };
    let Some(time) = time.get(time_field, parse_iso) else { return Parsed::Reject(Reject::Layout) };
    let (Some(status), Some(upstream)) = (status_digits(status), upstream_status(target)) else {
        return Parsed::Reject(Reject::Status);
    };
    Parsed::Record(Record { status, origin: Origin::AwsElb, time: Some(time), upstream: Some(upstream), signal: None })
}

#[derive(Debug, Default)]
pub struct Alb {
    time: TimeCache,
}

impl Alb {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        match words(line).next() {
            Some(kind) if ALB_TYPES.contains(&kind) => load_balancer(line, 1, 8, &mut self.time),
            _ => Parsed::Reject(Reject::Layout),
        }
    }
}

#[derive(Debug, Default)]
pub struct ClassicElb {
    time: TimeCache,
}

impl ClassicElb {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        load_balancer(line, 0, 7, &mut self.time)
    }
}

/// Where CloudFront's columns are, from the `#Fields:` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloudFrontColumns {
    date: usize,
    time: usize,
    status: usize,
    result_type: Option<usize>,
}

impl Default for CloudFrontColumns {
    /// The standard log's documented order, for files whose header was cut off.
    fn default() -> Self {
        CloudFrontColumns { date: 0, time: 1, status: 8, result_type: Some(13) }
    }
}

impl CloudFrontColumns {
    fn from_header(names: &[u8]) -> Option<Self> {
        let position = |wanted: &[u8]| words(names).position(|name| name == wanted);
        Some(CloudFrontColumns {
            date: position(b"date")?,
            time: position(b"time")?,
            status: position(b"sc-status")?,
            result_type: position(b"x-edge-result-type"),
        })
    }

    fn last(&self) -> usize {
        self.date.max(self.time).max(self.status).max(self.result_type.unwrap_or(0))
    }
}

#[derive(Debug, Default)]
pub struct CloudFront {
    columns: CloudFrontColumns,
}

impl CloudFront {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        if let Some(names) = line.strip_prefix(b"#Fields:") {
            return match CloudFrontColumns::from_header(names) {
                Some(columns) => {
                    self.columns = columns;
                    Parsed::Header
                }
                None => Parsed::Reject(Reject::Layout),
            };
        }
        if line.starts_with(b"#") {
            return Parsed::Header;
        }
        let columns = self.columns;
        let mut fields: [&[u8]; 4] = [b""; 4];
        let mut seen = 0;
        for (index, field) in line.split(|&b| b == b'\t').enumerate().take(columns.last() + 1) {
            let slot = [columns.date, columns.time, columns.status, columns.result_type.unwrap_or(usize::MAX)]
                .iter()
                .position(|&c| c == index);
            if let Some(slot) = slot {
                fields[slot] = field;
                seen += 1;
            }
        }
        let wanted = 3 + usize::from(columns.result_type.is_some());
        if seen < wanted {
            return Parsed::Reject(Reject::Layout);
        }
        let Some(time) = parse_date_and_time(fields[0], fields[1]) else { return Parsed::Reject(Reject::Layout) };
        let Some(status) = status_digits(fields[2]) else { return Parsed::Reject(Reject::Status) };
        let signal = (!fields[3].is_empty() && fields[3] != b"-").then_some((SignalKind::CloudFrontResult, fields[3]));
        Parsed::Record(Record { status, origin: Origin::CloudFront, time: Some(time), upstream: None, signal })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALB: &str = "http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 \
        192.168.131.39:2817 - -1 -1 -1 502 - 34 366 \"GET http://www.example.com:80/ HTTP/1.1\" \
        \"curl/7.46.0\" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 \
        \"Root=1-58337262-36d228ad5d99923122bbe354\" \"-\" \"-\" 0 2018-07-02T22:22:48.364000Z \"forward\" \
        \"-\" \"-\" \"-\" \"-\" \"-\" \"-\"";

    #[test]
    fn alb_keeps_the_target_status() {
        let Parsed::Record(record) = Alb::default().parse(ALB.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.upstream, record.time), (502, Some(None), Some(1_530_570_180)));
    }

    #[test]
    fn classic_elb() {
        let line = "2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 \
            0.000073 0.001048 0.000057 200 503 0 29 \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -";
        let Parsed::Record(record) = ClassicElb::default().parse(line.as_bytes()) else { panic!("not parsed") };
        assert_eq!((record.status, record.upstream), (200, Some(Some(503))));
        assert_eq!(Alb::default().parse(line.as_bytes()), Parsed::Reject(Reject::Layout));
    }

    #[test]
    fn cloudfront_follows_the_header() {
        let mut parser = CloudFront::default();
        assert_eq!(parser.parse(b"#Version: 1.0"), Parsed::Header);
        assert_eq!(parser.parse(b"#Fields: time date sc-status x-edge-result-type"), Parsed::Header);
        let Parsed::Record(record) = parser.parse(b"21:02:31\t2019-12-04\t000\tError") else { panic!("not parsed") };
        assert_eq!((record.status, record.signal), (0, Some((SignalKind::CloudFrontResult, b"Error".as_slice()))));
        assert_eq!(parser.parse(b"21:02:31\t2019-12-04"), Parsed::Reject(Reject::Layout));
    }
}
