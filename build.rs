//! Builds the search index of the embedded catalogue at compile time, so the
//! first search reads it back (src/search/index/stored.rs) instead of
//! tokenising the whole catalogue while someone waits.

// Only `Catalogue::embedded`, `Index::new` and `Index::to_bytes` are called here;
// the rest of these modules is the crate's.
#![allow(dead_code, unused_imports)]

#[path = "src/catalogue/mod.rs"]
mod catalogue;
#[path = "src/search/index/mod.rs"]
mod index;
#[path = "src/search/tokens.rs"]
mod tokens;

use std::path::PathBuf;

fn main() {
    for input in ["assets", "src/catalogue", "src/search/index", "src/search/tokens.rs"] {
        println!("cargo::rerun-if-changed={input}");
    }
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));
    // An invalid catalogue is reported by the binary and the tests, which name
    // the file, entry and field; the index is then built at run time instead.
    let bytes = match catalogue::Catalogue::embedded() {
        Ok(catalogue) => index::Index::new(catalogue.entries()).to_bytes(),
        Err(error) => {
            // A cargo directive is one line.
            let error = error.to_string().replace('\n', " ");
            println!("cargo::warning=catalogue not indexed at build time: {error}");
            Vec::new()
        }
    };
    std::fs::write(out_dir.join("index.bin"), bytes).expect("OUT_DIR is writable");
}
