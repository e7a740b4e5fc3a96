//! Documents: attached by content, uploaded in chunks before the proposals needing them, resumed after an
//! interruption or a restart, refused for good without blocking the queue, opened locally or fetched.

use base64::Engine;
use mysapk_model::document::{DocumentMime, DocumentRef, UPLOAD_CHUNK_BYTES};
use mysapk_model::record::OwnerFields;

use super::mock_server::{self, Shared};
use super::*;

/// A logged-in core talking to `url`, with tokens in the (mock) keystore.
pub(crate) fn core_at(dir: &Path, url: &str) -> Arc<Core> {
    drop(core_in(dir));
    secrets::save(
        NIP,
        &secrets::Tokens { access: secrets::Sensitive::new("a".into()), refresh: secrets::Sensitive::new("r".into()) },
    )
    .expect("tokens");
    Core::open(CoreConfig::new(dir.to_path_buf(), url)).expect("open")
}

/// A whole PDF of about `size` bytes.
fn big_pdf(size: usize, marker: u8) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n%".to_vec();
    b.resize(size.saturating_sub(7), marker);
    b.extend_from_slice(b"\n%%EOF\n");
    b
}

fn phone() -> UsulanAction {
    UsulanAction::ChangeOwnerFields { fields: OwnerFields { no_hp: Some("081234567890".into()), ..Default::default() } }
}

fn add_golongan() -> UsulanAction {
    UsulanAction::AddHistory { data: golongan("32") }
}

/// The account's document files (sealed; see `document_vault`).
fn files(dir: &Path) -> Vec<String> {
    files_of(dir, NIP)
}

fn files_of(dir: &Path, nip: &str) -> Vec<String> {
    match std::fs::read_dir(dir.join(format!("{nip}.documents"))) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

fn state_of(core: &Core, id: &str) -> LocalUsulan {
    core.beranda().expect("beranda").usulan.into_iter().find(|u| u.id == id).expect("usulan")
}

fn pushed_ids(server: &Shared) -> Vec<String> {
    mock_server_state(server)
        .pushed
        .iter()
        .filter_map(|m| match &m.op {
            MutationOp::Propose { usulan_id, .. } => Some(usulan_id.clone()),
            _ => None,
        })
        .collect()
}

fn mock_server_state(server: &Shared) -> std::sync::MutexGuard<'_, mock_server::MockState> {
    server.lock().expect("mock state")
}

#[test]
fn bad_content_is_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    for (bytes, code) in [
        (b"MZ\x90\x00 an executable named sk.pdf".to_vec(), "document.not_pdf_or_jpeg"),
        (b"<html><script>alert(1)</script></html>".to_vec(), "document.not_pdf_or_jpeg"),
        (pdf("x")[..20].to_vec(), "document.truncated"),
        (Vec::new(), "document.empty"),
        (big_pdf(3 * 1024 * 1024, b'x'), "document.too_large"),
    ] {
        let err = core.attach_document("sk.pdf", "x-sk-kp", &bytes).expect_err(code);
        assert_eq!(err.to_api_error().code, code);
    }
    let err = core.attach_document("sk.pdf", " ", &pdf("ok")).expect_err("no type");
    assert_eq!(err.to_api_error().field.as_deref(), Some("dokumen_id"));
    assert!(files(dir.path()).is_empty(), "nothing stored: {:?}", files(dir.path()));
    let rows: i64 = account(&core)
        .store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?))
        .expect("count");
    assert_eq!(rows, 0);
}

#[test]
fn the_same_content_is_stored_once_by_its_hash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let bytes = pdf("once");
    let a = core.attach_document("a.pdf", "x-sk-kp", &bytes).expect("attach");
    let b = core.attach_document("b.pdf", "x-sk-kp", &bytes).expect("attach again");
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(a.sha256, crate::documents::sha256_hex(&bytes));
    assert_eq!((a.mime, a.size), (DocumentMime::Pdf, bytes.len() as u64));
    assert_eq!(files(dir.path()), [a.sha256.as_str()]);
    let at_rest = std::fs::read(dir.path().join(format!("{NIP}.documents")).join(&a.sha256)).expect("file");
    assert!(!at_rest.windows(bytes.len()).any(|w| w == bytes.as_slice()), "sealed, not in clear");
}

