//! One JSON object per line, with the status under one of its common names:
//! `status`, `status_code`, `statusCode`, `http.status_code` (nested or a dotted
//! key), `response_code`, or Cloudflare Logpush's `EdgeResponseStatus` (with
//! `OriginResponseStatus` kept as the status behind it).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::time::{from_epoch_number, parse_clf, parse_iso};
use super::{Origin, Parsed, Record, Reject};

#[derive(Debug, Default)]
pub struct JsonLines;

/// The fields looked at; every other one is skipped without allocating.
#[derive(Default)]
struct Line {
    edge: Option<Status>,
    origin: Option<Status>,
    status: Option<Status>,
    status_code: Option<Status>,
    status_code_camel: Option<Status>,
    http_dotted: Option<Status>,
    http: Option<Http>,
    response_code: Option<Status>,
    time: Option<Time>,
    timestamp: Option<Time>,
    at_timestamp: Option<Time>,
    ts: Option<Time>,
    edge_start: Option<Time>,
}

/// A key of a log line, as far as `Line` cares.
enum Key {
    Edge,
    Origin,
    Status,
    StatusCode,
    StatusCodeCamel,
    HttpDotted,
    Http,
    ResponseCode,
    Time,
    Timestamp,
    AtTimestamp,
    Ts,
    EdgeStart,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "EdgeResponseStatus" => Key::Edge,
                    "OriginResponseStatus" => Key::Origin,
                    "status" => Key::Status,
                    "status_code" => Key::StatusCode,
                    "statusCode" => Key::StatusCodeCamel,
                    "http.status_code" => Key::HttpDotted,
                    "http" => Key::Http,
                    "response_code" => Key::ResponseCode,
                    "time" => Key::Time,
                    "timestamp" => Key::Timestamp,
                    "@timestamp" => Key::AtTimestamp,
                    "ts" => Key::Ts,
                    "EdgeStartTimestamp" => Key::EdgeStart,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// Reads the value into `slot` until it holds one: `null` counts as absent.
/// Some loggers write a key twice (a field added by middleware and again by the
/// handler); the line is still read, by the key's first value, rather than
/// rejected.
fn first<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut Option<T>) -> Result<(), A::Error> {
    if slot.is_some() {
        map.next_value::<IgnoredAny>()?;
    } else {
        *slot = map.next_value::<Option<T>>()?;
    }
    Ok(())
}

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LineVisitor;
        impl<'de> Visitor<'de> for LineVisitor {
            type Value = Line;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
                let mut line = Line::default();
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        Key::Edge => first(&mut map, &mut line.edge)?,
                        Key::Origin => first(&mut map, &mut line.origin)?,
                        Key::Status => first(&mut map, &mut line.status)?,
                        Key::StatusCode => first(&mut map, &mut line.status_code)?,
                        Key::StatusCodeCamel => first(&mut map, &mut line.status_code_camel)?,
                        Key::HttpDotted => first(&mut map, &mut line.http_dotted)?,
                        Key::Http => first(&mut map, &mut line.http)?,
                        Key::ResponseCode => first(&mut map, &mut line.response_code)?,
                        Key::Time => first(&mut map, &mut line.time)?,
                        Key::Timestamp => first(&mut map, &mut line.timestamp)?,
                        Key::AtTimestamp => first(&mut map, &mut line.at_timestamp)?,
                        Key::Ts => first(&mut map, &mut line.ts)?,
                        Key::EdgeStart => first(&mut map, &mut line.edge_start)?,
                        Key::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(line)
            }
        }
        deserializer.deserialize_map(LineVisitor)
    }
}

impl JsonLines {
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Parsed<'a> {
        if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Parsed::Reject(Reject::Layout);
        }
        let Ok(fields) = serde_json::from_slice::<Line>(line) else { return Parsed::Reject(Reject::Layout) };
        let time = [fields.edge_start, fields.time, fields.timestamp, fields.at_timestamp, fields.ts]
            .into_iter()
            .flatten()
            .find_map(|t| t.0);
        let (status, origin, upstream) = if let Some(edge) = fields.edge {
            // Cloudflare writes 0 when no request went to the origin (a cache hit, a block).
            let behind = fields.origin.map(|s| s.0.filter(|&code| code != 0));
            (edge.0, Origin::Cloudflare, Some(behind.unwrap_or(None)))
        } else {
            let generic = [
                fields.status,
                fields.status_code,
                fields.status_code_camel,
                fields.http_dotted,
                fields.http.and_then(|h| h.0),
                fields.response_code,
            ]
            .into_iter()
            .flatten()
            .find_map(|s| s.0);
            match (generic, fields.origin) {
                (Some(status), _) => (Some(status), Origin::Json, None),
                (None, Some(origin)) => (origin.0, Origin::Cloudflare, None),
                (None, None) => return Parsed::Reject(Reject::Status),
            }
        };
        match status {
            Some(status) => Parsed::Record(Record { status, origin, time, upstream, signal: None }),
            None => Parsed::Reject(Reject::Status),
        }
    }
}

