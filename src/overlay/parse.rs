//! An overlay file's TOML, read record by record: a note with a wrong field costs
//! that note, not the file. Every mistake keeps the byte span it is about, so it
//! can be reported as file:line:column.

use std::ops::Range;

use serde::Deserialize;
use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::catalogue::{Delivery, Generator, Lifecycle, Recommendation, Related, Retry, SignalForm};

/// Something wrong in a file, and the bytes it is about.
pub type Mistake = (Range<usize>, String);

/// `[[note]]`: adds to a meaning the catalogue (or an overlay) already has.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteRecord {
    pub code: Spanned<u16>,
    /// Needed only when the number has several meanings.
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub text: String,
    pub owner: Option<String>,
    #[serde(default)]
    pub runbooks: Vec<RunbookRecord>,
    #[serde(default)]
    pub signals: Vec<Spanned<SignalRecord>>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookRecord {
    pub title: String,
    pub url: String,
}

/// A string the team's software prints, like a catalogue signal; only the text
/// and the emitter are required.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalRecord {
    pub text: String,
    pub emitter: String,
    #[serde(default = "message_form")]
    pub form: SignalForm,
    pub meaning: Option<String>,
    pub reference: Option<String>,
}

fn message_form() -> SignalForm {
    SignalForm::Message
}

/// `[[meaning]]`: a new entry, such as an internal code of the team's gateway.
/// Only code, phrase, source and summary are required; the class follows from
/// the number.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeaningRecord {
    pub code: Spanned<u16>,
    pub phrase: Spanned<String>,
    pub source: Spanned<String>,
    pub summary: Spanned<String>,
    #[serde(default)]
    pub explanation: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub checks: Vec<String>,
    #[serde(default)]
    pub situations: Vec<String>,
    #[serde(default)]
    pub avoid_when: Vec<String>,
    #[serde(default)]
    pub related: Vec<Spanned<Related>>,
    pub lifecycle: Option<Lifecycle>,
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub generated_by: Vec<Generator>,
    pub delivery: Option<Delivery>,
    #[serde(default)]
    pub generator_note: String,
    pub retry: Option<Retry>,
    #[serde(default)]
    pub retry_note: String,
    pub reference: Option<String>,
    pub link: Option<String>,
}

/// What could be read from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The name shown beside the file's notes; the file name when not given.
    pub label: Option<String>,
    pub notes: Vec<Spanned<NoteRecord>>,
    pub meanings: Vec<Spanned<MeaningRecord>>,
}

/// Reads a file's text; what cannot be read goes to `mistakes`.
pub fn parse(text: &str, mistakes: &mut Vec<Mistake>) -> Parsed {
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let mut message = err.message().trim().to_string();
            // The parser says only "duplicate key": name it.
            if let Some(key) = text.get(span.clone()).filter(|_| message == "duplicate key") {
                message = format!("duplicate key `{}`", key.trim());
            }
            mistakes.push((span, message));
            return Parsed::default();
        }
    };
    let mut parsed = Parsed::default();
    for (key, value) in root {
        match key.get_ref().as_ref() {
            "label" => match value.get_ref().as_str() {
                Some(label) => parsed.label = Some(label.to_string()),
                None => mistakes.push((value.span(), "`label` must be a string".to_string())),
            },
            "note" => records(value, "note", &mut parsed.notes, mistakes),
            "meaning" => records(value, "meaning", &mut parsed.meanings, mistakes),
            other => mistakes
                .push((key.span(), format!("unknown key `{other}`: an overlay has `label`, [[note]] and [[meaning]]"))),
        }
    }
    parsed
}

/// Each table of an array of tables (`[[note]]`) read on its own.
fn records<T: DeserializeOwned>(
    value: Spanned<DeValue>,
    name: &str,
    out: &mut Vec<Spanned<T>>,
    mistakes: &mut Vec<Mistake>,
) {
    let span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        mistakes.push((span, format!("`{name}` must be an array of tables: write [[{name}]]")));
        return;
    };
    for item in items {
        let span = item.span();
        match T::deserialize(item.into_deserializer()) {
            Ok(record) => out.push(Spanned::new(span, record)),
            Err(err) => mistakes.push((err.span().unwrap_or(span), in_words(err.message()))),
        }
    }
}

/// serde's message, with the Rust type a code is read as put in the file's terms.
fn in_words(message: &str) -> String {
    message.trim().replace("expected u16", "expected a status code from 0 to 999")
}
