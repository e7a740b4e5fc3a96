//! The TypeScript twins of the types that cross the IPC boundary, rendered into `ui/src/gen/ipc.ts`, and the
//! model's tables the UI needs (workflow steps, assessment aspects, …), rendered into `ui/src/gen/tables.ts`.
//!
//! Fails when a committed file differs from what the Rust side renders (drift). To refresh both:
//! `UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use mysapk_model::admin::{
    AccountInfo, AnnouncementRequest, AuditEntry, EmailChange, ImportReport, ImportRowError, LockRequest, NewAccount,
    ResetCode, RoleChange,
};
use mysapk_model::assessment::{Aspect, AspectScore, Assessment, KOMPETENSI, POTENSI};
use mysapk_model::auth::{MfaConfirmed, MfaEnrollment, MfaStatus, SessionInfo, UserInfo};
use mysapk_model::card::{AsnCard, CardCheck, CardCheckAnswer, CardInvalid, CardRefusal, CheckedBy};
use mysapk_model::catalog::{Catalog, CatalogEntry};
use mysapk_model::document::{BuktiPdm, DocumentContent, DocumentMime, DocumentRef, UploadStatus};
use mysapk_model::forms::{CategorySpec, DocumentSpec, FieldInput, FieldSpec};
use mysapk_model::history::{
    Anak, AngkaKredit, Cltn, CpnsPns, Diklat, Golongan, HukumanDisiplin, Jabatan, Kursus, OrangTua, Organisasi,
    ParentRole, Pasangan, Pendidikan, Penghargaan, PindahInstansi, Pmk, Predikat, Rating, Skp, SkpLama,
};
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::notification::{AccountEvent, Notification, NotificationKind};
use mysapk_model::notification_text::{Lang, NotificationText, Words};
use mysapk_model::record::{OwnerFields, Profile, VerifiedFields, VERIFIED_CODE_FIELDS};
use mysapk_model::review::ReviewItem;
use mysapk_model::rules::completeness::{CategoryProgress, CategoryStatus};
use mysapk_model::rules::skp::FIRST_YEAR_2022_FORM;
use mysapk_model::services::{LayananKind, LayananStage, LayananUpdate, ServiceKind};
use mysapk_model::siasn::forward::{NotForwardable, SiasnFailure, SiasnManual, SiasnStep};
use mysapk_model::standing::ip_asn::{Band, Dimension, DimensionScore, IpAsnScore, Suggestion, RULES_BKN_8_2019};
use mysapk_model::standing::summary::{SkpRecent, SkpYear, Standing, TalentPosition};
use mysapk_model::standing::talent::{Level, LAYOUT_PERMENPANRB_3_2020};
use mysapk_model::usulan::{Decision, Role, Usulan, UsulanAction, UsulanEvent, UsulanState, TRANSITIONS};
use mysapk_model::view::LockStatus;
use mysapk_model::view::{
    Beranda, HistoryItem, HistoryList, Inbox, InboxItem, LocalReviewItem, LocalUsulan, PendingDecision, ReviewFilter,
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
        decl::<SessionInfo>(),
        decl::<MfaEnrollment>(),
        decl::<MfaConfirmed>(),
        decl::<MfaStatus>(),
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
        decl::<NotForwardable>(),
        decl::<SiasnStep>(),
        decl::<UsulanAction>(),
        decl::<UsulanEvent>(),
        decl::<LocalUsulan>(),
        decl::<HistoryItem>(),
        decl::<HistoryList>(),
        decl::<Beranda>(),
        decl::<SyncPhase>(),
        decl::<SyncStatus>(),
        decl::<LockStatus>(),
        decl::<ServiceKind>(),
        decl::<LayananKind>(),
        decl::<LayananStage>(),
        decl::<LayananUpdate>(),
        decl::<NotificationKind>(),
        decl::<AccountEvent>(),
        decl::<Notification>(),
        decl::<Lang>(),
        decl::<Words>(),
        decl::<NotificationText>(),
        decl::<InboxItem>(),
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
        decl::<SiasnFailure>(),
        decl::<SiasnManual>(),
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
        decl::<CardRefusal>(),
        decl::<CheckedBy>(),
        decl::<CardCheckAnswer>(),
        decl::<AsnCard>(),
    ];
    let mut out = String::from(HEADER);
    for d in decls {
        out.push('\n');
        out.push_str(&d);
    }
    out
}

const TABLES_HEADER: &str = "// Generated from the tables of mysapk-model by model/tests/ts_types.rs. Do not edit.\n\
// Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types\n";

/// A value as the JSON (and so TypeScript) literal the IPC boundary uses for it.
fn lit<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serialise a model value")
}

fn list<T: Serialize>(items: &[T]) -> String {
    format!("[{}]", items.iter().map(lit).collect::<Vec<_>>().join(", "))
}

