//! Parses and validates the embedded catalogue at compile time and stores it
//! as Rust statics (src/catalogue/stored.rs) with its search index as bytes
//! (src/search/index/stored.rs), so the program starts with the catalogue in
//! place and reads the index back, instead of parsing the JSON and tokenising
//! the whole catalogue while someone waits.

// Only `Catalogue::from_assets`, `Catalogue::to_rust`, `Index::new` and `Index::to_bytes` are called here;
// the rest of these modules is the crate's.
#![allow(dead_code, unused_imports)]

#[path = "src/catalogue/mod.rs"]
mod catalogue;
#[path = "src/search/index/mod.rs"]
mod index;
#[path = "src/search/tokens.rs"]
mod tokens;
#[path = "src/varint.rs"]
mod varint;

/// The catalogue module reads the stored catalogue from here; this script is
/// what writes it, so it has none and calls `Catalogue::from_assets`.
const STORED_CATALOGUE: Option<&[catalogue::Entry]> = None;

use std::path::PathBuf;

fn main() {
    for input in ["assets", "src/catalogue", "src/search/index", "src/search/tokens.rs", "src/varint.rs"] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));
    // An invalid catalogue is reported by the binary and the tests, which name
    // the file, entry and field; the JSON is then parsed, and the index built, at run time instead.
    let (catalogue, index) = match catalogue::Catalogue::from_assets() {
        Ok(catalogue) => (catalogue.to_rust(), index::Index::new(catalogue.entries()).to_bytes()),
        Err(error) => {
            // A cargo directive is one line.
            let error = error.to_string().replace('\n', " ");
            println!("cargo::warning=catalogue not stored or indexed at build time: {error}");
            ("None".to_string(), Vec::new())
        }
    };
    std::fs::write(out_dir.join("catalogue.rs"), catalogue).expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("index.bin"), index).expect("OUT_DIR is writable");
}
