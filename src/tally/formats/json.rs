//! JSON logs: one object per line, a JSON array of objects (on one line, or
//! one object per line between `[` and `]`), with the status found by the
//! keys each known shape writes, or at a path given with `--field`. An object
//! with no status but a `log` or `message` string (Docker's json-file driver,
//! a log shipper's envelope) hands that string back to be read as a line.

use std::borrow::Cow;

use super::json_value::Json;
use super::time::{from_epoch_number, parse_clf, parse_iso};
use super::{Detail, Origin, Parsed, Record, Reject};

/// Where one kind of JSON log keeps what tally reads. Paths are dotted; each
/// list is tried in order.
#[derive(Debug)]
pub struct Shape {
    pub name: &'static str,
    status: &'static [&'static str],
    origin: Origin,
    /// The status behind the one sent (Cloudflare's origin, Traefik's origin,
    /// Application Gateway's server); 0 reads as "no response".
    upstream: &'static [&'static str],
    time: &'static [&'static str],
    path: &'static [&'static str],
    host: &'static [&'static str],
    target: &'static [&'static str],
    client: &'static [&'static str],
}

const TIME: &[&str] = &["time", "timestamp", "@timestamp", "ts", "timeStamp"];

/// The known shapes, most specific first: each is chosen by its status key.
/// Field names are those of each product's access log documentation.
pub const SHAPES: [Shape; 7] = [
    Shape {
        name: "Cloudflare Logpush",
        status: &["EdgeResponseStatus"],
        origin: Origin::Cloudflare,
        upstream: &["OriginResponseStatus"],
        time: &["EdgeStartTimestamp", "EdgeEndTimestamp"],
        path: &["ClientRequestURI", "ClientRequestPath"],
        host: &["ClientRequestHost"],
        target: &["OriginIP"],
        client: &["ClientIP"],
    },
    Shape {
        name: "Traefik",
        status: &["DownstreamStatus"],
        origin: Origin::Json,
        upstream: &["OriginStatus"],
        time: &["StartUTC", "time"],
        path: &["RequestPath"],
        host: &["RequestHost"],
        target: &["ServiceURL.Host", "ServiceAddr", "ServiceName"],
        client: &["ClientHost"],
    },
    Shape {
        name: "GCP HTTP(S) load balancer",
        status: &["httpRequest.status"],
        origin: Origin::Json,
        upstream: &[],
        time: &["timestamp", "receiveTimestamp"],
        path: &["httpRequest.requestUrl"],
        host: &[],
        target: &["jsonPayload.backendTargetProjectNumber", "resource.labels.backend_service_name"],
        client: &["httpRequest.remoteIp"],
    },
    Shape {
        name: "Elastic Common Schema",
        status: &["http.response.status_code"],
        origin: Origin::Json,
        upstream: &[],
        time: &["@timestamp"],
        path: &["url.path", "url.original"],
        host: &["url.domain", "host.name"],
        target: &["destination.address", "upstream.address"],
        client: &["client.ip", "source.ip", "source.address"],
    },
    Shape {
        name: "Azure Front Door",
        status: &["properties.httpStatusCode"],
        origin: Origin::Json,
        upstream: &[],
        time: &["time"],
        path: &["properties.requestUri"],
        host: &["properties.hostName"],
        target: &["properties.originName", "properties.backendHostname"],
        client: &["properties.clientIp"],
    },
    Shape {
        name: "Azure Application Gateway",
        status: &["properties.httpStatus"],
        origin: Origin::Json,
        upstream: &["properties.serverStatus"],
        time: &["timeStamp", "timestamp", "time"],
        path: &["properties.requestUri"],
        host: &["properties.host"],
        target: &["properties.serverRouted"],
        client: &["properties.clientIP"],
    },
    Shape {
        name: "JSON lines",
        status: &[
            "status",
            "status_code",
            "statusCode",
            "http.status_code",
            "http.status",
            "response_code",
            "responseCode",
            "http_status",
            "StatusCode",
            "sc-status",
            "OriginResponseStatus",
        ],
        origin: Origin::Json,
        upstream: &["upstream_status"],
        time: TIME,
        // Caddy nests the request; nginx's JSON escape=json formats are flat.
        path: &["request.uri", "uri", "path", "request_uri", "url", "http.url"],
        host: &["request.host", "host", "http_host"],
        target: &["upstream", "upstream_addr", "upstream.address"],
        client: &["request.client_ip", "request.remote_ip", "remote_addr", "client_ip", "remote_ip", "client"],
    },
];

/// Reads JSON logs; `field` is a status path given on the command line.
#[derive(Debug, Default)]
pub struct JsonLines {
    field: Option<Vec<String>>,
    /// The shape of the first line counted, for the report.
    shape: Option<&'static str>,
}

enum Status {
    /// A number a status can be (the caller checks it is plausible).
    Code(u16),
    /// The key is there with no usable number.
    Unusable,
}

fn status_value(value: &Json<'_>) -> Status {
    let number = match value {
        Json::Number(n) => Some(*n),
        Json::Text(text) if !text.is_empty() && text.len() <= 3 && text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse().ok()
        }
        _ => None,
    };
    match number {
        Some(n) if n.fract() == 0.0 && (0.0..=999.0).contains(&n) => Status::Code(n as u16),
        _ => Status::Unusable,
    }
}

