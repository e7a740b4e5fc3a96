//! The error-code registry (`model/src/codes.rs`) rendered into `ui/src/gen/codes.ts`: the UI's catalogues read
//! the same texts as the core and the server.
//!
//! Fails when the committed file differs from what the registry renders (drift). To refresh:
//! `UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --test ts_codes`.

use std::fmt::Write as _;
use std::path::PathBuf;

use mysapk_model::Code;

fn render() -> String {
    let mut out = String::from(
        "// Generated from the error-code registry (model/src/codes.rs) by model/tests/ts_codes.rs. Do not edit.\n\
         // Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --test ts_codes\n\n",
    );
    let names: Vec<String> = Code::ALL.iter().map(|c| format!("  | '{}'", c.as_str())).collect();
    let _ = writeln!(
        out,
        "/** Every code the device or the server can answer. */\nexport type ErrorCode =\n{};\n",
        names.join("\n")
    );
    out.push_str("/** The registry's text of every code, per language. */\n");
    out.push_str("export const CODE_TEXT: { id: Record<ErrorCode, string>; en: Record<ErrorCode, string> } = {\n");
    for (lang, text) in [("id", Code::message_id as fn(Code) -> &'static str), ("en", Code::message_en)] {
        let _ = writeln!(out, "  {lang}: {{");
        for code in Code::ALL {
            let json = serde_json::to_string(text(*code)).unwrap_or_default();
            let _ = writeln!(out, "    '{}': {json},", code.as_str());
        }
        out.push_str("  },\n");
    }
    out.push_str("};\n");
    out
}

#[test]
fn codes_match_the_committed_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen/codes.ts");
    let rendered = render();
    if std::env::var_os("UPDATE_IPC_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "ui/src/gen/codes.ts differs from the registry; refresh it with \
         UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --test ts_codes"
    );
}
