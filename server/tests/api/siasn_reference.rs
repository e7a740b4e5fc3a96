//! An approved position reaches SIASN with SIASN's reference ids (`unorId`, `jabatanFungsionalId` /
//! `jabatanFungsionalUmumId`), found by name the way a person typed it; a position or unit SIASN's reference does
//! not know is not sent (`unknown_position`, `unknown_unit`) rather than sent with a guessed or empty id.

use std::time::Duration;

use mysapk_model::history::{HistoryData, Jabatan};
use mysapk_model::siasn::forward::{NotForwardable, SiasnStep};
use mysapk_model::siasn::reference::ReferenceKind;
use mysapk_model::siasn::write::{WriteBody, WriteEndpoint};
use mysapk_model::usulan::UsulanAction;
use mysapk_server::db::siasn_reference::{self, Named};
use mysapk_server::db::{records, NoHook};
use mysapk_server::siasn::import::{import, ImportTarget};

use crate::backend_tests;
use crate::fixtures::{d, jabatan};
use crate::siasn_forward::{approved, bridge, client, drain, saves, sim_config, step, worker};
use crate::support::{Ctx, BUDI, SITI};

/// A position Budi proposes: `jenis`, `nama` in unit `unor`, starting on `start`.
fn position(jenis: &str, nama: &str, unor: &str, start: chrono::NaiveDate) -> UsulanAction {
    let HistoryData::Jabatan(j) = jabatan(start, None) else { unreachable!("a position") };
    let j = Jabatan {
        jenis_jabatan_id: jenis.into(),
        jabatan_nama: nama.into(),
        unor_nama: unor.into(),
        sk_nomor: format!("821.2/{start}"),
        ..j
    };
    UsulanAction::AddHistory { data: HistoryData::Jabatan(j) }
}

fn not_forwardable(s: Option<SiasnStep>) -> NotForwardable {
    match s {
        Some(SiasnStep::NotForwardable { reason }) => reason,
        other => panic!("not forwardable expected: {other:?}"),
    }
}