#[test]
fn a_proposal_names_only_documents_on_the_device_and_those_the_kind_requires() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let codes = |e: CoreError| match e {
        CoreError::Validation(v) => v.into_iter().map(|v| v.code).collect::<Vec<_>>(),
        other => panic!("not a validation error: {other:?}"),
    };
    let err = core.propose(add_golongan(), Vec::new()).expect_err("no document");
    assert_eq!(codes(err), ["document.required"]);
    let ghost = DocumentRef {
        sha256: "b".repeat(64),
        dokumen_id: "x-sk-kp".into(),
        mime: DocumentMime::Pdf,
        size: 10,
        file_name: "sk.pdf".into(),
    };
    let err = core.propose(add_golongan(), vec![ghost]).expect_err("not attached");
    assert_eq!(codes(err), ["document.missing"]);
    let jabatan = core.attach_document("sk.pdf", "872", &pdf("jabatan")).expect("attach");
    let err = core.propose(add_golongan(), vec![jabatan]).expect_err("wrong type");
    assert!(codes(err).contains(&"document.wrong_type".to_owned()));
    assert!(outbox_rows(&core).is_empty(), "nothing queued");
    // The stored size and type win over what the caller claims.
    let mut doc = core.attach_document("sk.pdf", "x-sk-kp", &pdf("kp")).expect("attach");
    doc.size = 1;
    let u = core.propose(add_golongan(), vec![doc]).expect("propose");
    assert_eq!(u.documents[0].size, pdf("kp").len() as u64);
    assert_eq!(u.documents_waiting, 1);
}

#[tokio::test]
async fn an_interrupted_upload_resumes_where_the_server_stopped_also_after_a_restart() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let bytes = big_pdf(UPLOAD_CHUNK_BYTES * 2 + 1000, b'a');
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &bytes).expect("attach");
    let u = core.propose(add_golongan(), vec![doc.clone()]).expect("propose");
    // The first chunk arrives, the answer to the second is lost (the server stored it).
    mock_server_state(&server).lose_answer_after = Some(1);
    let err = core.sync_now().await.expect_err("interrupted");
    assert!(err.is_transient(), "{err:?}");
    assert_eq!(mock_server_state(&server).docs[&doc.sha256].len(), UPLOAD_CHUNK_BYTES * 2);
    assert!(pushed_ids(&server).is_empty(), "the proposal waits for its document");
    assert_eq!(state_of(&core, &u.id).state, UsulanState::Queued);
    assert_eq!(state_of(&core, &u.id).documents_waiting, 1);
    drop(core);

    // The app restarts; the upload continues from the server's count, not from zero.
    let core = Core::open(CoreConfig::new(dir.path().to_path_buf(), url.clone())).expect("reopen");
    core.sync_now().await.expect("sync");
    {
        let st = mock_server_state(&server);
        assert_eq!(st.docs[&doc.sha256], bytes, "the server holds the whole document");
        let offsets: Vec<u64> = st.patches.iter().map(|(_, o)| *o).collect();
        let chunk = UPLOAD_CHUNK_BYTES as u64;
        assert_eq!(offsets, [0, chunk, 2 * chunk], "each chunk sent once");
    }
    assert_eq!(pushed_ids(&server), [u.id.as_str()]);
    let after = state_of(&core, &u.id);
    assert_eq!((after.state, after.documents_waiting), (UsulanState::Submitted, 0));
    // A second proposal with the same document sends no byte again.
    core.propose(UsulanAction::AddHistory { data: golongan("33") }, vec![doc]).expect("again");
    core.sync_now().await.expect("sync");
    assert_eq!(mock_server_state(&server).patches.len(), 3);
    assert_eq!(pushed_ids(&server).len(), 2);
}

