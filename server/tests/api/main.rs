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
mod standing;
mod sync;
mod transport;
mod well_known;

mod fixtures {
    use chrono::NaiveDate;
    use mysapk_model::document::DocumentRef;
    use mysapk_model::history::{HistoryData, HistoryRecord};
    use mysapk_model::record::OwnerFields;
    use mysapk_model::sync::{Change, Mutation, MutationOp};
    use mysapk_model::usulan::UsulanAction;

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
