//! API tests against a real bound server, each run on SQLite and on PostgreSQL.
//!
//! PostgreSQL: `MYSAPK_TEST_PG_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`); a fresh database is
//! created per test and dropped afterwards. The tests fail, not skip, when PostgreSQL is unreachable.

mod support;

mod admin;
mod assessments;
mod auth;
mod card;
mod documents;
mod duties;
mod events;
mod fuzz;
mod http;
mod kinds;
mod layanan;
mod limits;
mod login_throttle;
mod mfa;
mod pull_batch;
mod review;
mod review_feed;
mod services;
mod sessions;
mod siasn;
mod siasn_forward;
mod siasn_import;
mod siasn_manual;
mod siasn_reference;
mod standing;
mod sync;
mod transport;
mod well_known;

mod fixtures {
    use std::time::Duration;

    use chrono::NaiveDate;
    use mysapk_model::document::DocumentRef;
    use mysapk_model::history::samples::sample;
    use mysapk_model::history::{Golongan, HistoryKind};
    use mysapk_model::history::{HistoryData, HistoryRecord};
    use mysapk_model::record::OwnerFields;
    use mysapk_model::sync::{Change, Mutation, MutationOp};
    use mysapk_model::usulan::UsulanAction;
    use mysapk_server::siasn::{Secret, SiasnConfig, SsoAuth};
    use mysapk_siasn_sim::{RunningSimulator, SimConfig};

    pub fn budi_born() -> NaiveDate {
        d(1990, 1, 1)
    }

    /// A valid new record of `kind` for Budi (golongan above his III/b of 2019; the other kinds from the model's samples).
    pub fn new_record(kind: HistoryKind) -> HistoryData {
        match kind {
            HistoryKind::Golongan => HistoryData::Golongan(Golongan {
                golongan_id: "33".into(),
                tmt_golongan: d(2023, 4, 1),
                sk_nomor: "823.3/KP.0999/2023".into(),
                sk_tanggal: d(2023, 3, 10),
                jenis_kp_id: Some("101".into()),
                mk_tahun: Some(8),
                mk_bulan: Some(0),
            }),
            // A position SIASN's reference knows, in Budi's own unit: forwarding finds both ids.
            HistoryKind::Jabatan => jabatan(d(2024, 2, 1), None),
            _ => sample(kind, budi_born(), 1),
        }
    }

    /// The server's SIASN settings for the simulator `sim` (its test credentials), pacing calls `min_interval` apart.
    pub fn siasn_config(sim: &RunningSimulator, min_interval: Duration) -> SiasnConfig {
        SiasnConfig {
            base_url: sim.base_url(),
            apim_token_url: sim.apim_token_url(),
            apim_key: SimConfig::TEST_APIM_KEY.to_owned(),
            apim_secret: Secret::new(SimConfig::TEST_APIM_SECRET),
            sso: SsoAuth::Password {
                url: sim.sso_url(),
                client_id: SimConfig::TEST_SSO_CLIENT_ID.to_owned(),
                username: SimConfig::TEST_SSO_USERNAME.to_owned(),
                password: Secret::new(SimConfig::TEST_SSO_PASSWORD),
            },
            min_interval,
            reimport_every: None,
        }
    }

    pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    pub fn jabatan(start: NaiveDate, end: Option<NaiveDate>) -> HistoryData {
        HistoryData::Jabatan(mysapk_model::history::Jabatan {
            jenis_jabatan_id: "2".into(),
            jabatan_nama: "Pranata Komputer Ahli Muda".into(),
            unor_nama: "Pusat Data dan Sistem Informasi".into(),
            eselon_id: None,
            tmt_jabatan: start,
            tmt_selesai: end,
            sk_nomor: "821.2/777/2024".into(),
            sk_tanggal: start,
            unor_id: None,
            jabatan_id: None,
        })
    }

    pub fn add_jabatan(start: NaiveDate, end: Option<NaiveDate>) -> UsulanAction {
        UsulanAction::AddHistory { data: jabatan(start, end) }
    }

    pub fn new_id() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// A proposal carrying its kind's mandatory documents (the standard test PDF, uploaded by `Ctx::push`).
    pub fn propose(seq: i64, usulan_id: &str, action: UsulanAction) -> Mutation {
        let documents = mandatory_documents(&action);
        propose_with(seq, usulan_id, action, documents)
    }

    /// A proposal with exactly these documents.
    pub fn propose_with(seq: i64, usulan_id: &str, action: UsulanAction, documents: Vec<DocumentRef>) -> Mutation {
        Mutation { id: new_id(), seq, op: MutationOp::Propose { usulan_id: usulan_id.into(), action, documents } }
    }

    /// The mandatory documents of the action's kind (`kind.rule().documents`), as the standard test PDF.
    pub fn mandatory_documents(action: &UsulanAction) -> Vec<DocumentRef> {
        match (action, action.history_kind()) {
            (UsulanAction::AddHistory { .. } | UsulanAction::ChangeHistory { .. }, Some(kind)) => kind
                .rule()
                .documents
                .iter()
                .filter(|r| r.mandatory)
                .map(|r| crate::documents::standard_ref(r.dokumen_id))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn withdraw(seq: i64, usulan_id: &str) -> Mutation {
        Mutation { id: new_id(), seq, op: MutationOp::Withdraw { usulan_id: usulan_id.into() } }
    }

    pub fn owner(no_hp: &str) -> UsulanAction {
        UsulanAction::ChangeOwnerFields {
            fields: OwnerFields { alamat: None, no_hp: Some(no_hp.into()), email: None, ..Default::default() },
        }
    }

    pub fn histories(changes: &[Change]) -> Vec<HistoryRecord> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::History { record } => Some(record.clone()),
                _ => None,
            })
            .collect()
    }
}
