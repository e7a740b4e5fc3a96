//! What a copy of the device's data directory gives away: after a real login, a sync and proposals with a
//! document (one sent, one still queued), no file holds the ASN's NIK, name or the document's bytes in clear, and
//! on Unix the directory and every file in it are the owner's only.

use std::path::{Path, PathBuf};

use crate::support::{Backend, Bench, ASN, PASSWORD};
use crate::{add_golongan, d};

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

pub(crate) async fn a_copy_of_the_data_directory_reveals_nothing(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login");
    core.sync_now().await.expect("first sync");
    let profile = core.beranda().expect("beranda").profile.expect("profile after the sync");
    let nik = profile.verified.nik.clone().expect("the demo ASN has a NIK");
    let nama = profile.nama.clone();
    // A document with a marker no other bytes on the device could hold by chance.
    let marker = format!("LAMPIRAN-RAHASIA-{}", uuid::Uuid::new_v4().simple());
    let pdf = format!("%PDF-1.4\n% {marker}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes();
    let doc = core.attach_document("sk-kp.pdf", "x-sk-kp", &pdf).expect("attach");
    core.propose(add_golongan("33", d(2023, 4, 1)), vec![doc.clone()]).expect("propose, sent");
    core.sync_now().await.expect("send");
    core.propose(add_golongan("34", d(2025, 4, 1)), vec![doc]).expect("propose, still queued");
    assert_eq!(core.status().pending, 1, "one proposal waits in the outbox");
    drop(core);

    let dir = bench.device_dir("phone");
    let files = files_under(&dir);
    assert!(files.len() >= 3, "the database, its key copy and the document at least: {files:?}");
    let mut bytes_read = 0;
    for file in &files {
        let content = std::fs::read(file).expect("read");
        bytes_read += content.len();
        for (what, needle) in [("NIK", nik.as_bytes()), ("name", nama.as_bytes()), ("document", marker.as_bytes())] {
            assert!(!contains(&content, needle), "{what} in clear in {}", file.display());
        }
        assert!(!contains(&content, &pdf), "the document's bytes in {}", file.display());
    }
    eprintln!(
        "at rest: {} files, {bytes_read} bytes searched for the NIK, the name and the document: none",
        files.len()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700, "the data directory");
        for file in &files {
            assert_eq!(mode(file) & 0o077, 0, "{} is readable by others: {:o}", file.display(), mode(file));
        }
    }
    // The data is all there for its owner: the next login sends the queued proposal.
    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login again");
    core.sync_now().await.expect("sync");
    assert_eq!(core.status().pending, 0);
    drop(core);
    bench.finish().await;
}
