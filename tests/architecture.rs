//! Each module imports only the layers below it: `app` and `cli` never reach into
//! `ui`, nothing below `app` reaches into `app`, and so on (the README's "How it
//! is built" lists the layers).

use std::fs;
use std::path::Path;

/// Top-level modules from the top layer down; a module may use those after it.
const LAYERS: &[&[&str]] = &[
    &["tui"],
    &["ui"],
    &["app", "cli"],
    &["view"],
    &["keymap"],
    &["action", "edit", "history", "export"],
    &["search", "tally", "overlay"],
    &["catalogue"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `crate::name` a source file refers to.
fn crate_imports(source: &str) -> Vec<String> {
    source
        .match_indices("crate::")
        .map(|(at, needle)| {
            let rest = &source[at + needle.len()..];
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
        })
        .collect()
}

fn check_dir(dir: &Path, violations: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            check_dir(&path, violations);
            continue;
        }
        let relative = path.strip_prefix("src").unwrap();
        let module = relative.components().next().unwrap().as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs");
        let Some(own) = layer_of(module) else { continue };
        for import in crate_imports(&fs::read_to_string(&path).unwrap()) {
            match layer_of(&import) {
                Some(layer) if layer < own => {
                    violations.push(format!("{} imports crate::{import} from a layer above it", path.display()))
                }
                Some(layer) if layer == own && import != module => {
                    violations.push(format!("{} imports crate::{import} from its own layer", path.display()))
                }
                _ => {}
            }
        }
    }
}

#[test]
fn modules_import_only_the_layers_below_them() {
    let mut violations = Vec::new();
    check_dir(Path::new("src"), &mut violations);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn every_module_has_a_layer() {
    let lib = fs::read_to_string("src/lib.rs").unwrap();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let module = line.trim_end_matches(';');
        assert!(
            layer_of(module).is_some(),
            "src/lib.rs declares `{module}`, which tests/architecture.rs does not place"
        );
    }
}

/// With `autotests = false`, a test file that tests/main.rs does not declare
/// would never be compiled, let alone run.
#[test]
fn every_test_file_is_a_module_of_the_test_binary() {
    let main = fs::read_to_string("tests/main.rs").unwrap();
    let declared: Vec<&str> = main.lines().filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';')).collect();
    let mut missing = Vec::new();
    for entry in fs::read_dir("tests").unwrap() {
        let path = entry.unwrap().path();
        let module = if path.is_dir() {
            path.join("mod.rs").exists().then(|| path.file_name().unwrap().to_string_lossy().into_owned())
        } else if path.extension().is_some_and(|ext| ext == "rs") && !path.ends_with("main.rs") {
            Some(path.file_stem().unwrap().to_string_lossy().into_owned())
        } else {
            None
        };
        if let Some(module) = module.filter(|module| !declared.contains(&module.as_str())) {
            missing.push(module);
        }
    }
    assert!(missing.is_empty(), "tests/main.rs does not declare: {missing:?}");
}
