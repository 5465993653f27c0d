//! A JSON value as log lines need it: keys kept in their order (a key given
//! twice is read by its first non-null value, as some loggers write a field
//! twice), strings borrowed from the line when they hold no escapes, and
//! lookups by a dotted path that also match dotted keys (`http.status_code`
//! nested or written as one key).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Text(Cow<'a, str>),
    Array(Vec<Json<'a>>),
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Json<'de>, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json<'de>, E> {
                Ok(Json::Bool(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json<'de>, E> {
                Ok(Json::Number(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json<'de>, E> {
                Ok(Json::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json<'de>, E> {
                Ok(Json::Number(v))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Json<'de>, E> {
                Ok(Json::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Json<'de>, E> {
                Ok(Json::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Json<'de>, E> {
                Ok(Json::Text(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    entries.push((key.0, map.next_value()?));
                }
                Ok(Json::Object(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// An object key, borrowed when it can be.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Whether `key` spells the first segments of `path` joined by dots; the
/// number of segments it spells.
fn key_spells(key: &str, path: &[&str]) -> Option<usize> {
    let mut rest = key;
    for (used, segment) in path.iter().enumerate() {
        rest = rest.strip_prefix(segment)?;
        if rest.is_empty() {
            return Some(used + 1);
        }
        rest = rest.strip_prefix('.')?;
    }
    None
}

impl<'a> Json<'a> {
    /// The value at a dotted path, null counting as absent.
    pub fn get(&self, path: &[&str]) -> Option<&Json<'a>> {
        if path.is_empty() {
            return (*self != Json::Null).then_some(self);
        }
        let Json::Object(entries) = self else { return None };
        entries.iter().find_map(|(key, value)| key_spells(key, path).and_then(|used| value.get(&path[used..])))
    }

    /// A scalar as text: strings as they are, numbers without a needless `.0`.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        match self {
            Json::Text(text) => Some(text.clone()),
            Json::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(Cow::Owned(format!("{}", *n as i64))),
            Json::Number(n) => Some(Cow::Owned(n.to_string())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json<'_> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn paths_nested_and_dotted() {
        let value = parse(r#"{"http":{"response":{"status_code":502}},"url.path":"/a","a":{"b.c":{"d":1}}}"#);
        assert_eq!(value.get(&["http", "response", "status_code"]), Some(&Json::Number(502.0)));
        assert_eq!(value.get(&["url", "path"]).and_then(Json::text).as_deref(), Some("/a"));
        assert_eq!(value.get(&["a", "b", "c", "d"]), Some(&Json::Number(1.0)));
        assert_eq!(value.get(&["http", "nothing"]), None);
        assert_eq!(value.get(&["ur"]), None);
    }

    #[test]
    fn the_first_non_null_value_of_a_key_given_twice() {
        let value = parse(r#"{"status":null,"status":503,"status":200}"#);
        assert_eq!(value.get(&["status"]), Some(&Json::Number(503.0)));
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let line = r#"{"a":"plain","b":"esc\"aped"}"#;
        let value = parse(line);
        assert!(matches!(value.get(&["a"]), Some(Json::Text(Cow::Borrowed("plain")))));
        assert!(matches!(value.get(&["b"]), Some(Json::Text(Cow::Owned(_)))));
        assert_eq!(Json::Number(200.0).text().as_deref(), Some("200"));
    }
}
