//! Forwarding approved changes to SIASN: the outbox row queued with the approval, and the worker that sends it.
//!
//! - **Queue** ([`enqueue`]): in the approval's transaction, when this server forwards to SIASN, the change
//!   becomes a save body ([`mysapk_model::siasn::forward::plan`]) in `siasn_outbox`, and the proposal's SIASN step
//!   becomes `pending`; a change SIASN cannot take gets `not_forwardable` with the reason, and, when SIASN must
//!   be changed by hand (`NotForwardable::needs_manual_entry`), a row in state `manual` that the worker never
//!   claims: it holds the record against the import until an admin marks it entered ([`mark_entered_in`]).
//! - **Send** ([`Worker::run_once`]): a node claims a due row with a lease (a conditional `UPDATE`, see
//!   [`crate::db::siasn_outbox`]), uploads the documents (`/upload-dok`, multipart, each kept once uploaded),
//!   notes `sent_at`, posts the `…/save` with their `path`, then stores the outcome in one write transaction: the
//!   row, the proposal's step (logged, so the ASN's device pulls it) and SIASN's id on the official record.
//! - **Retries**: a retryable failure (network, 5xx, 429, an expired token the client could not renew) is tried
//!   again after an exponential backoff, up to `max_attempts`, then `failed` with the last message; SIASN's
//!   refusal (`success: false`) is `failed` at once with SIASN's message. An admin may send a failed one again.
//! - **Never twice**: a row is claimed by one node at a time. A claim that finds `sent_at` set (a node died after
//!   sending, before storing the answer) does not send blindly: an edit (`id` set) or a data-utama update is sent
//!   again (SIASN overwrites the same riwayat); a new riwayat is first looked for in SIASN's read list of that
//!   kind by its identifying fields (a new spouse or child in `data-pasangan` / `data-anak` by name and birth
//!   date) and, when found, its id is stored instead of sending again.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use mysapk_model::document::DocumentRef;
use mysapk_model::history::HistoryData;
use mysapk_model::record::Profile;
use mysapk_model::siasn::forward::{find_sent, lost_answer_check, plan, ForwardContext, SiasnStep};
use mysapk_model::siasn::write::{upload_field, DokumenPath, SaveAnswer, UploadAnswer, WriteEndpoint};
use mysapk_model::usulan::{Usulan, UsulanAction};
use serde_json::Value;
use sqlx::AnyPool;

use crate::db::siasn_outbox::{self as outbox_db, NewRow, OutboxRow, Outcome, Start};
use crate::db::{self, records, usulan as usulan_db, AfterCommit, WriteTx, ENTITY_HISTORY, ENTITY_USULAN};
use crate::documents::store::BlobStore;
use crate::error::ServerError;

/// A SIASN call that did not give an answer to act on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ApiFailure {
    /// Worth trying again later (network, 5xx, 429, token trouble); otherwise SIASN refused the request itself.
    pub retryable: bool,
    /// SIASN's "Data tidak ditemukan": for a read list, no record of that kind yet.
    pub not_found: bool,
    pub message: String,
}

/// A boxed future of a SIASN call.
pub type ApiFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, ApiFailure>> + Send + 'a>>;

