//! Import of official records from SIASN: one NIP, a list, or an agency.
//!
//! For each NIP: read `data-utama`, the riwayat lists of [`RW_RESOURCES`] and the family objects of
//! [`FAMILY_RESOURCES`] (17 calls, every one through the client's shared rate limit), map them
//! ([`mysapk_model::siasn::import`]), then in one write transaction write only what differs from our record (a
//! riwayat is matched by its SIASN id; one SIASN no longer holds is deleted) and log each write in the change log,
//! so the ASN's devices get it on their next pull. A person not yet in mysapk gets a profile and an account
//! without a password (activated with a reset code, as admin-created ones).
//!
//! SIASN's not found answers a resource the person has nothing in: an empty list, no spouse, no child, no parent.
//! A kind is answered (its SIASN records absent from the answer are deleted) only when its resource was read: a
//! resource SIASN failed to answer fails the NIP before anything is written, and records of kinds no resource
//! fills (or made in mysapk and not yet in SIASN: no SIASN id) are never deleted by an import.
//!
//! Runs are resumable: the NIPs of a run are stored first (`siasn_import_run`/`_item`, migration 0012); an
//! import of the same target finds the unfinished run and skips the NIPs already done. A NIP that fails (not in
//! SIASN, SIASN down after the client's retries, a record that cannot be mapped) is recorded with its code and
//! message and the run goes on; only refused credentials stop the run (every next NIP would fail the same way),
//! leaving it to resume.
//!
//! An approved change SIASN has not recorded yet (its [`super::forward`] row pending or failed, or `manual`:
//! waiting for the agency's admin to enter it in SIASN by hand) is held: the record it wrote (the profile, for a
//! data-utama update or a profile change entered by hand) keeps the approved value, and a record it deleted is
//! not added back, since SIASN still serves the old one; the first import after SIASN records it (or after the
//! admin marks it entered) brings SIASN's copy.
//!
//! Known limit: SIASN's web service, as the sources document it, lists no agency's PNS, so `instansi` imports
//! the agency's NIPs mysapk holds (plus any NIPs given).

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::siasn::import::{self as map, Imported, MapError, FAMILY_RESOURCES, RW_RESOURCES};
use mysapk_model::siasn::read::{
    DataAnak, DataOrtu, DataPasangan, DataUtama, RwAngkakredit, RwCltn, RwDiklat, RwGolongan, RwHukdis, RwJabatan,
    RwKursus, RwMasakerja, RwPendidikan, RwPenghargaan, RwPindahinstansi, RwSkp, RwSkp22,
};
use mysapk_model::siasn::write::WriteEndpoint;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use sqlx::AnyPool;

use super::{SiasnClient, SiasnError};
use crate::db::siasn_import as runs;
use crate::db::siasn_outbox;
use crate::db::{self, accounts, records, AfterCommit, ENTITY_HISTORY, ENTITY_PROFILE};
use crate::error::ServerError;

/// The actor of the audit entries an import writes.
pub const IMPORT_ACTOR: &str = "siasn-import";

/// What to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportTarget {
    /// These NIPs.
    Nips(Vec<String>),
    /// The agency's NIPs mysapk holds, and `extra` NIPs (people not yet in mysapk).
    Instansi { id: String, extra: Vec<String> },
    /// Every NIP mysapk holds (the scheduled re-import).
    All,
}

impl ImportTarget {
    /// The run's key: an import of the same target resumes its unfinished run. Lists of NIPs are keyed by their
    /// SHA-256 (a key stays short enough for an index, whatever the list's length).
    fn key(&self) -> String {
        let digest = |nips: &[String]| {
            use sha2::Digest;
            let mut sorted = nips.to_vec();
            sorted.sort();
            hex::encode(sha2::Sha256::digest(sorted.join(",").as_bytes()))
        };
        match self {
            Self::Nips(nips) => format!("nip:{}", digest(nips)),
            Self::Instansi { id, extra } if extra.is_empty() => format!("instansi:{id}"),
            Self::Instansi { id, extra } => format!("instansi:{id}+{}", digest(extra)),
            Self::All => "all".to_owned(),
        }
    }
}

/// A NIP that failed, with a stable code and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub nip: String,
    pub code: String,
    pub message: String,
}

