//! Every rule of the record, table-driven: each case is a proposal, the facts of the record, and the violation
//! codes `check_proposal` must report (none for a valid case). The device and the server both run exactly
//! `check_proposal`, so this table is what both enforce.

use std::collections::HashMap;

use chrono::NaiveDate;
use mysapk_model::catalog::{Catalog, CatalogEntry, Catalogs};
use mysapk_model::document::{DocumentMime, DocumentRef};
use mysapk_model::history::samples::sample;
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord, Predikat, Rating};
use mysapk_model::record::{OwnerFields, VerifiedFields};
use mysapk_model::rules::proposal::{check_proposal, RecordFacts};
use mysapk_model::rules::RuleContext;
use mysapk_model::usulan::UsulanAction;
use mysapk_model::Nip;

const OWNER: &str = "198503102010011002";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn born() -> NaiveDate {
    d(1985, 3, 10)
}

/// The mandatory documents of `kind`, as PDFs.
fn docs_for(kind: HistoryKind) -> Vec<DocumentRef> {
    kind.rule().documents.iter().filter(|r| r.mandatory).map(|r| doc(r.dokumen_id, DocumentMime::Pdf)).collect()
}

fn doc(dokumen_id: &str, mime: DocumentMime) -> DocumentRef {
    DocumentRef { sha256: "ab".repeat(32), dokumen_id: dokumen_id.into(), mime, size: 1000, file_name: "x.pdf".into() }
}

fn add(data: HistoryData) -> (UsulanAction, Vec<DocumentRef>) {
    let docs = docs_for(data.kind());
    (UsulanAction::AddHistory { data }, docs)
}

fn edit(kind: HistoryKind, f: impl FnOnce(&mut HistoryData)) -> HistoryData {
    let mut data = sample(kind, born(), 0);
    f(&mut data);
    data
}

fn record(id: &str, data: HistoryData) -> HistoryRecord {
    HistoryRecord { id: id.into(), data, last_usulan_id: None, siasn_id: None }
}

fn golongan(id: &str, tmt: NaiveDate) -> HistoryData {
    edit(HistoryKind::Golongan, |h| {
        if let HistoryData::Golongan(g) = h {
            g.golongan_id = id.into();
            g.tmt_golongan = tmt;
        }
    })
}

struct Case {
    name: &'static str,
    action: UsulanAction,
    documents: Vec<DocumentRef>,
    official: Vec<HistoryRecord>,
    changes_before: u32,
    expected: &'static [&'static str],
}

fn case(
    name: &'static str,
    (action, documents): (UsulanAction, Vec<DocumentRef>),
    expected: &'static [&'static str],
) -> Case {
    Case { name, action, documents, official: Vec::new(), changes_before: 0, expected }
}

fn codes() -> Catalogs {
    Catalogs(vec![Catalog {
        name: "penghargaan".into(),
        entries: vec![CatalogEntry { id: "201".into(), nama: "Satyalancana Karya Satya X Tahun".into() }],
    }])
}