/// The SIASN calls forwarding makes (the HTTP client of [`super::client`] in the server; tests may wrap it).
pub trait SiasnApi: Send + Sync {
    /// `GET path`: the answer's JSON.
    fn get_json<'a>(&'a self, path: &'a str) -> ApiFuture<'a>;
    /// `POST path` with a JSON body: the answer's JSON.
    fn post_json<'a>(&'a self, path: &'a str, body: &'a Value) -> ApiFuture<'a>;
    /// `POST path` multipart: the text `fields` and the file.
    fn upload<'a>(&'a self, path: &'a str, fields: &'a [(&'a str, String)], file: UploadFile) -> ApiFuture<'a>;
}

/// A document to upload.
#[derive(Debug, Clone)]
pub struct UploadFile {
    pub file_name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// How the worker paces itself.
#[derive(Debug, Clone)]
pub struct ForwardSettings {
    /// How long a claim holds a row: longer than a send can take (uploads included).
    pub lease: Duration,
    /// The wait after the first retryable failure; doubled each time up to `backoff_max`.
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// Retryable failures before the row is `failed`.
    pub max_attempts: u32,
    /// The pause of the loop when nothing is due.
    pub idle_poll: Duration,
}

impl Default for ForwardSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(600),
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(3600),
            max_attempts: 12,
            idle_poll: Duration::from_secs(5),
        }
    }
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Queue an approved proposal for SIASN in the approval's transaction (call only when this server forwards):
/// sets `u.siasn` and stores it. `record_id`: the official record the approval wrote, if any.
pub async fn enqueue(
    tx: &mut WriteTx<'_>,
    u: &mut Usulan,
    instansi_id: &str,
    record_id: Option<&str>,
) -> Result<(), ServerError> {
    let nip = u.nip.as_str().to_owned();
    let profile = records::get_profile(tx, &nip).await?;
    let record_siasn_id = match (&u.action, record_id) {
        (UsulanAction::ChangeHistory { .. }, Some(id)) => {
            records::get_history(tx, id).await?.and_then(|h| h.record.siasn_id)
        }
        _ => None,
    };
    let ctx = ForwardContext {
        pns_id: profile.as_ref().and_then(|p| p.siasn_pns_id.as_deref()),
        record_siasn_id: record_siasn_id.as_deref(),
        instansi_id: profile.as_ref().map_or(instansi_id, |p| p.instansi_id.as_str()),
    };
    let action = with_reference_ids(tx, &u.action, profile.as_ref(), ctx.instansi_id, record_id).await?;
    let now = now_ms();
    u.siasn = Some(match plan(&action, &u.documents, ctx) {
        Err(reason) => {
            if reason.needs_manual_entry() {
                // Kept so the import holds our value until the admin has entered it in SIASN.
                let profile = matches!(
                    u.action,
                    UsulanAction::ChangeOwnerFields { .. } | UsulanAction::ChangeVerifiedFields { .. }
                );
                let endpoint = if profile { outbox_db::MANUAL_PROFILE } else { outbox_db::MANUAL_RECORD };
                let row = NewRow {
                    usulan_id: &u.id,
                    nip: &nip,
                    instansi_id,
                    record_id,
                    endpoint,
                    body: "{}",
                    documents: "[]",
                    now,
                };
                outbox_db::insert(tx, &row, Start::Manual { reason: reason.as_str() }).await?;
            }
            SiasnStep::NotForwardable { reason }
        }
        Ok(forward) => {
            outbox_db::insert(
                tx,
                &NewRow {
                    usulan_id: &u.id,
                    nip: &nip,
                    instansi_id,
                    record_id,
                    endpoint: endpoint_name(forward.body.endpoint()),
                    body: &forward.body.to_json().to_string(),
                    documents: &serde_json::to_string(&forward.documents)?,
                    now,
                },
                Start::Pending,
            )
            .await?;
            SiasnStep::Pending { attempts: 0 }
        }
    });
    usulan_db::put_data(tx, u).await
}