/// How a run went (the NIPs done by an earlier, interrupted attempt of the same run included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub run_id: String,
    /// Whether an interrupted run was resumed.
    pub resumed: bool,
    pub total: usize,
    /// NIPs of which something was written.
    pub imported: usize,
    /// NIPs whose record was already what SIASN holds.
    pub unchanged: usize,
    pub failed: Vec<Failure>,
    /// Records written (profiles and riwayat, deletions included).
    pub changes: i64,
    /// Set when the run stopped before its end (credentials refused): run the import again to resume.
    pub stopped: Option<Failure>,
}

/// Why one NIP was not imported.
#[derive(Debug, thiserror::Error)]
enum NipError {
    #[error("{0}")]
    Siasn(#[from] SiasnError),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Map(Vec<MapError>),
    #[error("SIASN answered data-utama of {0} for this NIP")]
    OtherNip(String),
    #[error("{0}")]
    Server(#[from] ServerError),
}

impl NipError {
    fn code(&self) -> String {
        match self {
            Self::Siasn(e) => e.code().to_owned(),
            Self::Map(errors) => errors.first().map_or("siasn.map", |e| e.problem.code()).to_owned(),
            Self::OtherNip(_) => "siasn.other_nip".to_owned(),
            Self::Server(_) => "siasn.import_write".to_owned(),
        }
    }

    /// Every next NIP would fail the same way.
    fn stops_run(&self) -> bool {
        matches!(
            self,
            Self::Siasn(SiasnError::ApimCredentials(_) | SiasnError::SsoCredentials(_) | SiasnError::SsoTokenExpired)
        )
    }
}

/// Import `target`; `progress(done, total)` after each NIP.
pub async fn import(
    pool: &AnyPool,
    hook: &dyn AfterCommit,
    client: &SiasnClient,
    target: &ImportTarget,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Report, ServerError> {
    let key = target.key();
    let mut conn = pool.acquire().await?;
    let (run_id, resumed) = match runs::unfinished_run(&mut conn, &key).await? {
        Some(id) => (id, true),
        None => {
            let nips = match target {
                ImportTarget::Nips(nips) => dedup(nips.clone()),
                ImportTarget::Instansi { id, extra } => {
                    let mut nips = runs::agency_nips(&mut conn, id).await?;
                    nips.extend(extra.iter().cloned());
                    dedup(nips)
                }
                ImportTarget::All => runs::all_nips(&mut conn).await?,
            };
            let id = uuid::Uuid::now_v7().to_string();
            runs::create_run(&mut conn, &id, &key, &nips).await?;
            (id, false)
        }
    };
    let items = runs::items(&mut conn, &run_id).await?;
    drop(conn);
    let total = items.len() as u64;
    let mut report = Report { run_id: run_id.clone(), resumed, total: items.len(), ..Report::default() };
    for (done, item) in items.iter().enumerate() {
        if item.state != runs::PENDING {
            tally(&mut report, item);
            progress(done as u64 + 1, total);
            continue;
        }
        let outcome = import_nip(pool, hook, client, &item.nip).await;
        let mut conn = pool.acquire().await?;
        let finished = match outcome {
            Ok(0) => runs::Item { state: runs::UNCHANGED.to_owned(), ..item.clone() },
            Ok(n) => runs::Item { state: runs::IMPORTED.to_owned(), changes: n, ..item.clone() },
            Err((e, written)) => {
                if e.stops_run() {
                    tracing::error!(nip = %item.nip, code = %e.code(), "SIASN import stopped: {e}");
                    report.stopped = Some(Failure { nip: item.nip.clone(), code: e.code(), message: e.to_string() });
                    return Ok(report);
                }
                tracing::warn!(nip = %item.nip, code = %e.code(), "SIASN import of a NIP failed: {e}");
                runs::Item {
                    state: runs::FAILED.to_owned(),
                    code: Some(e.code()),
                    message: Some(e.to_string()),
                    changes: written,
                    ..item.clone()
                }
            }
        };
        let failure = finished.code.as_deref().zip(finished.message.as_deref());
        runs::finish_item(&mut conn, &run_id, &item.nip, &finished.state, failure, finished.changes).await?;
        tally(&mut report, &finished);
        progress(done as u64 + 1, total);
    }
    runs::finish_run(&mut *pool.acquire().await?, &run_id).await?;
    Ok(report)
}

fn dedup(nips: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    nips.into_iter().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty() && seen.insert(n.clone())).collect()
}

fn tally(report: &mut Report, item: &runs::Item) {
    report.changes += item.changes;
    match item.state.as_str() {
        runs::IMPORTED => report.imported += 1,
        runs::UNCHANGED => report.unchanged += 1,
        _ => report.failed.push(Failure {
            nip: item.nip.clone(),
            code: item.code.clone().unwrap_or_default(),
            message: item.message.clone().unwrap_or_default(),
        }),
    }
}

/// What was read and mapped of one NIP.
struct Read {
    profile: DataUtama,
    records: Vec<Imported>,
    /// The kinds whose resource SIASN answered, its not found included (a riwayat of another kind is never
    /// deleted).
    kinds: HashSet<HistoryKind>,
    errors: Vec<MapError>,
}

/// Import one NIP: the number of records written, or why not (with the records written before a mapping error).
async fn import_nip(
    pool: &AnyPool,
    hook: &dyn AfterCommit,
    client: &SiasnClient,
    nip: &str,
) -> Result<i64, (NipError, i64)> {
    let read = read_nip(client, nip).await.map_err(|e| (e, 0))?;
    let written = write_nip(pool, hook, nip, &read).await.map_err(|e| (e, 0))?;
    if read.errors.is_empty() {
        Ok(written)
    } else {
        Err((NipError::Map(read.errors), written))
    }
}

/// A single-object resource (the family's): SIASN's not found (or `null`) is none.
async fn object<T: DeserializeOwned>(client: &SiasnClient, path: &str) -> Result<Option<T>, SiasnError> {
    match client.get_data::<Option<T>>(path).await {
        Ok(object) => Ok(object),
        Err(SiasnError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A riwayat list: SIASN's not found (or `null`) is an empty list.
async fn list<T: DeserializeOwned>(client: &SiasnClient, path: &str) -> Result<Vec<T>, SiasnError> {
    Ok(object::<Vec<T>>(client, path).await?.unwrap_or_default())
}

async fn read_nip(client: &SiasnClient, nip: &str) -> Result<Read, NipError> {
    let profile: DataUtama = client.get_data(&format!("/pns/data-utama/{nip}")).await?;
    let mut read = Read { profile, records: Vec::new(), kinds: HashSet::new(), errors: Vec::new() };
    read.kinds.insert(HistoryKind::CpnsPns);
    read.add(map::cpns_pns(&read.profile).into_iter().collect());
    for (resource, kind) in RW_RESOURCES {
        let path = format!("/pns/{resource}/{nip}");
        let mapped: Vec<Result<Imported, MapError>> = match kind {
            HistoryKind::Golongan => list::<RwGolongan>(client, &path).await?.iter().map(map::golongan).collect(),
            HistoryKind::Jabatan => list::<RwJabatan>(client, &path).await?.iter().map(map::jabatan).collect(),
            HistoryKind::Pendidikan => list::<RwPendidikan>(client, &path).await?.iter().map(map::pendidikan).collect(),
            HistoryKind::Diklat => list::<RwDiklat>(client, &path).await?.iter().map(map::diklat).collect(),
            HistoryKind::Kursus => list::<RwKursus>(client, &path).await?.iter().map(map::kursus).collect(),
            HistoryKind::Penghargaan => {
                list::<RwPenghargaan>(client, &path).await?.iter().map(map::penghargaan).collect()
            }
            HistoryKind::Skp => list::<RwSkp22>(client, &path).await?.iter().map(map::skp22).collect(),
            HistoryKind::AngkaKredit => {
                list::<RwAngkakredit>(client, &path).await?.iter().map(map::angka_kredit).collect()
            }
            HistoryKind::HukumanDisiplin => list::<RwHukdis>(client, &path).await?.iter().map(map::hukdis).collect(),
            HistoryKind::Pmk => list::<RwMasakerja>(client, &path).await?.iter().map(map::masa_kerja).collect(),
            HistoryKind::Cltn => list::<RwCltn>(client, &path).await?.iter().map(map::cltn).collect(),
            HistoryKind::PindahInstansi => {
                list::<RwPindahinstansi>(client, &path).await?.iter().map(map::pindah_instansi).collect()
            }
            HistoryKind::SkpLama => list::<RwSkp>(client, &path).await?.iter().map(map::skp_lama).collect(),
            // Not read: not answered (its records are never deleted).
            _ => continue,
        };
        read.kinds.insert(kind);
        read.add(mapped);
    }
    for (resource, kind) in FAMILY_RESOURCES {
        let path = format!("/pns/{resource}/{nip}");
        let mapped = match kind {
            HistoryKind::Pasangan => object::<DataPasangan>(client, &path).await?.map(|d| map::pasangan(&d)),
            HistoryKind::Anak => object::<DataAnak>(client, &path).await?.map(|d| map::anak(&d)),
            HistoryKind::OrangTua => object::<DataOrtu>(client, &path).await?.map(|d| map::orang_tua(&d)),
            _ => continue,
        };
        read.kinds.insert(kind);
        read.add(mapped.unwrap_or_default());
    }
    Ok(read)
}

impl Read {
    /// Keep the mapped records and the mapping errors.
    fn add(&mut self, mapped: Vec<Result<Imported, MapError>>) {
        for m in mapped {
            match m {
                Ok(r) => self.records.push(r),
                Err(e) => self.errors.push(e),
            }
        }
    }
}

/// Write what differs, in one transaction; the number of records written.
async fn write_nip(pool: &AnyPool, hook: &dyn AfterCommit, nip: &str, read: &Read) -> Result<i64, NipError> {
    let mut tx = db::begin_write(pool, hook).await?;
    let existing = records::get_profile(&mut tx, nip).await?;
    let profile = map::profile(&read.profile, existing.as_ref()).map_err(|e| NipError::Map(vec![e]))?;
    if profile.nip.as_str() != nip {
        return Err(NipError::OtherNip(profile.nip.as_str().to_owned()));
    }
    let held = Held::of(&mut tx, nip).await?;
    let mut changes = 0i64;
    let mut log: Vec<(String, &str, String)> = Vec::new();
    if accounts::find_user(&mut tx, nip).await?.is_none() {
        accounts::upsert_instansi(&mut tx, &profile.instansi_id, &profile.instansi_nama).await?;
        let user = accounts::UserRow {
            nip: nip.to_owned(),
            password_hash: String::new(),
            roles: Vec::new(),
            instansi_id: profile.instansi_id.clone(),
        };
        accounts::insert_user(&mut tx, &user).await?;
    }
    if existing.as_ref() != Some(&profile) && !held.profile {
        records::put_profile(&mut tx, &profile).await?;
        log.push((nip.to_owned(), ENTITY_PROFILE, nip.to_owned()));
        changes += 1;
    }
    let ours = records::list_history(&mut tx, nip).await?;
    let by_siasn: HashMap<&str, &HistoryRecord> =
        ours.iter().filter_map(|r| r.siasn_id.as_deref().map(|s| (s, r))).collect();
    let mut seen = HashSet::new();
    let mut claimed: HashSet<&str> = HashSet::new();
    for imported in &read.records {
        seen.insert(imported.siasn_id.as_str());
        if held.deleted.iter().any(|gone| same_riwayat(gone, imported)) {
            continue;
        }
        // A record of ours not yet linked to SIASN (made here, or seeded) is the same riwayat when SIASN's id is
        // its id (the facade's convention) or it has the same kind and date: linked, not duplicated.
        let linked = by_siasn.get(imported.siasn_id.as_str()).copied().or_else(|| {
            let kind = imported.data.kind();
            let date = imported.data.sort_date();
            let found = ours
                .iter()
                .filter(|r| r.siasn_id.is_none() && !claimed.contains(r.id.as_str()))
                .find(|r| r.id == imported.siasn_id || (r.data.kind() == kind && r.data.sort_date() == date));
            if let Some(r) = found {
                claimed.insert(r.id.as_str());
            }
            found
        });
        if linked.is_some_and(|old| held.records.contains(&old.id)) {
            continue;
        }
        let record = match linked {
            Some(old) if old.siasn_id.is_none() => {
                let mut data = imported.data.clone();
                map::carry_over(&mut data, &old.data);
                HistoryRecord { data, siasn_id: Some(imported.siasn_id.clone()), ..old.clone() }
            }
            Some(old) => {
                let mut data = imported.data.clone();
                map::carry_over(&mut data, &old.data);
                if data == old.data {
                    continue;
                }
                HistoryRecord { data, ..old.clone() }
            }
            None => HistoryRecord {
                id: uuid::Uuid::now_v7().to_string(),
                data: imported.data.clone(),
                last_usulan_id: None,
                siasn_id: Some(imported.siasn_id.clone()),
            },
        };
        records::put_history(&mut tx, nip, &record).await?;
        log.push((nip.to_owned(), ENTITY_HISTORY, record.id));
        changes += 1;
    }
    // A riwayat SIASN no longer lists (of a kind it answered; unmappable ones aside) was deleted there.
    let unmapped = !read.errors.is_empty();
    for old in &ours {
        let Some(siasn_id) = old.siasn_id.as_deref() else { continue };
        if unmapped
            || seen.contains(siasn_id)
            || !read.kinds.contains(&old.data.kind())
            || held.records.contains(&old.id)
        {
            continue;
        }
        if records::delete_history(&mut tx, &old.id, old.last_usulan_id.as_deref().unwrap_or_default()).await? {
            log.push((nip.to_owned(), ENTITY_HISTORY, old.id.clone()));
            changes += 1;
        }
    }
    let imported: Vec<&HistoryData> = read.records.iter().map(|r| &r.data).collect();
    super::resolve::remember_units(&mut tx, &profile, &imported).await?;
    if changes > 0 {
        db::log_changes(&mut tx, &log).await?;
        db::audit(
            &mut tx,
            db::Audit {
                actor: IMPORT_ACTOR,
                action: "siasn.import",
                entity: ENTITY_PROFILE,
                entity_id: nip,
                subject: Some(nip),
                instansi: Some(&profile.instansi_id),
                details: json!({"changes": changes, "pns_id": profile.siasn_pns_id}),
                ..db::Audit::default()
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changes)
}

/// What an import of one NIP leaves alone: what its approved changes SIASN has not recorded yet wrote (sent or
/// waiting to be entered in SIASN by hand).
struct Held {
    /// A data-utama update or a profile change waiting for manual entry: the profile keeps its approved values.
    profile: bool,
    /// The history records such changes wrote.
    records: HashSet<String>,
    /// The records such changes deleted (waiting for manual entry): SIASN still lists them, and they are not
    /// added back.
    deleted: Vec<HistoryRecord>,
}

impl Held {
    async fn of(conn: &mut sqlx::AnyConnection, nip: &str) -> Result<Self, ServerError> {
        let rows = siasn_outbox::unrecorded(conn, nip).await?;
        let data_utama = super::forward::endpoint_name(WriteEndpoint::DataUtama);
        let records: HashSet<String> = rows.iter().filter_map(|r| r.record_id.clone()).collect();
        let ids: Vec<&str> = records.iter().map(String::as_str).collect();
        let deleted = records::get_histories(conn, nip, &ids).await?;
        Ok(Self {
            profile: rows.iter().any(|r| r.endpoint == data_utama || r.endpoint == siasn_outbox::MANUAL_PROFILE),
            deleted: deleted.into_iter().filter(|h| h.deleted).map(|h| h.record).collect(),
            records,
        })
    }
}

/// Whether SIASN's `imported` is our deleted record `gone`: by its SIASN id, or, when it was never linked, as
/// [`write_nip`] links (SIASN's id is its id, or the same kind and date).
fn same_riwayat(gone: &HistoryRecord, imported: &Imported) -> bool {
    match gone.siasn_id.as_deref() {
        Some(id) => id == imported.siasn_id,
        None => {
            gone.id == imported.siasn_id
                || (gone.data.kind() == imported.data.kind() && gone.data.sort_date() == imported.data.sort_date())
        }
    }
}

/// Re-import every NIP mysapk holds every `every` (while `serve` runs; `MYSAPK_SIASN_REIMPORT_HOURS`). The
/// first run starts one period after the start; a failed run is logged and the next one tried on time.
pub fn spawn_reimport(
    pool: AnyPool,
    hook: std::sync::Arc<dyn AfterCommit>,
    client: SiasnClient,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticker.tick().await;
            match import(&pool, hook.as_ref(), &client, &ImportTarget::All, &|_, _| {}).await {
                Ok(r) => tracing::info!(
                    total = r.total,
                    imported = r.imported,
                    unchanged = r.unchanged,
                    failed = r.failed.len(),
                    stopped = r.stopped.is_some(),
                    "scheduled SIASN re-import"
                ),
                Err(e) => tracing::error!(error = %e, "scheduled SIASN re-import failed"),
            }
        }
    })
}

/// The JSON of a report (the CLI's `--json`).
pub fn report_json(r: &Report) -> Value {
    let failure = |f: &Failure| json!({"nip": f.nip, "code": f.code, "message": f.message});
    json!({
        "run_id": r.run_id,
        "resumed": r.resumed,
        "total": r.total,
        "imported": r.imported,
        "unchanged": r.unchanged,
        "failed": r.failed.iter().map(failure).collect::<Vec<_>>(),
        "changes": r.changes,
        "stopped": r.stopped.as_ref().map(failure),
    })
}