fn first<'v, 'a>(value: &'v Json<'a>, paths: &[&str]) -> Option<&'v Json<'a>> {
    paths.iter().find_map(|path| value.get(&path.split('.').collect::<Vec<_>>()))
}

fn time_of(value: &Json<'_>) -> Option<i64> {
    match value {
        Json::Number(n) => from_epoch_number(*n),
        Json::Text(text) => parse_iso(text.as_bytes()).or_else(|| parse_clf(text.as_bytes())),
        _ => None,
    }
}

fn bytes(text: Cow<'_, str>) -> Cow<'_, [u8]> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

fn text_at<'a>(value: &Json<'a>, paths: &[&str]) -> Option<Cow<'a, [u8]>> {
    first(value, paths).and_then(Json::text).filter(|t| !t.is_empty() && t != "-").map(bytes)
}

impl JsonLines {
    /// Reads the status at `path` (dotted) instead of the known shapes'.
    pub fn with_field(path: &str) -> Self {
        JsonLines { field: Some(path.split('.').map(str::to_string).collect()), shape: None }
    }

    pub fn describe(&self) -> &'static str {
        match self.shape {
            Some("JSON lines") | None => "JSON lines",
            Some(name) => name,
        }
    }

    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        let text = line.trim_ascii();
        match text {
            b"[" | b"]" | b"]," => return Parsed::Header,
            [b'[', ..] => {
                if let Ok(Json::Array(items)) = serde_json::from_slice::<Json>(text) {
                    let records: Vec<Record<'a>> = items.iter().filter_map(|item| self.record(item).ok()).collect();
                    return Parsed::Many(records);
                }
            }
            _ => {}
        }
        // An object inside a multi-line array: `[{...},`, `{...},` or `{...}]`.
        let object = text.strip_prefix(b"[").unwrap_or(text);
        let object = object.strip_suffix(b",").unwrap_or(object);
        let object = object.strip_suffix(b"]").filter(|o| o.ends_with(b"}")).unwrap_or(object);
        if object.first() != Some(&b'{') {
            return Parsed::Reject(Reject::Layout);
        }
        let Ok(value) = serde_json::from_slice::<Json>(object) else { return Parsed::Reject(Reject::Layout) };
        match self.record(&value) {
            Ok(record) => Parsed::Record(record),
            Err(reject) => match first(&value, &["log", "message", "MESSAGE"]) {
                Some(Json::Text(inner)) if reject == Reject::Status => Parsed::Inner(inner.as_bytes().to_vec()),
                _ => Parsed::Reject(reject),
            },
        }
    }

    fn record<'a>(&mut self, value: &Json<'a>) -> Result<Record<'a>, Reject> {
        let Json::Object(_) = value else { return Err(Reject::Layout) };
        let (status, shape) = match &self.field {
            Some(path) => {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                (value.get(&path).ok_or(Reject::Status)?, &SHAPES[SHAPES.len() - 1])
            }
            None => SHAPES
                .iter()
                .find_map(|shape| first(value, shape.status).map(|status| (status, shape)))
                .ok_or(Reject::Status)?,
        };
        let Status::Code(status) = status_value(status) else { return Err(Reject::Status) };
        let time = first(value, shape.time).and_then(time_of).or_else(|| first(value, TIME).and_then(time_of));
        let mut record = Record::new(status, shape.origin, time);
        if !shape.upstream.is_empty() {
            let behind = first(value, shape.upstream).map(status_value);
            record.upstream = match behind {
                Some(Status::Code(code)) if code != 0 => Some(Some(code)),
                Some(_) => Some(None),
                None => None,
            };
        }
        record.detail = Detail {
            path: text_at(value, shape.path),
            host: text_at(value, shape.host),
            target: text_at(value, shape.target),
            client: text_at(value, shape.client),
        };
        self.shape.get_or_insert(shape.name);
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Parsed<'_> {
        JsonLines::default().parse(line.as_bytes())
    }

    fn status_of(line: &str) -> Option<(u16, Origin)> {
        match parse(line) {
            Parsed::Record(r) => Some((r.status, r.origin)),
            _ => None,
        }
    }

    #[test]
    fn every_field_name() {
        assert_eq!(status_of(r#"{"status":502}"#), Some((502, Origin::Json)));
        assert_eq!(status_of(r#"{"status_code":"404"}"#), Some((404, Origin::Json)));
        assert_eq!(status_of(r#"{"statusCode":200.0}"#), Some((200, Origin::Json)));
        assert_eq!(status_of(r#"{"http.status_code":503}"#), Some((503, Origin::Json)));
        assert_eq!(status_of(r#"{"http":{"method":"GET","status_code":429}}"#), Some((429, Origin::Json)));
        assert_eq!(status_of(r#"{"response_code":301}"#), Some((301, Origin::Json)));
        assert_eq!(status_of(r#"{"OriginResponseStatus":520}"#), Some((520, Origin::Json)));
    }

    #[test]
    fn known_shapes_by_their_keys() {
        let traefik = r#"{"ClientHost":"127.0.0.1","DownstreamStatus":404,"OriginStatus":0,"RequestHost":"a.b","RequestPath":"/x","StartUTC":"2021-03-16T18:56:54.73Z"}"#;
        let Parsed::Record(record) = parse(traefik) else { panic!() };
        assert_eq!((record.status, record.upstream, record.time), (404, Some(None), Some(1_615_921_014)));
        assert_eq!(record.detail.path.as_deref(), Some(b"/x".as_slice()));
        let gcp = r#"{"httpRequest":{"requestMethod":"GET","status":304,"remoteIp":"1.2.3.4"},"timestamp":"2020-06-08T23:41:30.078651Z"}"#;
        assert_eq!(status_of(gcp), Some((304, Origin::Json)));
        let ecs =
            r#"{"@timestamp":"2024-01-01T00:00:00Z","http":{"response":{"status_code":503}},"url":{"path":"/y"}}"#;
        assert_eq!(status_of(ecs), Some((503, Origin::Json)));
        let afd = r#"{"properties":{"httpStatusCode":"200","clientIp":"1.1.1.1","backendHostname":"b:443"},"time":"2021-12-15T03:10:11.6479719Z"}"#;
        let Parsed::Record(record) = parse(afd) else { panic!() };
        assert_eq!(record.detail.target.as_deref(), Some(b"b:443".as_slice()));
        let appgw = r#"{"properties":{"httpStatus":502,"serverStatus":"502","serverRouted":"10.0.0.4:80"}}"#;
        let Parsed::Record(record) = parse(appgw) else { panic!() };
        assert_eq!((record.status, record.upstream), (502, Some(Some(502))));
    }

    #[test]
    fn cloudflare_edge_and_origin() {
        let Parsed::Record(record) =
            parse(r#"{"EdgeStartTimestamp":1700000000000000000,"EdgeResponseStatus":530,"OriginResponseStatus":0}"#)
        else {
            panic!("not parsed")
        };
        assert_eq!((record.status, record.origin, record.upstream), (530, Origin::Cloudflare, Some(None)));
        assert_eq!(record.time, Some(1_700_000_000));
    }

    #[test]
    fn arrays_on_one_line_and_across_lines() {
        let Parsed::Many(records) = parse(r#"[{"status":200},{"status":502},{"msg":"x"}]"#) else { panic!() };
        assert_eq!(records.iter().map(|r| r.status).collect::<Vec<_>>(), [200, 502]);
        assert_eq!(parse("["), Parsed::Header);
        assert_eq!(status_of(r#"[{"status":201},"#), Some((201, Origin::Json)));
        assert_eq!(status_of(r#"  {"status":202},"#), Some((202, Origin::Json)));
        assert_eq!(status_of(r#"{"status":203}]"#), Some((203, Origin::Json)));
    }

    #[test]
    fn a_wrapped_line_is_handed_back() {
        let docker =
            r#"{"log":"1.2.3.4 - - [07/Feb/2020:11:48:51 +0000] \"GET / HTTP/1.1\" 200 1\n","stream":"stdout"}"#;
        let Parsed::Inner(inner) = parse(docker) else { panic!() };
        assert!(inner.starts_with(b"1.2.3.4 - - [07/Feb") && inner.ends_with(b"200 1\n"));
    }

    #[test]
    fn a_field_given_on_the_command_line() {
        let mut parser = JsonLines::with_field("resp.code");
        let Parsed::Record(record) = parser.parse(br#"{"status":"ok","resp":{"code":418}}"#) else { panic!() };
        assert_eq!(record.status, 418);
        assert_eq!(parser.parse(br#"{"status":200}"#), Parsed::Reject(Reject::Status));
    }

    #[test]
    fn odd_values_do_not_fail_the_parse() {
        assert_eq!(parse(r#"{"status":"ok","msg":"x"}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"status":{"a":[1,2]}}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"msg":"hello"}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"status":5"#), Parsed::Reject(Reject::Layout));
        assert_eq!(parse("not json"), Parsed::Reject(Reject::Layout));
    }

    #[test]
    fn a_key_given_twice_is_read_by_its_first_value() {
        assert_eq!(status_of(r#"{"status":502,"msg":"a","status":200}"#), Some((502, Origin::Json)));
        assert_eq!(status_of(r#"{"http":{"status_code":null,"status_code":503}}"#), Some((503, Origin::Json)));
        assert_eq!(status_of(r#"{"EdgeResponseStatus":null,"status":200}"#), Some((200, Origin::Json)));
    }

    #[test]
    fn timestamps() {
        let time = |line: &str| match parse(line) {
            Parsed::Record(r) => r.time,
            _ => None,
        };
        assert_eq!(time(r#"{"status":200,"time":"2018-07-02T22:23:00Z"}"#), Some(1_530_570_180));
        assert_eq!(time(r#"{"status":200,"@timestamp":"10/Oct/2000:13:55:36 -0700"}"#), Some(971_211_336));
        assert_eq!(time(r#"{"status":200,"ts":1530570180.25}"#), Some(1_530_570_180));
    }
}
