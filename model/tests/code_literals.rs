//! Every error code is written once, in the registry (`model/src/codes.rs`): product code of every crate names
//! codes through `Code`, never as a string literal. Test code may spell them out.

use std::path::{Path, PathBuf};

use mysapk_model::Code;

/// The product sources of the workspace (tests live in `tests/` folders, `tests.rs` files and `#[cfg(test)]`
/// modules, which this check skips).
const SOURCE_DIRS: &[&str] = &["model/src", "core/src", "server/src", "src-tauri/src", "seed/src", "server/cli/src"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "tests") {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(path);
        }
    }
}

/// The string literals of `source` before its first `#[cfg(test)]`, with their line numbers.
fn literals(source: &str) -> Vec<(usize, String)> {
    let product = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    for (n, line) in product.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut parts = code.split('"');
        parts.next();
        while let (Some(inside), Some(_)) = (parts.next(), Some(())) {
            out.push((n + 1, inside.to_owned()));
            if parts.next().is_none() {
                break;
            }
        }
    }
    out
}

#[test]
fn no_error_code_is_spelled_outside_the_registry() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in SOURCE_DIRS {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} source files under {root:?}", files.len());
    let registry = root.join("model/src/codes.rs");
    let mut found = Vec::new();
    for file in files.iter().filter(|f| f.canonicalize().ok() != registry.canonicalize().ok()) {
        let source = std::fs::read_to_string(file).unwrap_or_default();
        for (line, literal) in literals(&source) {
            if Code::parse(&literal).is_some() {
                found.push(format!("{}:{line}: \"{literal}\"", file.strip_prefix(&root).unwrap_or(file).display()));
            }
        }
    }
    assert!(found.is_empty(), "error codes spelled outside model/src/codes.rs (use `Code::…`):\n{}", found.join("\n"));
}