#[tokio::test]
async fn an_offset_the_server_disagrees_with_is_read_again() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let bytes = big_pdf(UPLOAD_CHUNK_BYTES + 10, b'b');
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &bytes).expect("attach");
    // The server already holds the first chunk but its first status answer says nothing.
    {
        let mut st = mock_server_state(&server);
        st.docs.insert(doc.sha256.clone(), bytes[..UPLOAD_CHUNK_BYTES].to_vec());
        st.stale_status_once = true;
    }
    core.propose(add_golongan(), vec![doc.clone()]).expect("propose");
    core.sync_now().await.expect("sync");
    let st = mock_server_state(&server);
    assert_eq!(st.docs[&doc.sha256], bytes);
    let offsets: Vec<u64> = st.patches.iter().map(|(_, o)| *o).collect();
    assert_eq!(offsets, [0, UPLOAD_CHUNK_BYTES as u64], "409, then on from the server's count");
    assert_eq!(st.pushed.len(), 1);
}

#[tokio::test]
async fn a_proposal_waits_for_its_documents_and_the_outbox_order_is_kept() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let first = core.propose(phone(), Vec::new()).expect("first");
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &pdf("wait")).expect("attach");
    let second = core.propose(add_golongan(), vec![doc]).expect("second");
    let third = core.propose(phone(), Vec::new()).expect("third");
    mock_server_state(&server).patch_unavailable = true;
    let err = core.sync_now().await.expect_err("upload unavailable");
    assert_eq!(err.code(), "server.unavailable");
    assert_eq!(pushed_ids(&server), [first.id.as_str()], "stops before the proposal waiting for a document");
    assert_eq!(core.status().pending, 2);
    assert_eq!(state_of(&core, &third.id).state, UsulanState::Queued);

    mock_server_state(&server).patch_unavailable = false;
    core.sync_now().await.expect("sync");
    assert_eq!(pushed_ids(&server), [first.id, second.id, third.id]);
    assert_eq!(core.status().pending, 0);
}

#[tokio::test]
async fn a_document_refused_for_good_refuses_its_proposals_and_the_queue_goes_on() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &pdf("refused")).expect("attach");
    let a = core.propose(add_golongan(), vec![doc.clone()]).expect("a");
    let b = core.propose(UsulanAction::AddHistory { data: golongan("33") }, vec![doc]).expect("b");
    let c = core.propose(phone(), Vec::new()).expect("c");
    mock_server_state(&server).refuse = Some("document.not_pdf_or_jpeg".into());
    core.sync_now().await.expect("the sync goes on");
    for id in [&a.id, &b.id] {
        let u = state_of(&core, id);
        assert_eq!(u.state, UsulanState::Rejected);
        assert_eq!(u.refusal.map(|v| v.code).as_deref(), Some("document.not_pdf_or_jpeg"));
    }
    assert_eq!(pushed_ids(&server), [c.id.as_str()]);
    assert_eq!(mock_server_state(&server).patches.len(), 1, "a refused document is not sent again");
    assert_eq!(core.status().pending, 0);
}

#[tokio::test]
async fn a_document_is_opened_locally_or_fetched_checked_and_kept() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);

    let mine = pdf("mine");
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &mine).expect("attach");
    let content = core.open_document(&doc.sha256).await.expect("local");
    assert_eq!((content.mime, content.content_base64), (DocumentMime::Pdf, b64(&mine)));

    // A reviewer opens an ASN's document: fetched once, then served from the device.
    let theirs = pdf("theirs");
    let sha = crate::documents::sha256_hex(&theirs);
    {
        let mut st = mock_server_state(&server);
        st.docs.insert(sha.clone(), theirs.clone());
        st.complete.insert(sha.clone(), true);
    }
    let content = core.open_document(&sha).await.expect("fetched");
    assert_eq!(content.content_base64, b64(&theirs));
    assert!(files(dir.path()).contains(&sha));
    mock_server_state(&server).docs.clear();
    assert_eq!(core.open_document(&sha).await.expect("cached").content_base64, b64(&theirs));

    // Content that does not match its hash is refused; a bad reference never reaches the network.
    let liar = "c".repeat(64);
    {
        let mut st = mock_server_state(&server);
        st.docs.insert(liar.clone(), pdf("not c"));
        st.complete.insert(liar.clone(), true);
    }
    assert_eq!(core.open_document(&liar).await.expect_err("mismatch").code(), "server.bad_response");
    assert!(!files(dir.path()).contains(&liar));
    assert_eq!(core.open_document("../etc").await.expect_err("bad ref").to_api_error().code, "document.invalid_ref");
    assert_eq!(core.open_document(&"d".repeat(64)).await.expect_err("unknown").code(), "document.not_found");
}

