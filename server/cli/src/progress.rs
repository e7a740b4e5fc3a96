//! The commands' progress bars.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar in `template` whose length is learnt from the work (`progress(done, total)`).
pub fn progress_bar(template: &str) -> (ProgressBar, impl Fn(u64, u64) + Send + Sync) {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    let handle = bar.clone();
    let progress = move |done: u64, total: u64| {
        handle.set_length(total);
        handle.set_position(done);
    };
    (bar, progress)
}
