//! The measured figures and `docs/BENCHMARKS.md`: one marked section per suite, replaced on each run.

use std::fmt::Write as _;
use std::path::Path;

use crate::Mode;

pub struct Figure {
    pub id: &'static str,
    pub name: String,
    /// Filled by [`Section::markdown`] from the section's command when empty.
    pub command: String,
    pub setup: String,
    pub goal: String,
    pub measured: String,
    pub baseline: String,
    pub ratio: String,
    /// `None` for context figures without a goal.
    pub met: Option<bool>,
}

pub struct Section {
    pub suite: &'static str,
    pub mode: Mode,
    pub figures: Vec<Figure>,
    pub notes: Vec<String>,
}

impl Section {
    pub fn new(suite: &'static str, mode: Mode) -> Section {
        Section { suite, mode, figures: Vec::new(), notes: Vec::new() }
    }

    pub fn note(&mut self, text: &str) {
        self.notes.push(text.to_owned());
    }

    fn command(&self) -> String {
        let quick = if self.mode == Mode::Quick { " --quick" } else { "" };
        format!("cargo run --release -p mysapk-bench -- {}{quick}", self.suite)
    }

    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "<!-- BEGIN {} -->", self.suite);
        let _ = writeln!(out, "## Suite `{}`\n", self.suite);
        let _ = writeln!(
            out,
            "Command: `{}` · measured {} on {} ({} cores){}\n",
            self.command(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            std::env::consts::OS,
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            if self.mode == Mode::Quick { " · QUICK sizes, not figures" } else { "" }
        );
        out.push_str("| # | figure | goal | measured | baseline (same run) | ratio | goal met |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        for f in &self.figures {
            let met = match f.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                f.id, f.name, f.goal, f.measured, f.baseline, f.ratio, met
            );
        }
        out.push_str("\n### Setup\n\n");
        let mut seen: Vec<&str> = Vec::new();
        for f in &self.figures {
            if seen.contains(&f.setup.as_str()) {
                continue;
            }
            seen.push(&f.setup);
            let command = if f.command.is_empty() { self.command() } else { f.command.clone() };
            let _ = writeln!(out, "- **{}** ({}; `{command}`): {}", f.id, f.name, f.setup);
        }
        for n in &self.notes {
            let _ = writeln!(out, "- {n}");
        }
        let _ = writeln!(out, "<!-- END {} -->", self.suite);
        out
    }

    pub fn print_table(&self) {
        for f in &self.figures {
            let met = match f.met {
                Some(true) => "met",
                Some(false) => "MISSED",
                None => "-",
            };
            println!(
                "{:<4} {:<60} {} | baseline {} | {} | goal {} [{met}]",
                f.id, f.name, f.measured, f.baseline, f.ratio, f.goal
            );
        }
        for n in &self.notes {
            println!("note: {n}");
        }
    }
}

const HEADER: &str = "# Benchmarks\n\n\
Written by `mysapk-bench` (crate `bench/`); each suite replaces only its own section. The machine is shared and \
noisy: every figure has a baseline measured in the same run, and the ratio is the figure to compare across runs. \
Benchmarks are measurements, never pass/fail tests. Goals from the project's issue; published figures to compare \
with are in the design notes (§2): PowerSync initial sync 27.6k rows/s on a desktop, Replicache write+commit < 1 ms.\n\n";

/// Replace (or append) the section of `section.suite` in the file at `path`.
pub fn update(path: &Path, section: &Section) -> anyhow::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let body = if old.trim().is_empty() { HEADER.to_owned() } else { old };
    let new = replace_section(&body, section.suite, &section.markdown());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, new)?;
    Ok(())
}

fn replace_section(doc: &str, suite: &str, text: &str) -> String {
    let begin = format!("<!-- BEGIN {suite} -->");
    let end = format!("<!-- END {suite} -->");
    match (doc.find(&begin), doc.find(&end)) {
        (Some(b), Some(e)) if e > b => {
            let after = e + end.len();
            let rest = doc[after..].strip_prefix('\n').unwrap_or(&doc[after..]);
            format!("{}{}{}", &doc[..b], text, rest)
        }
        _ => {
            let sep = if doc.ends_with("\n\n") {
                ""
            } else if doc.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{doc}{sep}{text}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_replaced_in_place() {
        let doc = "# B\n\n<!-- BEGIN a -->\nold a\n<!-- END a -->\n\n<!-- BEGIN b -->\nb\n<!-- END b -->\n";
        let new = replace_section(doc, "a", "<!-- BEGIN a -->\nnew a\n<!-- END a -->\n");
        assert_eq!(new, "# B\n\n<!-- BEGIN a -->\nnew a\n<!-- END a -->\n\n<!-- BEGIN b -->\nb\n<!-- END b -->\n");
        let added = replace_section("# B\n", "c", "<!-- BEGIN c -->\nc\n<!-- END c -->\n");
        assert_eq!(added, "# B\n\n<!-- BEGIN c -->\nc\n<!-- END c -->\n");
    }
}
