//! `statusbrowse overlay new CODE`: a commented overlay to start from, which
//! `overlay check` accepts as it is.

use std::fmt::Write;

use crate::catalogue::{Catalogue, Class};

/// A template for `code`: a note when the catalogue has the code, a new
/// meaning when it does not.
pub fn template(catalogue: &Catalogue, code: u16) -> String {
    let meanings: Vec<usize> = catalogue.indices_of_code(code).collect();
    let mut out = String::new();
    let _ = writeln!(out, "# A statusbrowse overlay. Keep it in your service's repository as");
    let _ = writeln!(out, "# .statusbrowse/NAME.toml, or in ~/.config/statusbrowse/overlays/;");
    let _ = writeln!(out, "# `statusbrowse overlay check FILE` validates it.\n");
    let _ = writeln!(out, "# Shown beside every note of this file; the file name when left out.");
    let _ = writeln!(out, "# label = \"payments\"\n");
    let Some(&first) = meanings.first() else {
        let class = Class::of_code(code);
        let _ = writeln!(out, "# {code:03} is not in the catalogue: this defines it (class {}).", class.label());
        let _ = writeln!(out, "[[meaning]]\ncode = {code}");
        let _ = writeln!(out, "phrase = \"Tenant Suspended\"");
        let _ = writeln!(out, "# Your gateway or service: the source tells this meaning from others.");
        let _ = writeln!(out, "source = \"Acme API gateway\"");
        let _ = writeln!(out, "summary = \"What the status means, in one sentence.\"");
        let _ = writeln!(out, "# Optional: explanation, aliases, checks, situations, avoid_when,");
        let _ = writeln!(out, "# related = [{{ code = 503, source = \"RFC 9110\" }}], retry_note, link.");
        let _ = writeln!(out, "checks = [\"The first thing to look at.\"]\n");
        let _ = writeln!(out, "# Notes, runbooks and error strings for it go in a [[note]], as for any code.");
        let _ = writeln!(out, "[[note]]\ncode = {code}\nsource = \"Acme API gateway\"");
        note_fields(&mut out, code);
        return out;
    };
    let entries = catalogue.entries();
    let _ = writeln!(out, "# Adds to {} ({}).", entries[first].title(), entries[first].source);
    let _ = writeln!(out, "[[note]]\ncode = {code}");
    if meanings.len() > 1 {
        let _ = writeln!(out, "# {code:03} has {} meanings; keep the one this note is about:", meanings.len());
        for &i in &meanings[1..] {
            let _ = writeln!(out, "# source = {:?}    # {}", entries[i].source, entries[i].phrase);
        }
    } else {
        let _ = writeln!(out, "# Optional while {code:03} has one meaning.");
    }
    let _ = writeln!(out, "source = {:?}", entries[first].source);
    note_fields(&mut out, code);
    out
}

fn note_fields(out: &mut String, code: u16) {
    let _ = writeln!(out, "# Short paragraphs, separated by blank lines.");
    let _ = writeln!(out, "text = \"\"\"\nWhat {code:03} means for your service, and what to check first.\n\"\"\"");
    let _ = writeln!(out, "owner = \"#your-team-oncall\"");
    let _ = writeln!(out, "# http and https links are clickable in terminals that support it.");
    let _ = writeln!(out, "runbooks = [{{ title = \"Runbook\", url = \"https://runbooks.example.com/{code:03}\" }}]");
    let _ = writeln!(out, "# Strings your software prints with it, verbatim: pasted into the search,");
    let _ = writeln!(out, "# they find this entry. Optional: form (\"error-log\", \"response-body\"...),");
    let _ = writeln!(out, "# meaning, reference.");
    let _ = writeln!(out, "signals = [{{ text = \"YOUR_SERVICE_ERROR_CODE\", emitter = \"your-service\" }}]");
    let _ = writeln!(out, "tags = [\"your-service\"]");
}