#[test]
fn every_rule_with_valid_and_invalid_cases() {
    use HistoryKind as K;
    let gol_official = vec![record("g1", golongan("31", d(2010, 1, 1))), record("g2", golongan("32", d(2014, 4, 1)))];
    let mut cases = Vec::new();

    // Every kind the ASN may propose: a valid sample with its mandatory documents passes.
    for kind in HistoryKind::ALL.into_iter().filter(|k| k.rule().asn_may_propose) {
        cases.push(case("valid sample", add(sample(kind, born(), 1)), &[]));
    }
    // Read-only kinds.
    cases.push(case("hukuman disiplin is read-only", add(sample(K::HukumanDisiplin, born(), 0)), &["kind.read_only"]));
    cases.push(case("old SKP is read-only", add(sample(K::SkpLama, born(), 0)), &["kind.read_only"]));

    // Documents: mandatory, wrong type, PDF-only kinds.
    let (a, _) = add(sample(K::Jabatan, born(), 0));
    cases.push(case("missing SK jabatan", (a.clone(), vec![]), &["document.required"]));
    cases.push(case(
        "document of another kind",
        (a.clone(), vec![doc("872", DocumentMime::Pdf), doc("891", DocumentMime::Pdf)]),
        &["document.wrong_type"],
    ));
    cases.push(case("SK jabatan as JPEG", (a, vec![doc("872", DocumentMime::Jpeg)]), &["document.pdf_required"]));
    let (a, _) = add(sample(K::Anak, born(), 0));
    cases.push(case("birth certificate scan as JPEG", (a, vec![doc("x-akta-lahir", DocumentMime::Jpeg)]), &[]));

    // Date order.
    cases.push(case(
        "jabatan ends before it starts",
        add(edit(K::Jabatan, |h| {
            if let HistoryData::Jabatan(j) = h {
                j.tmt_selesai = Some(d(2000, 1, 1));
            }
        })),
        &["date.end_before_start"],
    ));
    cases.push(case(
        "PMK ends before it starts",
        add(edit(K::Pmk, |h| {
            if let HistoryData::Pmk(p) = h {
                p.tanggal_selesai = d(1990, 1, 1);
            }
        })),
        &["date.end_before_start"],
    ));
    cases.push(case(
        "date before 1945",
        add(edit(K::Organisasi, |h| {
            if let HistoryData::Organisasi(o) = h {
                o.tanggal_mulai = d(1900, 1, 1);
            }
        })),
        &["date.out_of_range"],
    ));
    cases.push(case(
        "TMT CPNS before the 18th birthday",
        add(edit(K::CpnsPns, |h| {
            if let HistoryData::CpnsPns(c) = h {
                c.tmt_cpns = d(2002, 1, 1);
                c.tgl_sk_cpns = d(2002, 1, 1);
            }
        })),
        &["date.before_adulthood"],
    ));
    cases.push(case(
        "TMT PNS before TMT CPNS",
        add(edit(K::CpnsPns, |h| {
            if let HistoryData::CpnsPns(c) = h {
                c.tmt_pns = Some(d(2005, 1, 1));
            }
        })),
        &["date.end_before_start"],
    ));
    cases.push(case(
        "child born before the ASN",
        add(edit(K::Anak, |h| {
            if let HistoryData::Anak(a) = h {
                a.tanggal_lahir = d(1980, 1, 1);
            }
        })),
        &["family.child_before_parent"],
    ));
    cases.push(case(
        "adopted child may be older",
        add(edit(K::Anak, |h| {
            if let HistoryData::Anak(a) = h {
                a.tanggal_lahir = d(1984, 1, 1);
                a.status_anak = "angkat".into();
            }
        })),
        &[],
    ));
    cases.push(case(
        "parent born after the ASN",
        add(edit(K::OrangTua, |h| {
            if let HistoryData::OrangTua(o) = h {
                o.tanggal_lahir = d(1990, 1, 1);
            }
        })),
        &["family.parent_after_child"],
    ));
    cases.push(case(
        "birth in the future",
        add(edit(K::Anak, |h| {
            if let HistoryData::Anak(a) = h {
                a.tanggal_lahir = d(2027, 1, 1);
            }
        })),
        &["date.in_future"],
    ));
    cases.push(case(
        "divorce without a date",
        add(edit(K::Pasangan, |h| {
            if let HistoryData::Pasangan(p) = h {
                p.status_kawin_id = "2".into();
            }
        })),
        &["field.required"],
    ));

    // SKP: the predikat follows the matrix; the 2022+ form only from 2022.
    cases.push(case(
        "SKP predikat not from the matrix",
        add(edit(K::Skp, |h| {
            if let HistoryData::Skp(s) = h {
                s.hasil_kerja = Rating::Above;
                s.perilaku_kerja = Rating::Above;
                s.predikat = Predikat::Baik;
            }
        })),
        &["skp.predikat_mismatch"],
    ));
    cases.push(case(
        "SKP below+below is Sangat Kurang",
        add(edit(K::Skp, |h| {
            if let HistoryData::Skp(s) = h {
                s.hasil_kerja = Rating::Below;
                s.perilaku_kerja = Rating::Below;
                s.predikat = Predikat::SangatKurang;
            }
        })),
        &[],
    ));
    cases.push(case(
        "2022+ SKP form for 2020",
        add(edit(K::Skp, |h| {
            if let HistoryData::Skp(s) = h {
                s.tahun = 2020;
            }
        })),
        &["skp.old_form_year"],
    ));
    cases.push(case(
        "SKP appraiser NIP invalid",
        add(edit(K::Skp, |h| {
            if let HistoryData::Skp(s) = h {
                s.penilai_nip = "12345".into();
            }
        })),
        &["nip.invalid"],
    ));
    cases.push(case(
        "credit points do not add up",
        add(edit(K::AngkaKredit, |h| {
            if let HistoryData::AngkaKredit(a) = h {
                a.kredit_total = 99.0;
            }
        })),
        &["angka_kredit.total_mismatch"],
    ));
    cases.push(case(
        "unknown award code",
        add(edit(K::Penghargaan, |h| {
            if let HistoryData::Penghargaan(p) = h {
                p.penghargaan_id = "999".into();
            }
        })),
        &["code.unknown"],
    ));
    cases.push(case(
        "training hours zero",
        add(edit(K::Kursus, |h| {
            if let HistoryData::Kursus(k) = h {
                k.jumlah_jam = 0;
            }
        })),
        &["number.out_of_range"],
    ));

    // Golongan order and the one-time edit.
    let mut c = case("golongan rises with TMT", add(golongan("33", d(2018, 4, 1))), &[]);
    c.official = gol_official.clone();
    cases.push(c);
    let mut c = case("golongan lower than an earlier one", add(golongan("31", d(2018, 4, 1))), &["golongan.order"]);
    c.official = gol_official.clone();
    cases.push(c);
    let change = |id: &str, data| {
        let docs = docs_for(K::Golongan);
        (UsulanAction::ChangeHistory { record_id: id.into(), data }, docs)
    };
    let mut c = case("first change of a golongan record", change("g2", golongan("32", d(2014, 10, 1))), &[]);
    c.official = gol_official.clone();
    cases.push(c);
    let mut c = case(
        "second change of a golongan record",
        change("g2", golongan("32", d(2014, 10, 1))),
        &["record.edit_limit"],
    );
    c.official = gol_official.clone();
    c.changes_before = 1;
    cases.push(c);
    let mut c =
        case("change of a missing record", change("nope", golongan("33", d(2018, 1, 1))), &["record.not_found"]);
    c.official = gol_official.clone();
    cases.push(c);
    let mut c = case(
        "change of a record of another kind",
        (
            UsulanAction::ChangeHistory { record_id: "g1".into(), data: sample(K::Jabatan, born(), 0) },
            docs_for(K::Jabatan),
        ),
        &["record.kind_mismatch"],
    );
    c.official = gol_official.clone();
    cases.push(c);

    // Data utama: NIK, owner fields.
    let verified = |nik: &str| {
        (
            UsulanAction::ChangeVerifiedFields {
                fields: VerifiedFields { nik: Some(nik.into()), ..Default::default() },
            },
            vec![],
        )
    };
    cases.push(case("NIK matching birth date and gender", verified("3273011003850001"), &[]));
    cases.push(case("NIK of a woman for a man", verified("3273015003850001"), &["nik.gender_mismatch"]));
    cases.push(case("NIK of another birth date", verified("3273011104850001"), &["nik.birth_date_mismatch"]));
    cases.push(case("NIK too short", verified("32730110038500"), &["nik.format"]));
    cases.push(case(
        "owner fields take no documents",
        (
            UsulanAction::ChangeOwnerFields {
                fields: OwnerFields { no_hp: Some("081234567890".into()), ..Default::default() },
            },
            vec![doc("872", DocumentMime::Pdf)],
        ),
        &["document.not_expected"],
    ));

    let nip = Nip::parse(OWNER).expect("owner NIP");
    let catalogs = codes();
    let ctx = RuleContext::new(&catalogs, d(2026, 11, 28)).for_owner(&nip);
    for c in cases {
        let mut changes_before = HashMap::new();
        if let UsulanAction::ChangeHistory { record_id, .. } = &c.action {
            changes_before.insert(record_id.clone(), c.changes_before);
        }
        let facts = RecordFacts { official: &c.official, changes_before };
        let got: Vec<String> =
            check_proposal(&c.action, &c.documents, &ctx, &facts).into_iter().map(|v| v.code).collect();
        assert_eq!(got, c.expected, "case: {} ({:?})", c.name, c.action.history_kind());
    }
}

#[test]
fn nip_structure() {
    assert!(Nip::parse(OWNER).is_ok());
    for bad in
        ["19850310201001100", "1985031020100110a2", "198513102010011002", "198503102001011002", "198503102010013002"]
    {
        assert!(Nip::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn every_violation_speaks_both_languages() {
    let nip = Nip::parse(OWNER).expect("owner NIP");
    let catalogs = codes();
    let ctx = RuleContext::new(&catalogs, d(2026, 11, 28)).for_owner(&nip);
    let action = UsulanAction::AddHistory { data: sample(HistoryKind::Anak, d(2030, 1, 1), 0) };
    let violations = check_proposal(&action, &[], &ctx, &RecordFacts::default());
    assert!(!violations.is_empty());
    for v in violations {
        assert!(!v.message_id.is_empty() && !v.message_en.is_empty() && !v.field.is_empty(), "{v:?}");
    }
}