/// The approved action with its position's reference ids filled in ([`super::resolve`]); the official record the
/// approval wrote gets them too, so the facade serves them and the import links SIASN's copy to it.
async fn with_reference_ids(
    tx: &mut WriteTx<'_>,
    action: &UsulanAction,
    profile: Option<&Profile>,
    instansi_id: &str,
    record_id: Option<&str>,
) -> Result<UsulanAction, ServerError> {
    let mut action = action.clone();
    let (UsulanAction::AddHistory { data: HistoryData::Jabatan(j) }
    | UsulanAction::ChangeHistory { data: HistoryData::Jabatan(j), .. }) = &mut action
    else {
        return Ok(action);
    };
    let Some(nip) = profile.map(|p| p.nip.as_str()) else { return Ok(action) };
    let (mut changed, own): (Vec<_>, Vec<_>) =
        records::list_history(tx, nip).await?.into_iter().partition(|r| Some(r.id.as_str()) == record_id);
    // The ids are the official record's (the approval kept them the server's own), never the proposal's.
    let official = changed.pop();
    (j.unor_id, j.jabatan_id) = match official.as_ref().map(|r| &r.data) {
        Some(HistoryData::Jabatan(o)) => (o.unor_id.clone(), o.jabatan_id.clone()),
        _ => (None, None),
    };
    if super::resolve::fill_position(tx, profile, &own, instansi_id, j).await? {
        if let Some(mut record) = official {
            if let HistoryData::Jabatan(official) = &mut record.data {
                official.unor_id.clone_from(&j.unor_id);
                official.jabatan_id.clone_from(&j.jabatan_id);
                records::put_history(tx, nip, &record).await?;
            }
        }
    }
    Ok(action)
}

/// The endpoint's name in `siasn_outbox.endpoint`.
pub(crate) fn endpoint_name(e: WriteEndpoint) -> &'static str {
    match e {
        WriteEndpoint::Jabatan => "jabatan",
        WriteEndpoint::Skp22 => "skp22",
        WriteEndpoint::Diklat => "diklat",
        WriteEndpoint::Kursus => "kursus",
        WriteEndpoint::Penghargaan => "penghargaan",
        WriteEndpoint::AngkaKredit => "angka_kredit",
        WriteEndpoint::DataUtama => "data_utama",
        WriteEndpoint::Pasangan => "pasangan",
        WriteEndpoint::Anak => "anak",
    }
}

fn parse_endpoint(name: &str) -> Option<WriteEndpoint> {
    WriteEndpoint::ALL.into_iter().find(|e| endpoint_name(*e) == name)
}

/// What one try came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tried {
    /// SIASN recorded it (its id when it gave one).
    Recorded(Option<String>),
    /// Refused by SIASN, or given up: the message.
    Failed(String),
    /// To be tried again later.
    Again(String),
}

/// The sender: one per server process (its `owner` name tells its claims apart).
pub struct Worker<A> {
    pub pool: AnyPool,
    pub api: A,
    pub blobs: std::sync::Arc<dyn BlobStore>,
    pub after: std::sync::Arc<dyn AfterCommit>,
    pub settings: ForwardSettings,
    pub owner: String,
}

impl<A: SiasnApi> Worker<A> {
    /// Send every row due now, one after the other; returns how many were tried.
    pub async fn run_once(&self) -> Result<usize, ServerError> {
        let due = {
            let mut conn = self.pool.acquire().await?;
            outbox_db::due(&mut conn, now_ms(), 50).await?
        };
        let mut tried = 0;
        for id in due {
            if self.try_one(&id).await? {
                tried += 1;
            }
        }
        Ok(tried)
    }