/// A status written as a number or a string; anything else reads as "no status"
/// rather than failing the whole line.
struct Status(Option<u16>);

/// The `http` object; only its `status_code` matters.
struct Http(Option<Status>);

/// A timestamp: RFC 3339 text, common log format text, or epoch (s, ms, µs, ns).
struct Time(Option<i64>);

fn status_from_number(value: f64) -> Option<u16> {
    (value.fract() == 0.0 && (0.0..=999.0).contains(&value)).then_some(value as u16)
}

fn status_from_text(text: &str) -> Option<u16> {
    (!text.is_empty() && text.len() <= 3 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Visits any JSON value, keeping what `from_number` / `from_text` make of
/// scalars and draining objects and arrays.
macro_rules! scalar_visitor {
    ($name:ident, $target:ident, $number:expr, $text:expr) => {
        impl<'de> Deserialize<'de> for $target {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct $name;
                impl<'de> Visitor<'de> for $name {
                    type Value = $target;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a JSON value")
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$target, E> {
                        Ok($target($number(v as f64)))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$target, E> {
                        Ok($target($number(v as f64)))
                    }
                    fn visit_f64<E: de::Error>(self, v: f64) -> Result<$target, E> {
                        Ok($target($number(v)))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$target, E> {
                        Ok($target($text(v)))
                    }
                    fn visit_bool<E: de::Error>(self, _: bool) -> Result<$target, E> {
                        Ok($target(None))
                    }
                    fn visit_unit<E: de::Error>(self) -> Result<$target, E> {
                        Ok($target(None))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$target, A::Error> {
                        while seq.next_element::<IgnoredAny>()?.is_some() {}
                        Ok($target(None))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$target, A::Error> {
                        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                        Ok($target(None))
                    }
                }
                deserializer.deserialize_any($name)
            }
        }
    };
}

scalar_visitor!(StatusVisitor, Status, status_from_number, status_from_text);
scalar_visitor!(TimeVisitor, Time, from_epoch_number, |text: &str| parse_iso(text.as_bytes())
    .or_else(|| parse_clf(text.as_bytes())));

impl<'de> Deserialize<'de> for Http {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HttpVisitor;
        impl<'de> Visitor<'de> for HttpVisitor {
            type Value = Http;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Http, A::Error> {
                let mut status = None;
                while let Some(key) = map.next_key::<Key>()? {
                    match key {
                        // Keys are named as at the top level: `status_code` here.
                        Key::StatusCode => first(&mut map, &mut status)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Http(status))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Http, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Http(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Http, E> {
                Ok(Http(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Http, E> {
                Ok(Http(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Http, E> {
                Ok(Http(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Http, E> {
                Ok(Http(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Http, E> {
                Ok(Http(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Http, E> {
                Ok(Http(None))
            }
        }
        deserializer.deserialize_any(HttpVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Parsed<'_> {
        JsonLines.parse(line.as_bytes())
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
        assert_eq!(status_of(r#"{"OriginResponseStatus":520}"#), Some((520, Origin::Cloudflare)));
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
    fn odd_values_do_not_fail_the_parse() {
        assert_eq!(parse(r#"{"status":"ok","msg":"x"}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"status":{"a":[1,2]}}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"http":"x","status":1000}"#), Parsed::Reject(Reject::Status));
        assert_eq!(parse(r#"{"msg":"hello"}"#), Parsed::Reject(Reject::Status));
        assert_eq!(status_of(r#"{"status":"ok","status_code":201}"#), Some((201, Origin::Json)));
        assert_eq!(parse(r#"{"status":5"#), Parsed::Reject(Reject::Layout));
        assert_eq!(parse("not json"), Parsed::Reject(Reject::Layout));
    }

    #[test]
    fn a_key_given_twice_is_read_by_its_first_value() {
        assert_eq!(status_of(r#"{"status":502,"msg":"a","status":200}"#), Some((502, Origin::Json)));
        assert_eq!(status_of(r#"{"msg":"a","msg":"b","status_code":404}"#), Some((404, Origin::Json)));
        assert_eq!(status_of(r#"{"http":{"status_code":503,"status_code":200}}"#), Some((503, Origin::Json)));
        // null is no value: the next one counts, and a null Cloudflare field does
        // not make the line Cloudflare's.
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