async fn a_position_is_sent_with_siasn_reference_ids(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    // The seed wrote the fungsional table; the pelaksana one comes with `import-reference`.
    mysapk_server::reference::import_reference(&ctx.db_url, &crate::support::reference_dir()).await.expect("import");
    let mut db = ctx.db().await;
    let budi = records::get_profile(&mut db, BUDI).await.expect("read").expect("Budi");
    let own_unit = budi.unor_id.clone().expect("Budi's unit has its SIASN id");
    let komputer = siasn_reference::find(&mut db, ReferenceKind::JabatanFungsional, "", "Pranata Komputer Ahli Muda")
        .await
        .expect("find")
        .expect("in jabatanFungsional.json");
    let trantibum = siasn_reference::find(&mut db, ReferenceKind::JabatanPelaksana, "", "PENGELOLA TRANTIBUM")
        .await
        .expect("find")
        .expect("in jabatanPelaksana.json.gz");

    // Typed in another case and spacing, in Budi's own unit: both ids found.
    let known = position("2", "pranata  komputer ahli MUDA", "pusat data dan sistem informasi", d(2024, 2, 1));
    let known = approved(&ctx, known).await;
    // A name no reference table lists, and a unit no answer of SIASN named: not sent.
    let unknown_position = approved(&ctx, position("4", "Penata Segala Urusan", &budi.unor_nama, d(2024, 3, 1))).await;
    let unknown_unit = approved(&ctx, position("4", "Pengelola Trantibum", "Bagian Umum", d(2024, 4, 1))).await;
    // Ids a device sends are not taken: a forged position and unit id on an unknown name are dropped.
    let forged = {
        let UsulanAction::AddHistory { data: HistoryData::Jabatan(j) } =
            position("4", "Penata Segala Urusan Lain", &budi.unor_nama, d(2024, 3, 15))
        else {
            unreachable!("a position")
        };
        let data = Jabatan { unor_id: Some("FORGED-UNIT".into()), jabatan_id: Some("FORGED-POSITION".into()), ..j };
        approved(&ctx, UsulanAction::AddHistory { data: HistoryData::Jabatan(data) }).await
    };
    assert_eq!(not_forwardable(step(&ctx, &forged).await), NotForwardable::UnknownPosition);
    let stored = records::list_history(&mut db, BUDI).await.expect("history");
    let forged_record = stored
        .iter()
        .find_map(|r| match &r.data {
            HistoryData::Jabatan(j) if j.tmt_jabatan == d(2024, 3, 15) => Some(j.clone()),
            _ => None,
        })
        .expect("the approved position");
    assert_eq!(forged_record.unor_id.as_deref(), Some(own_unit.as_str()), "the unit found by its name");
    assert_eq!(forged_record.jabatan_id, None);
    assert_eq!(not_forwardable(step(&ctx, &unknown_position).await), NotForwardable::UnknownPosition);
    assert_eq!(not_forwardable(step(&ctx, &unknown_unit).await), NotForwardable::UnknownUnit);

    // Once an import has seen a colleague's unit of that name, a position there is sent with its id.
    siasn_reference::put_unit(
        &mut db,
        &budi.instansi_id,
        &Named { id: "UNOR-UMUM-1".into(), nama: "Bagian Umum".into() },
    )
    .await
    .expect("put unit");
    let colleague_unit = approved(&ctx, position("4", "Pengelola Trantibum", "BAGIAN UMUM", d(2024, 5, 1))).await;

    drain(&ctx, &worker(&ctx, &sim, client(&sim)).await).await;
    let sent: Vec<_> = saves(&sim, WriteEndpoint::Jabatan)
        .into_iter()
        .map(|(body, _)| match body {
            WriteBody::Jabatan(j) => j,
            other => panic!("a jabatan save: {other:?}"),
        })
        .collect();
    assert_eq!(sent.len(), 2, "only the two positions with every id are sent: {sent:?}");
    let by_tmt = |tmt: &str| sent.iter().find(|j| j.tmt_jabatan == tmt).expect("sent").clone();
    let first = by_tmt("01-02-2024");
    assert_eq!((first.unor_id.as_str(), first.jabatan_fungsional_id.as_str()), (own_unit.as_str(), komputer.as_str()));
    assert_eq!(first.jabatan_fungsional_umum_id, "");
    let second = by_tmt("01-05-2024");
    assert_eq!(
        (second.unor_id.as_str(), second.jabatan_fungsional_umum_id.as_str()),
        ("UNOR-UMUM-1", trantibum.as_str())
    );
    for id in [&known, &colleague_unit] {
        assert!(matches!(step(&ctx, id).await, Some(SiasnStep::Recorded { .. })), "{id}");
    }

    // The official record carries the ids it was sent with (the facade serves them; an import links to it).
    let history = records::list_history(&mut db, BUDI).await.expect("history");
    let official = history
        .iter()
        .find_map(|r| match &r.data {
            HistoryData::Jabatan(j) if j.tmt_jabatan == d(2024, 2, 1) => Some(j.clone()),
            _ => None,
        })
        .expect("the approved position");
    assert_eq!(official.unor_id.as_deref(), Some(own_unit.as_str()));
    assert_eq!(official.jabatan_id.as_deref(), Some(komputer.as_str()));
}