    /// Run until `stop` turns true.
    pub async fn run(self, mut stop: tokio::sync::watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            match self.run_once().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "siasn forwarding: a round failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.settings.idle_poll) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                return;
            }
        }
    }

    /// Claim and send one row; `false` when another node holds it.
    pub async fn try_one(&self, usulan_id: &str) -> Result<bool, ServerError> {
        let now = now_ms();
        let row = {
            let mut conn = self.pool.acquire().await?;
            if !outbox_db::claim(&mut conn, usulan_id, &self.owner, now, now + millis(self.settings.lease)).await? {
                return Ok(false);
            }
            outbox_db::get(&mut conn, usulan_id).await?.ok_or_else(|| ServerError::internal("outbox row vanished"))?
        };
        let tried = self.send(&row).await?;
        let Some(tried) = tried else {
            // Our lease lapsed and another node took the row over: its answer counts.
            return Ok(true);
        };
        self.store(&row, &tried).await?;
        Ok(true)
    }

    /// `None`: the row is no longer ours.
    async fn send(&self, row: &OutboxRow) -> Result<Option<Tried>, ServerError> {
        let Some(endpoint) = parse_endpoint(&row.endpoint) else {
            return Ok(Some(Tried::Failed(format!("unknown endpoint {}", row.endpoint))));
        };
        let mut body: Value = serde_json::from_str(&row.body)?;
        if row.sent_at.is_some() {
            if let Some(found) = self.lost_answer(row, endpoint, &body).await {
                return Ok(Some(found));
            }
        }
        // Documents first, each once: their `path` goes into the save.
        let documents: Vec<DocumentRef> = serde_json::from_str(&row.documents)?;
        let mut uploaded: Vec<DokumenPath> = serde_json::from_str(&row.uploaded)?;
        for doc in documents.iter().skip(uploaded.len()) {
            match self.upload(doc).await? {
                Ok(path) => uploaded.push(path),
                Err(tried) => return Ok(Some(tried)),
            }
            let mut conn = self.pool.acquire().await?;
            if !outbox_db::set_uploaded(&mut conn, &row.usulan_id, &self.owner, &serde_json::to_string(&uploaded)?)
                .await?
            {
                return Ok(None);
            }
        }
        if endpoint.map_data_key().is_some() {
            body["path"] = serde_json::to_value(&uploaded)?;
        }
        {
            let mut conn = self.pool.acquire().await?;
            if !outbox_db::mark_sending(&mut conn, &row.usulan_id, &self.owner, now_ms()).await? {
                return Ok(None);
            }
        }
        let answer = self.api.post_json(endpoint.path(), &body).await;
        Ok(Some(match answer {
            Err(f) if f.retryable => Tried::Again(f.message),
            Err(f) => Tried::Failed(f.message),
            Ok(v) => match serde_json::from_value::<SaveAnswer>(v) {
                Ok(a) if a.success => Tried::Recorded(recorded_id(&a, endpoint, &body)),
                Ok(a) => Tried::Failed(refusal_text(&a.message)),
                Err(e) => Tried::Again(format!("unreadable answer from SIASN: {e}")),
            },
        }))
    }

    /// A send whose answer was lost: what SIASN holds now, or `None` to send (again).
    async fn lost_answer(&self, row: &OutboxRow, endpoint: WriteEndpoint, body: &Value) -> Option<Tried> {
        let is_update = body.get("id").and_then(Value::as_str).is_some_and(|id| !id.is_empty())
            || endpoint == WriteEndpoint::DataUtama;
        if is_update {
            return None;
        }
        // Only a data-utama update has no check, and it is sent again above.
        let check = lost_answer_check(endpoint)?;
        let path = check.path.replace("{nip}", &row.nip);
        match self.api.get_json(&path).await {
            Ok(answer) => {
                let data = answer.get("data").cloned().unwrap_or(Value::Null);
                find_sent(body, &data, &check).map(|id| Tried::Recorded(Some(id)))
            }
            // No record of that kind in SIASN: the lost send was not stored.
            Err(f) if f.not_found => None,
            Err(f) => Some(Tried::Again(format!("checking SIASN after a lost answer: {}", f.message))),
        }
    }

    /// Upload one document (`/upload-dok`); `Err`: what the try came to.
    async fn upload(&self, doc: &DocumentRef) -> Result<Result<DokumenPath, Tried>, ServerError> {
        let Some(bytes) = self.blobs.get(&doc.sha256).await? else {
            // Failed, not retried: only putting the file back helps, and an admin's retry then sends it.
            return Ok(Err(Tried::Failed(format!(
                "Dokumen {name} (jenis {kind}) tidak ada di server ini; pulihkan berkasnya lalu kirim ulang. \
                 (Document {name}, type {kind}, sha256 {sha}, is missing on this server; restore it, then retry.)",
                name = doc.file_name,
                kind = doc.dokumen_id,
                sha = doc.sha256,
            ))));
        };
        let file = UploadFile { file_name: doc.file_name.clone(), mime: doc.mime.as_str(), bytes };
        let fields = [(upload_field::ID_REF_DOKUMEN, doc.dokumen_id.clone())];
        Ok(match self.api.upload("/upload-dok", &fields, file).await {
            Err(f) if f.retryable => Err(Tried::Again(f.message)),
            Err(f) => Err(Tried::Failed(f.message)),
            Ok(v) => match serde_json::from_value::<UploadAnswer>(v) {
                Ok(UploadAnswer { success: true, data: Some(path), .. }) => Ok(path),
                Ok(a) => Err(Tried::Failed(refusal_text(&a.message))),
                Err(e) => Err(Tried::Again(format!("unreadable upload answer from SIASN: {e}"))),
            },
        })
    }

    /// Store a try's outcome: the row, the proposal's step and SIASN's id on the record, in one transaction.
    async fn store(&self, row: &OutboxRow, tried: &Tried) -> Result<(), ServerError> {
        let now = now_ms();
        let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
        let at = Utc.timestamp_millis_opt(now).single().unwrap_or_else(Utc::now);
        let (outcome, step) = match tried {
            Tried::Recorded(id) => (
                Outcome {
                    state: outbox_db::DONE,
                    next_at: now,
                    siasn_id: id.as_deref(),
                    message: None,
                    known: true,
                    now,
                },
                SiasnStep::Recorded { siasn_id: id.clone(), at },
            ),
            Tried::Again(message) if attempts < self.settings.max_attempts => {
                let wait = self.backoff(attempts);
                tracing::info!(usulan = %row.usulan_id, attempts, %message, "siasn forwarding: will try again");
                (
                    Outcome {
                        state: outbox_db::PENDING,
                        next_at: now + millis(wait),
                        siasn_id: None,
                        message: Some(message),
                        known: false,
                        now,
                    },
                    SiasnStep::Pending { attempts },
                )
            }
            Tried::Again(message) | Tried::Failed(message) => (
                Outcome {
                    state: outbox_db::FAILED,
                    next_at: now,
                    siasn_id: None,
                    message: Some(message),
                    known: !matches!(tried, Tried::Again(_)),
                    now,
                },
                SiasnStep::Failed { message: message.clone(), at },
            ),
        };
        let mut tx = db::begin_write(&self.pool, &*self.after).await?;
        if !outbox_db::finish(&mut tx, &row.usulan_id, &self.owner, &outcome).await? {
            tx.rollback().await?;
            return Ok(());
        }
        set_step(&mut tx, &row.usulan_id, step).await?;
        if let (Tried::Recorded(Some(id)), Some(record_id)) = (tried, &row.record_id) {
            if let Some(mut h) = records::get_history(&mut tx, record_id).await?.filter(|h| !h.deleted) {
                if h.record.siasn_id.as_deref() != Some(id) {
                    h.record.siasn_id = Some(id.clone());
                    records::put_history(&mut tx, &row.nip, &h.record).await?;
                    db::log_change(&mut tx, Some(&row.nip), ENTITY_HISTORY, record_id).await?;
                }
            }
        }
        tx.commit().await?;
        tracing::info!(usulan = %row.usulan_id, outcome = outcome.state, "siasn forwarding");
        Ok(())
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(20));
        self.settings.backoff_base.saturating_mul(factor).min(self.settings.backoff_max)
    }
}

