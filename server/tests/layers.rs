//! The server's modules form layers in one direction: `http` → services → `db`.
//!
//! Reads every `server/src/**/*.rs`, collects the `crate::<top>` references of each top-level module (`use
//! crate::…` items and inline `crate::x::` paths; comments do not count, `super::` stays inside a module), and
//! checks that
//! - no module depends on one that depends back on it, directly or through others (no cycle);
//! - `db` depends on nothing but `error` (SQL only: no cache, hub or service);
//! - no module but the crate root depends on `http`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for the crate root and the binary).
fn top_module(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" => None,
        name => Some(name.trim_end_matches(".rs").to_owned()),
    }
}

/// The code of a file without its comments (line comments, doc comments, block comments).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else if let Some(after) = rest.strip_prefix("'\"'") {
            // The character literal of a double quote is not the start of a string.
            out.push_str("' '");
            rest = after;
        } else if rest.starts_with('"') {
            // Skip a string literal (its text may hold `//` or `crate::`).
            let mut chars = rest.char_indices().skip(1);
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            out.push_str("\"\"");
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().expect("not empty");
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules named by `crate::x` and `crate::{x, y::z, …}` in `code`.
fn crate_references(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `mysapk_server::crate…` cannot happen, but `foocrate::` is not ours.
        }
        let after = code[at + "crate::".len()..].trim_start();
        if let Some(group) = after.strip_prefix('{') {
            // Names at depth 0 of the group.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && depth == 0 && !c.is_whitespace() => {
                        item_start = false;
                        let name = ident(&group[i..]);
                        if !name.is_empty() && name != "self" {
                            found.insert(name.to_owned());
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(after);
            if !name.is_empty() {
                found.insert(name.to_owned());
            }
        }
    }
    found
}

fn module_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let Some(module) = top_module(&src, &file) else { continue };
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let refs = crate_references(&without_comments(&text));
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(refs.into_iter().filter(|r| *r != module));
    }
    graph
}

/// A cycle of the graph as `a → b → … → a`, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

fn describe(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(m, deps)| format!("{m} → {}", deps.iter().cloned().collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_modules_form_no_cycle() {
    let graph = module_graph();
    assert!(graph.contains_key("db") && graph.contains_key("http"), "found the modules:\n{}", describe(&graph));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}\n\nthe module graph:\n{}", cycle.join(" → "), describe(&graph));
    }
}

#[test]
fn db_is_sql_only_and_nothing_calls_up_into_http() {
    let graph = module_graph();
    let db: Vec<&String> = graph["db"].iter().filter(|m| m.as_str() != "error").collect();
    assert!(db.is_empty(), "db depends on {db:?}: the storage layer calls no cache, hub or service");
    let into_http: Vec<&String> =
        graph.iter().filter(|(m, deps)| m.as_str() != "http" && deps.contains("http")).map(|(m, _)| m).collect();
    assert!(into_http.is_empty(), "{into_http:?} depend on http: only http chooses routes and statuses");
}

#[test]
fn references_are_read_from_uses_and_paths_but_not_comments() {
    let code = without_comments(
        "use crate::{admin, auth::{self, AuthUser}, db::{self, x}};\n/// [`crate::events`]\nlet s = \"crate::card\";\n\
         crate::services::evaluate(); use crate::review;",
    );
    let found: Vec<String> = crate_references(&code).into_iter().collect();
    assert_eq!(found, ["admin", "auth", "db", "review", "services"]);
}

#[test]
fn a_cycle_is_found_and_named() {
    let graph: Graph = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
        .into_iter()
        .map(|(m, deps)| (m.to_owned(), deps.into_iter().map(str::to_owned).collect()))
        .collect();
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
}