#[tokio::test]
async fn every_byte_on_the_server_but_not_finished_is_finished_with_an_empty_chunk() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let bytes = pdf("unfinished");
    let doc = core.attach_document("sk.pdf", "x-sk-kp", &bytes).expect("attach");
    mock_server_state(&server).docs.insert(doc.sha256.clone(), bytes.clone());
    core.propose(add_golongan(), vec![doc.clone()]).expect("propose");
    core.sync_now().await.expect("sync");
    let st = mock_server_state(&server);
    assert_eq!(st.patches, [(doc.sha256.clone(), bytes.len() as u64)]);
    assert_eq!(st.complete.get(&doc.sha256), Some(&true));
    assert_eq!(st.pushed.len(), 1);
}

#[tokio::test]
async fn another_account_on_the_device_cannot_open_a_document_through_the_shared_folder() {
    let (url, _server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let bytes = pdf("private");
    let doc = core.attach_document("ktp.pdf", "x-kk", &bytes).expect("attach");
    // Another account of this device: its own database, the same documents folder.
    let other = open_account(
        dir.path(),
        "199205152019032003",
        Some((&UserInfo { nip: "199205152019032003".into(), ..user() }, PASSWORD)),
    )
    .expect("account")
    .expect("user");
    *core.account.lock().expect("lock") = Some(Arc::new(other));
    let tokens =
        secrets::Tokens { access: secrets::Sensitive::new("b".into()), refresh: secrets::Sensitive::new("s".into()) };
    secrets::save("199205152019032003", &tokens).expect("tokens");
    let err = core.open_document(&doc.sha256).await.expect_err("not this account's");
    assert_eq!(err.code(), "document.not_found", "asked the server, which knows no such document for it");
}

#[tokio::test]
async fn documents_a_reviewer_opened_go_with_the_decision_and_at_logout() {
    use mysapk_model::usulan::Decision;

    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    // Its own user: it logs out (see `save_dummy_tokens_for`).
    let reviewer = UserInfo { nip: "198503102010011002".into(), roles: vec![Role::Asn, Role::Verifikator], ..user() };
    let account = open_account(dir.path(), &reviewer.nip, Some((&reviewer, PASSWORD))).expect("account").expect("user");
    *core.account.lock().expect("lock") = Some(Arc::new(account));
    super::save_dummy_tokens_for(&reviewer.nip);
    let mine = core.attach_document("sk.pdf", "x-sk-kp", &pdf("mine")).expect("attach");

    // Two proposals of another ASN, each with a document the reviewer opens from the server.
    let docs: Vec<(String, Vec<u8>)> = ["first", "second"]
        .iter()
        .map(|s| {
            let bytes = pdf(s);
            (crate::documents::sha256_hex(&bytes), bytes)
        })
        .collect();
    let mut items = Vec::new();
    for (i, (sha, bytes)) in docs.iter().enumerate() {
        let mut st = mock_server_state(&server);
        st.docs.insert(sha.clone(), bytes.clone());
        st.complete.insert(sha.clone(), true);
        drop(st);
        let mut it =
            super::review_queue::item(&format!("u{i}"), UsulanState::Submitted, "Bagian Umum", 3, golongan("32"));
        it.usulan.documents = vec![DocumentRef {
            sha256: sha.clone(),
            dokumen_id: "x-sk-kp".into(),
            mime: DocumentMime::Pdf,
            size: bytes.len() as u64,
            file_name: "sk.pdf".into(),
        }];
        items.push(super::review_queue::change(it));
    }
    pull(&core, "1", items);
    for (sha, _) in &docs {
        core.open_document(sha).await.expect("fetched for review");
        assert!(files_of(dir.path(), &reviewer.nip).contains(sha));
    }
    core.decide("u0", Decision::Verify, None).expect("decide");
    assert!(!files_of(dir.path(), &reviewer.nip).contains(&docs[0].0), "the decided proposal's document is gone");
    assert!(files_of(dir.path(), &reviewer.nip).contains(&docs[1].0), "the other one waits for its decision");
    core.logout().await.expect("logout");
    assert_eq!(
        files_of(dir.path(), &reviewer.nip),
        [mine.sha256.as_str()],
        "at logout only the user's own document stays"
    );
}
