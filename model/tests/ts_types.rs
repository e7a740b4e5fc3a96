//! The TypeScript twins of the types that cross the IPC boundary, rendered into `ui/src/gen/ipc.ts`.
//!
//! Fails when the committed file differs from what the Rust types render (drift). To refresh it:
//! `UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types`.

use std::path::PathBuf;

use mysapk_model::admin::{
    AccountInfo, AnnouncementRequest, AuditEntry, EmailChange, ImportReport, ImportRowError, LockRequest, NewAccount,
    ResetCode, RoleChange,
};
use mysapk_model::assessment::{Aspect, AspectScore, Assessment};
use mysapk_model::auth::UserInfo;
use mysapk_model::card::{AsnCard, CardCheck, CardInvalid};
use mysapk_model::catalog::{Catalog, CatalogEntry};
use mysapk_model::document::{BuktiPdm, DocumentContent, DocumentMime, DocumentRef, UploadStatus};
use mysapk_model::forms::{CategorySpec, DocumentSpec, FieldInput, FieldSpec};
use mysapk_model::history::{
    Anak, AngkaKredit, Cltn, CpnsPns, Diklat, Golongan, HukumanDisiplin, Jabatan, Kursus, OrangTua, Organisasi,
    ParentRole, Pasangan, Pendidikan, Penghargaan, PindahInstansi, Pmk, Predikat, Rating, Skp, SkpLama,
};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::{HistoryData, HistoryKind, HistoryRecord, OwnerFields, Profile, VerifiedFields};
use mysapk_model::review::ReviewItem;
use mysapk_model::rules::completeness::{CategoryProgress, CategoryStatus};
use mysapk_model::services::{LayananKind, LayananStage, LayananUpdate, ServiceKind};
use mysapk_model::standing::ip_asn::{Band, Dimension, DimensionScore, IpAsnScore, Suggestion};
use mysapk_model::standing::summary::{SkpRecent, SkpYear, Standing, TalentPosition};
use mysapk_model::standing::talent::Level;
use mysapk_model::usulan::{Decision, Role, Usulan, UsulanAction, UsulanEvent, UsulanState};
use mysapk_model::view::{
    Beranda, HistoryItem, HistoryList, Inbox, LocalReviewItem, LocalUsulan, PendingDecision, ReviewFilter,
    ReviewQueueView, SyncPhase, SyncStatus,
};
use mysapk_model::{ApiError, Nip, Violation};
use ts_rs::TS;

const HEADER: &str = "// Generated from the Rust types of mysapk-model by model/tests/ts_types.rs. Do not edit.\n\
// Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types\n";

fn decl<T: TS>() -> String {
    format!("export {}\n", T::decl())
}

fn render() -> String {
    let decls = [
        decl::<ApiError>(),
        decl::<Violation>(),
        decl::<Nip>(),
        decl::<Role>(),
        decl::<UserInfo>(),
        decl::<CatalogEntry>(),
        decl::<Catalog>(),
        decl::<OwnerFields>(),
        decl::<VerifiedFields>(),
        decl::<Profile>(),
        decl::<HistoryKind>(),
        decl::<CpnsPns>(),
        decl::<Golongan>(),
        decl::<Pmk>(),
        decl::<Pendidikan>(),
        decl::<Jabatan>(),
        decl::<Diklat>(),
        decl::<Kursus>(),
        decl::<ParentRole>(),
        decl::<OrangTua>(),
        decl::<Pasangan>(),
        decl::<Anak>(),
        decl::<Penghargaan>(),
        decl::<HukumanDisiplin>(),
        decl::<PindahInstansi>(),
        decl::<Cltn>(),
        decl::<AngkaKredit>(),
        decl::<Rating>(),
        decl::<Predikat>(),
        decl::<Skp>(),
        decl::<SkpLama>(),
        decl::<Organisasi>(),
        decl::<HistoryData>(),
        decl::<DocumentMime>(),
        decl::<DocumentRef>(),
        decl::<UploadStatus>(),
        decl::<DocumentContent>(),
        decl::<BuktiPdm>(),
        decl::<FieldInput>(),
        decl::<FieldSpec>(),
        decl::<DocumentSpec>(),
        decl::<CategorySpec>(),
        decl::<CategoryStatus>(),
        decl::<CategoryProgress>(),
        decl::<HistoryRecord>(),
        decl::<UsulanState>(),
        decl::<UsulanAction>(),
        decl::<UsulanEvent>(),
        decl::<LocalUsulan>(),
        decl::<HistoryItem>(),
        decl::<HistoryList>(),
        decl::<Beranda>(),
        decl::<SyncPhase>(),
        decl::<SyncStatus>(),
        decl::<ServiceKind>(),
        decl::<LayananKind>(),
        decl::<LayananStage>(),
        decl::<LayananUpdate>(),
        decl::<NotificationKind>(),
        decl::<Notification>(),
        decl::<Inbox>(),
        decl::<Decision>(),
        decl::<Usulan>(),
        decl::<ReviewItem>(),
        decl::<PendingDecision>(),
        decl::<LocalReviewItem>(),
        decl::<ReviewFilter>(),
        decl::<ReviewQueueView>(),
        decl::<NewAccount>(),
        decl::<ImportRowError>(),
        decl::<ImportReport>(),
        decl::<AccountInfo>(),
        decl::<RoleChange>(),
        decl::<LockRequest>(),
        decl::<EmailChange>(),
        decl::<ResetCode>(),
        decl::<AnnouncementRequest>(),
        decl::<AuditEntry>(),
        decl::<Dimension>(),
        decl::<Band>(),
        decl::<DimensionScore>(),
        decl::<Suggestion>(),
        decl::<IpAsnScore>(),
        decl::<Level>(),
        decl::<SkpYear>(),
        decl::<SkpRecent>(),
        decl::<TalentPosition>(),
        decl::<Aspect>(),
        decl::<AspectScore>(),
        decl::<Assessment>(),
        decl::<Standing>(),
        decl::<CardInvalid>(),
        decl::<CardCheck>(),
        decl::<AsnCard>(),
    ];
    let mut out = String::from(HEADER);
    for d in decls {
        out.push('\n');
        out.push_str(&d);
    }
    out
}

#[test]
fn ipc_types_match_the_committed_file() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen/ipc.ts");
    let rendered = render();
    if std::env::var_os("UPDATE_IPC_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(&path, &rendered).expect("write ui/src/gen/ipc.ts");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "ui/src/gen/ipc.ts differs from the Rust types; refresh it with \
         UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types"
    );
}