/// The id SIASN gave: `mapData`'s key of the endpoint, or, for an edit, the riwayat's own id.
fn recorded_id(a: &SaveAnswer, endpoint: WriteEndpoint, body: &Value) -> Option<String> {
    a.id(endpoint)
        .map(str::to_owned)
        .or_else(|| body.get("id").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned))
}

fn refusal_text(message: &str) -> String {
    let m = message.trim();
    if m.is_empty() {
        "SIASN menolak tanpa pesan (SIASN refused without a message)".to_owned()
    } else {
        m.to_owned()
    }
}

/// Set the proposal's SIASN step and log it for its ASN's devices.
pub async fn set_step(tx: &mut WriteTx<'_>, usulan_id: &str, step: SiasnStep) -> Result<(), ServerError> {
    let Some(row) = usulan_db::get(tx, usulan_id).await? else {
        return Ok(());
    };
    let mut u = row.usulan;
    u.siasn = Some(step);
    usulan_db::put_data(tx, &u).await?;
    db::log_change(tx, Some(u.nip.as_str()), ENTITY_USULAN, &u.id).await?;
    Ok(())
}

/// What an admin's retry found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// No outbox row of this agency for the proposal.
    Unknown,
    /// The row is pending or recorded: nothing to send again.
    NotFailed,
    /// Pending again; SIASN's (or the last try's) message of the failure.
    Queued { nip: String, message: Option<String> },
}