/// The model's tables as TypeScript constants, so the UI reads them instead of copying them.
fn render_tables() -> String {
    let mut out = String::from(TABLES_HEADER);
    out.push_str("\nimport type { Aspect, Decision, Predikat, Role, UsulanState } from './ipc';\n");

    out.push_str(
        "\n/** The reviewer workflow (`model/src/usulan.rs`): in `from`, a holder of `role` may decide `decision`, giving \
         `to`. */\nexport const TRANSITIONS: ReadonlyArray<{ from: UsulanState; decision: Decision; role: Role; to: \
         UsulanState }> = [\n",
    );
    for t in TRANSITIONS {
        let _ = writeln!(
            out,
            "  {{ from: {}, decision: {}, role: {}, to: {} }},",
            lit(&t.from),
            lit(&t.decision),
            lit(&t.role),
            lit(&t.to)
        );
    }
    out.push_str("];\n");

    let _ = write!(
        out,
        "\n/** The nine managerial and socio-cultural competency aspects (`model/src/assessment.rs`). */\n\
         export const KOMPETENSI: readonly Aspect[] = {};\n\
         \n/** The five potential aspects (`model/src/assessment.rs`). */\n\
         export const POTENSI: readonly Aspect[] = {};\n",
        list(&KOMPETENSI),
        list(&POTENSI)
    );

    let _ = write!(
        out,
        "\n/** The first year of the 2022+ SKP form (`model/src/rules/skp.rs`); earlier years use the old numeric form. */\n\
         export const FIRST_YEAR_2022_FORM = {FIRST_YEAR_2022_FORM};\n"
    );

    let fields: Vec<String> = VERIFIED_CODE_FIELDS.iter().map(|(f, c)| format!("{f}: {}", lit(c))).collect();
    let _ = write!(
        out,
        "\n/** The coded data-utama fields and the catalog of each (`model/src/record.rs`). */\n\
         export const VERIFIED_CODE_FIELDS: Readonly<Record<string, string>> = {{ {} }};\n",
        fields.join(", ")
    );

    // The UI draws an SKP year as a level 5 (best) .. 1: its rank in the IP ASN's kinerja tables, which list the
    // best first; the rank is only a level while the points fall strictly.
    let rules = &RULES_BKN_8_2019;
    for points in [
        rules.kinerja_predikat.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
        rules.kinerja_nilai.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
    ] {
        assert!(points.windows(2).all(|w| w[0] > w[1]), "the kinerja tables list the best first");
    }
    let predikat: Vec<_> = rules.kinerja_predikat.iter().map(|(p, _)| *p).collect();
    let minima: Vec<String> = rules.kinerja_nilai.iter().map(|(m, _)| m.to_string()).collect();
    let _ = write!(
        out,
        "\n/** The 2022+ SKP predikat, best first, as the IP ASN ranks them (`model/src/standing/ip_asn.rs`). */\n\
         export const SKP_PREDIKAT_RANKED: readonly Predikat[] = {};\n\
         \n/** The lowest old-form SKP score of each IP ASN kinerja step, best first (`model/src/standing/ip_asn.rs`). */\n\
         export const SKP_OLD_SCORE_MINIMA: readonly number[] = [{}];\n",
        list(&predikat),
        minima.join(", ")
    );

    let layout = &LAYOUT_PERMENPANRB_3_2020;
    let rows: Vec<String> = layout
        .boxes
        .iter()
        .map(|row| format!("[{}]", row.iter().map(|b| b.number.to_string()).collect::<Vec<_>>().join(", ")))
        .collect();
    let _ = write!(
        out,
        "\n/** The box numbers of each 9-box layout by its version, `[potential][performance]` from low to high \
         (`model/src/standing/talent.rs`). */\n\
         export const NINE_BOX_LAYOUTS: Readonly<Record<string, ReadonlyArray<readonly number[]>>> = {{\n  {}: [{}],\n}};\n",
        lit(&layout.version),
        rows.join(", ")
    );
    out
}

/// Compare `rendered` with the committed `ui/src/gen/<file>`, or write it when `UPDATE_IPC_TYPES=1`.
fn check_generated(file: &str, rendered: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/gen").join(file);
    if std::env::var_os("UPDATE_IPC_TYPES").is_some_and(|v| v == "1") {
        std::fs::write(&path, rendered).unwrap_or_else(|e| panic!("write ui/src/gen/{file}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "ui/src/gen/{file} differs from the Rust model; refresh it with \
         UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types"
    );
}

#[test]
fn ipc_types_match_the_committed_file() {
    check_generated("ipc.ts", &render());
}

#[test]
fn model_tables_match_the_committed_file() {
    check_generated("tables.ts", &render_tables());
}