/// The units of an imported record are remembered for the agency: Siti's import teaches the server her unit's id,
/// and a position Budi proposes in that unit is sent with it.
async fn an_import_teaches_the_agency_units(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    crate::siasn_import::add_demo(&ctx, &sim, SITI).await;
    let mut db = ctx.db().await;
    let siti = records::get_profile(&mut db, SITI).await.expect("read").expect("Siti");
    let unit = siti.unor_id.clone().expect("Siti's unit has its SIASN id");
    assert_ne!(siti.unor_nama, records::get_profile(&mut db, BUDI).await.expect("read").expect("Budi").unor_nama);
    let in_siti_unit = || position("2", "Pranata Komputer Ahli Muda", &siti.unor_nama, d(2024, 6, 1));
    let before = approved(&ctx, in_siti_unit()).await;
    assert_eq!(not_forwardable(step(&ctx, &before).await), NotForwardable::UnknownUnit);

    let pool = mysapk_server::db::connect(&ctx.db_url).await.expect("pool");
    let target = ImportTarget::Nips(vec![SITI.to_owned()]);
    let report = import(&pool, &NoHook, &client(&sim), &target, &|_, _| {}).await.expect("import runs");
    assert!(report.failed.is_empty(), "{report:?}");
    let known =
        siasn_reference::find(&mut db, ReferenceKind::Unor, &siti.instansi_id, &siti.unor_nama).await.expect("find");
    assert_eq!(known.as_deref(), Some(unit.as_str()));

    let after = approved(&ctx, position("2", "Pranata Komputer Ahli Muda", &siti.unor_nama, d(2024, 7, 1))).await;
    drain(&ctx, &worker(&ctx, &sim, client(&sim)).await).await;
    assert!(matches!(step(&ctx, &after).await, Some(SiasnStep::Recorded { .. })));
    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 1);
    let WriteBody::Jabatan(j) = &sent[0].0 else { panic!("a jabatan save") };
    assert_eq!(j.unor_id, unit);
}

/// A renamed position is sent with the id of its new name, never with the old position's id: Budi's two
/// positions (as an import leaves them: SIASN ids and the reference id of their name) are renamed, one to another
/// reference position, one to a name no table lists.
async fn a_renamed_position_is_not_sent_with_the_old_id(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let mut db = ctx.db().await;
    let find = |nama: &'static str| {
        let url = ctx.db_url.clone();
        async move {
            let mut db = mysapk_server::db::connect(&url).await.expect("pool").acquire().await.expect("conn");
            let kind = ReferenceKind::JabatanFungsional;
            siasn_reference::find(&mut db, kind, "", nama).await.expect("find").expect("in jabatanFungsional.json")
        }
    };
    let (muda, madya) = (find("Pranata Komputer Ahli Muda").await, find("Pranata Komputer Ahli Madya").await);
    let mut positions: Vec<_> = records::list_history(&mut db, BUDI)
        .await
        .expect("history")
        .into_iter()
        .filter(|r| matches!(r.data, HistoryData::Jabatan(_)))
        .collect();
    assert!(positions.len() >= 2, "Budi has two positions");
    let mut proposals = Vec::new();
    for (n, (record, new_name)) in
        positions.iter_mut().zip(["Pranata Komputer Ahli Madya", "Penata Segala Urusan"]).enumerate()
    {
        let HistoryData::Jabatan(j) = &mut record.data else { unreachable!("a position") };
        j.jenis_jabatan_id = "2".into();
        j.jabatan_nama = "Pranata Komputer Ahli Muda".into();
        j.jabatan_id = Some(muda.clone());
        record.siasn_id = Some(format!("RW-JABATAN-{n}"));
        let data = HistoryData::Jabatan(Jabatan { jabatan_nama: new_name.into(), ..j.clone() });
        records::put_history(&mut db, BUDI, record).await.expect("as imported");
        let change = UsulanAction::ChangeHistory { record_id: record.id.clone(), data };
        proposals.push(approved(&ctx, change).await);
    }
    assert_eq!(not_forwardable(step(&ctx, &proposals[1]).await), NotForwardable::UnknownPosition);
    drain(&ctx, &worker(&ctx, &sim, client(&sim)).await).await;
    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 1, "only the rename to a reference position is sent");
    let WriteBody::Jabatan(j) = &sent[0].0 else { panic!("a jabatan save") };
    assert_eq!((j.id.as_deref(), j.jabatan_fungsional_id.as_str()), (Some("RW-JABATAN-0"), madya.as_str()));
}

backend_tests!(
    a_position_is_sent_with_siasn_reference_ids,
    an_import_teaches_the_agency_units,
    a_renamed_position_is_not_sent_with_the_old_id
);