/// Send a failed change again (agency `instansi_id` only), in the admin's transaction: the row pending now with
/// its attempts counted afresh, the proposal's step `pending`.
pub async fn retry_in(tx: &mut WriteTx<'_>, instansi_id: &str, usulan_id: &str) -> Result<Retry, ServerError> {
    let Some(row) = outbox_db::get(tx, usulan_id).await?.filter(|r| r.instansi_id == instansi_id) else {
        return Ok(Retry::Unknown);
    };
    // A send with an unknown outcome that no read can settle: the admin checked SIASN and sends anyway.
    let forget_sent = parse_endpoint(&row.endpoint).is_some_and(|e| lost_answer_check(e).is_none());
    if !outbox_db::retry(tx, usulan_id, now_ms(), forget_sent).await? {
        return Ok(Retry::NotFailed);
    }
    set_step(tx, usulan_id, SiasnStep::Pending { attempts: 0 }).await?;
    Ok(Retry::Queued { nip: row.nip, message: row.message })
}

/// What an admin's mark of a manual entry found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entered {
    /// No outbox row of this agency for the proposal.
    Unknown,
    /// The change does not wait for manual entry (sent by the worker, or already marked).
    NotWaiting,
    /// Marked: the hold ends; the reason it waited.
    Marked { nip: String, reason: Option<String>, step: SiasnStep },
}

/// The admin entered a change SIASN could not take in SIASN by hand (agency `instansi_id` only), in the admin's
/// transaction: the row `done` (the import no longer holds its record, and links SIASN's copy by kind and date),
/// the proposal's step `recorded` without a SIASN id.
pub async fn mark_entered_in(tx: &mut WriteTx<'_>, instansi_id: &str, usulan_id: &str) -> Result<Entered, ServerError> {
    let Some(row) = outbox_db::get(tx, usulan_id).await?.filter(|r| r.instansi_id == instansi_id) else {
        return Ok(Entered::Unknown);
    };
    let now = now_ms();
    if !outbox_db::mark_entered(tx, usulan_id, now).await? {
        return Ok(Entered::NotWaiting);
    }
    let at = Utc.timestamp_millis_opt(now).single().unwrap_or_else(Utc::now);
    let step = SiasnStep::Recorded { siasn_id: None, at };
    set_step(tx, usulan_id, step.clone()).await?;
    Ok(Entered::Marked { nip: row.nip, reason: row.message, step })
}

/// What a server needs to forward approved changes: SIASN's settings, how hard one call tries, how the worker
/// paces itself.
#[derive(Debug, Clone)]
pub struct Forwarding {
    pub config: super::SiasnConfig,
    pub retry: super::client::RetryPolicy,
    pub settings: ForwardSettings,
}

impl Forwarding {
    /// The defaults of a deployment for `config`. One attempt per call: a save answered 502/503/504 may have been
    /// stored, and the client's own retry would send it again unchecked; the worker's next claim checks first.
    pub fn new(config: super::SiasnConfig) -> Self {
        let retry = super::client::RetryPolicy { attempts: 1, ..super::client::RetryPolicy::default() };
        Self { config, retry, settings: ForwardSettings::default() }
    }
}

/// A server's running worker ([`spawn`]); stopped with the server.
pub struct ForwardTask {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ForwardTask {
    /// Let the worker finish the row in hand, up to `timeout`; then it is cut (a row cut between the send and
    /// the store is settled by the next claim, see the module's "never twice").
    pub async fn stop(mut self, timeout: Duration) {
        let _ = self.stop.send(true);
        if tokio::time::timeout(timeout, &mut self.task).await.is_err() {
            tracing::warn!("siasn forwarding: still sending at the stop; cut");
            self.task.abort();
        }
    }
}

/// Start this process's worker on `pool` (the caller has told its hook to queue approvals).
pub fn spawn(
    pool: AnyPool,
    forwarding: Forwarding,
    blobs: std::sync::Arc<dyn BlobStore>,
    after: std::sync::Arc<dyn AfterCommit>,
) -> Result<ForwardTask, super::SiasnError> {
    let api = super::SiasnClient::with_retry(forwarding.config, forwarding.retry)?;
    // Unique per process: a restarted node never mistakes an old claim for its own.
    let owner = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
    let worker = Worker { pool, api, blobs, after, settings: forwarding.settings, owner };
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(worker.run(stopped));
    Ok(ForwardTask { stop, task })
}

/// SIASN's refusals and broken answers are final; a throttle, an outage or token trouble is tried again later.
fn failure(e: super::SiasnError) -> ApiFailure {
    use super::SiasnError as E;
    let retryable = !matches!(e, E::Refused { .. } | E::NotFound | E::BadAnswer { .. });
    let not_found = e == E::NotFound;
    let message = match &e {
        E::Refused { message, .. } => message.clone(),
        other => other.to_string(),
    };
    ApiFailure { retryable, not_found, message }
}

/// Calls answered 429 by the gateway again: a throttled request never reached SIASN, so even a save is safe to
/// repeat (unlike a 5xx, left to the worker's lost-answer check). Waits at least the client's interval, doubling.
async fn unthrottled<F, Fut>(client: &super::SiasnClient, call: F) -> Result<Value, super::SiasnError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Value, super::SiasnError>>,
{
    let mut wait = client.config().min_interval.max(Duration::from_millis(500));
    for _ in 1..THROTTLE_TRIES {
        match call().await {
            Err(super::SiasnError::Throttled { .. }) => {
                tokio::time::sleep(wait).await;
                wait = wait.saturating_mul(2).min(Duration::from_secs(30));
            }
            other => return other,
        }
    }
    call().await
}

const THROTTLE_TRIES: u32 = 6;

impl SiasnApi for super::SiasnClient {
    fn get_json<'a>(&'a self, path: &'a str) -> ApiFuture<'a> {
        Box::pin(async move { unthrottled(self, || self.get(path)).await.map_err(failure) })
    }

    fn post_json<'a>(&'a self, path: &'a str, body: &'a Value) -> ApiFuture<'a> {
        Box::pin(
            async move { unthrottled(self, || super::SiasnClient::post_json(self, path, body)).await.map_err(failure) },
        )
    }

    fn upload<'a>(&'a self, path: &'a str, fields: &'a [(&'a str, String)], file: UploadFile) -> ApiFuture<'a> {
        Box::pin(async move {
            let part = super::client::UploadPart {
                field: upload_field::FILE.to_owned(),
                file_name: file.file_name,
                mime: file.mime.to_owned(),
                bytes: file.bytes,
            };
            unthrottled(self, || super::SiasnClient::upload(self, path, fields, &part)).await.map_err(failure)
        })
    }
}
