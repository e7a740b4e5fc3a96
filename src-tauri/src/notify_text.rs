//! The words of the system notifications for derived service events (KP, KGB, BUP, missing SKP, missing
//! documents) and the admin's layanan updates, in Indonesian and English. The UI's inbox words them from its own
//! catalogs; these are for the notification the OS shows while the app may be in the background.

use chrono::{Datelike, NaiveDate};
use mysapk_model::notification::Notification;
use mysapk_model::record::HistoryKind;
use mysapk_model::services::{LayananKind, LayananStage, ServiceKind};

use crate::notify::Locale;

const BULAN: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `1 April 2027` (Indonesian month names) or `1 April 2027` (English).
pub fn date(d: NaiveDate, locale: Locale) -> String {
    let names = match locale {
        Locale::Id => &BULAN,
        Locale::En => &MONTHS,
    };
    let month = names.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {}", d.day(), d.year())
}

/// The name of a category in a sentence.
pub fn kind_label(kind: Option<HistoryKind>, locale: Locale) -> &'static str {
    match (kind, locale) {
        (Some(HistoryKind::Golongan), Locale::Id) => "riwayat golongan",
        (Some(HistoryKind::Jabatan), Locale::Id) => "riwayat jabatan",
        (Some(HistoryKind::Pendidikan), Locale::Id) => "riwayat pendidikan",
        (None, Locale::Id) => "data pribadi",
        (Some(HistoryKind::Golongan), Locale::En) => "rank history",
        (Some(HistoryKind::Jabatan), Locale::En) => "position history",
        (Some(HistoryKind::Pendidikan), Locale::En) => "education history",
        (None, Locale::En) => "personal details",
        (Some(kind), Locale::Id) => kind.rule().label_id,
        (Some(kind), Locale::En) => kind.rule().label_en,
    }
}

/// Months of notice of a retirement notification: from its id (`svc:<nip>:bup:<months>:<date>`), else from the
/// time between its creation and the date.
fn bup_lead_months(n: &Notification) -> Option<u32> {
    if let Some(rest) = n.id.split(":bup:").nth(1) {
        if let Some(m) = rest.split(':').next().and_then(|m| m.parse().ok()) {
            return Some(m);
        }
    }
    let due = n.due_date?;
    let days = (due - n.created_at.date_naive()).num_days();
    Some(if days > 183 { 12 } else { 3 })
}

/// Title and body of a `service` notification.
pub fn service_text(n: &Notification, locale: Locale) -> (String, String) {
    let on = n.due_date.map(|d| date(d, locale));
    let id = locale == Locale::Id;
    match n.service {
        Some(ServiceKind::KenaikanPangkat) => {
            let title = if id { "Kenaikan pangkat" } else { "Promotion due" };
            let body = match (on, id) {
                (Some(d), true) => format!("Kenaikan pangkat reguler Anda jatuh tempo pada {d}. Periksa berkasnya."),
                (Some(d), false) => format!("Your regular promotion (KP) falls due on {d}. Check your documents."),
                (None, true) => "Kenaikan pangkat reguler Anda sudah jatuh tempo. Periksa berkasnya.".to_owned(),
                (None, false) => "Your regular promotion (KP) is due. Check your documents.".to_owned(),
            };
            (title.to_owned(), body)
        }
        Some(ServiceKind::Kgb) => {
            let title = if id { "Kenaikan gaji berkala" } else { "Salary step due" };
            let body = match (on, id) {
                (Some(d), true) => format!("Kenaikan gaji berkala (KGB) Anda jatuh tempo pada {d}."),
                (Some(d), false) => format!("Your periodic salary step (KGB) falls due on {d}."),
                (None, true) => "Kenaikan gaji berkala (KGB) Anda sudah jatuh tempo.".to_owned(),
                (None, false) => "Your periodic salary step (KGB) is due.".to_owned(),
            };
            (title.to_owned(), body)
        }
        Some(ServiceKind::Pensiun) => {
            let title = if id { "Batas usia pensiun" } else { "Retirement age" };
            let lead = match (bup_lead_months(n), id) {
                (Some(12), true) => "1 tahun lagi".to_owned(),
                (Some(12), false) => "one year".to_owned(),
                (Some(m), true) => format!("{m} bulan lagi"),
                (Some(m), false) => format!("{m} months"),
                (None, true) => "waktu dekat".to_owned(),
                (None, false) => "the near future".to_owned(),
            };
            let body = match (on, id) {
                (Some(d), true) => {
                    format!("Anda mencapai batas usia pensiun {lead}, pada {d}. Siapkan berkas pensiun Anda.")
                }
                (Some(d), false) => {
                    format!("You reach the retirement age in {lead}, on {d}. Prepare your pension file.")
                }
                (None, true) => format!("Anda mencapai batas usia pensiun {lead}. Siapkan berkas pensiun Anda."),
                (None, false) => format!("You reach the retirement age in {lead}. Prepare your pension file."),
            };
            (title.to_owned(), body)
        }
        Some(ServiceKind::SkpMissing) => {
            let title = if id { "SKP belum tercatat" } else { "SKP missing" };
            let body = match (n.due_date.map(|d| d.year()), id) {
                (Some(y), true) => format!("SKP tahun {y} belum ada di data Anda. Usulkan agar data Anda lengkap."),
                (Some(y), false) => format!("Your SKP of {y} is not on record. Propose it to complete your data."),
                (None, true) => "Ada SKP yang belum tercatat di data Anda.".to_owned(),
                (None, false) => "An SKP is missing from your record.".to_owned(),
            };
            (title.to_owned(), body)
        }
        Some(ServiceKind::DocumentsMissing) => {
            let title = if id { "Dokumen belum lengkap" } else { "Documents missing" };
            let what = kind_label(n.history_kind, locale);
            let body = if id {
                format!("Dokumen pendukung {what} belum lengkap. Unggah dokumen yang diperlukan.")
            } else {
                format!("Supporting documents are missing in {what}. Upload the documents required.")
            };
            (title.to_owned(), body)
        }
        None => {
            let title = if id { "Layanan kepegawaian" } else { "Personnel service" };
            let body = if id { "Ada layanan yang perlu Anda perhatikan." } else { "A service needs your attention." };
            (title.to_owned(), body.to_owned())
        }
    }
}

fn layanan_name(kind: LayananKind, locale: Locale) -> &'static str {
    match (kind, locale) {
        (LayananKind::KenaikanPangkat, Locale::Id) => "Kenaikan pangkat",
        (LayananKind::Kgb, Locale::Id) => "Kenaikan gaji berkala",
        (LayananKind::Pensiun, Locale::Id) => "Pensiun",
        (LayananKind::Mutasi, Locale::Id) => "Mutasi",
        (LayananKind::Cuti, Locale::Id) => "Cuti",
        (LayananKind::PerbaikanData, Locale::Id) => "Perbaikan data",
        (LayananKind::KenaikanPangkat, Locale::En) => "Promotion",
        (LayananKind::Kgb, Locale::En) => "Salary step",
        (LayananKind::Pensiun, Locale::En) => "Retirement",
        (LayananKind::Mutasi, Locale::En) => "Transfer",
        (LayananKind::Cuti, Locale::En) => "Leave",
        (LayananKind::PerbaikanData, Locale::En) => "Data correction",
    }
}

fn stage_name(stage: LayananStage, locale: Locale) -> &'static str {
    match (stage, locale) {
        (LayananStage::Diterima, Locale::Id) => "berkas diterima",
        (LayananStage::Diusulkan, Locale::Id) => "diusulkan ke BKN",
        (LayananStage::Disetujui, Locale::Id) => "disetujui",
        (LayananStage::SkTerbit, Locale::Id) => "SK terbit",
        (LayananStage::Dikembalikan, Locale::Id) => "dikembalikan",
        (LayananStage::Ditolak, Locale::Id) => "ditolak",
        (LayananStage::Diterima, Locale::En) => "file received",
        (LayananStage::Diusulkan, Locale::En) => "sent to BKN",
        (LayananStage::Disetujui, Locale::En) => "approved",
        (LayananStage::SkTerbit, Locale::En) => "decree issued",
        (LayananStage::Dikembalikan, Locale::En) => "returned",
        (LayananStage::Ditolak, Locale::En) => "rejected",
    }
}

/// Title and body of a `layanan` notification: the service and the stage it reached; the body is the admin's
/// note (a short sentence when there is none).
pub fn layanan_text(n: &Notification, locale: Locale) -> (String, String) {
    let service = match (n.layanan, locale) {
        (Some(k), _) => layanan_name(k, locale),
        (None, Locale::Id) => "Layanan kepegawaian",
        (None, Locale::En) => "Personnel service",
    };
    let title = match n.stage {
        Some(s) => format!("{service}: {}", stage_name(s, locale)),
        None => service.to_owned(),
    };
    let body = match n.body.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(note) => note.to_owned(),
        None => match locale {
            Locale::Id => "Status berkas layanan Anda diperbarui.".to_owned(),
            Locale::En => "Your service file was updated.".to_owned(),
        },
    };
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysapk_model::notification::NotificationKind;

    fn n(id: &str, kind: NotificationKind) -> Notification {
        Notification {
            id: id.into(),
            kind,
            usulan_id: None,
            state: None,
            history_kind: None,
            reason: None,
            title: None,
            body: None,
            service: None,
            due_date: None,
            layanan: None,
            stage: None,
            created_at: chrono::Utc::now(),
            read: false,
        }
    }

    fn service(id: &str, kind: ServiceKind, due: &str) -> Notification {
        let mut x = n(id, NotificationKind::Service);
        x.service = Some(kind);
        x.due_date = due.parse().ok();
        x
    }

    #[test]
    fn promotion_and_salary_step_name_the_date() {
        let kp = service("svc:1:kp:2027-04-01", ServiceKind::KenaikanPangkat, "2027-04-01");
        assert_eq!(
            service_text(&kp, Locale::Id),
            (
                "Kenaikan pangkat".to_owned(),
                "Kenaikan pangkat reguler Anda jatuh tempo pada 1 April 2027. Periksa berkasnya.".to_owned()
            )
        );
        assert_eq!(
            service_text(&kp, Locale::En).1,
            "Your regular promotion (KP) falls due on 1 April 2027. Check your documents."
        );
        let kgb = service("svc:1:kgb:2026-08-17", ServiceKind::Kgb, "2026-08-17");
        assert_eq!(
            service_text(&kgb, Locale::Id).1,
            "Kenaikan gaji berkala (KGB) Anda jatuh tempo pada 17 Agustus 2026."
        );
        assert_eq!(service_text(&kgb, Locale::En).1, "Your periodic salary step (KGB) falls due on 17 August 2026.");
    }

    #[test]
    fn retirement_says_one_year_or_three_months() {
        let year = service("svc:1:bup:12:2031-02-01", ServiceKind::Pensiun, "2031-02-01");
        assert_eq!(
            service_text(&year, Locale::Id).1,
            "Anda mencapai batas usia pensiun 1 tahun lagi, pada 1 Februari 2031. Siapkan berkas pensiun Anda."
        );
        assert_eq!(
            service_text(&year, Locale::En).1,
            "You reach the retirement age in one year, on 1 February 2031. Prepare your pension file."
        );
        let months = service("svc:1:bup:3:2031-02-01", ServiceKind::Pensiun, "2031-02-01");
        assert_eq!(
            service_text(&months, Locale::Id).1,
            "Anda mencapai batas usia pensiun 3 bulan lagi, pada 1 Februari 2031. Siapkan berkas pensiun Anda."
        );
        assert_eq!(service_text(&months, Locale::En).0, "Retirement age");
        assert!(service_text(&months, Locale::En).1.starts_with("You reach the retirement age in 3 months"));
    }

    #[test]
    fn missing_skp_names_the_year_and_missing_documents_the_category() {
        let skp = service("svc:1:skp:2025", ServiceKind::SkpMissing, "2025-12-31");
        assert_eq!(
            service_text(&skp, Locale::Id),
            (
                "SKP belum tercatat".to_owned(),
                "SKP tahun 2025 belum ada di data Anda. Usulkan agar data Anda lengkap.".to_owned()
            )
        );
        assert_eq!(
            service_text(&skp, Locale::En).1,
            "Your SKP of 2025 is not on record. Propose it to complete your data."
        );
        let mut docs = service("svc:1:docs:golongan", ServiceKind::DocumentsMissing, "2026-11-28");
        docs.history_kind = Some(HistoryKind::Golongan);
        assert_eq!(
            service_text(&docs, Locale::Id).1,
            "Dokumen pendukung riwayat golongan belum lengkap. Unggah dokumen yang diperlukan."
        );
        assert_eq!(
            service_text(&docs, Locale::En).1,
            "Supporting documents are missing in rank history. Upload the documents required."
        );
    }

    #[test]
    fn layanan_names_service_and_stage_and_carries_the_note() {
        let mut l = n("lay1", NotificationKind::Layanan);
        l.layanan = Some(LayananKind::KenaikanPangkat);
        l.stage = Some(LayananStage::Dikembalikan);
        l.body = Some("Lengkapi SKP 2024.".into());
        assert_eq!(
            layanan_text(&l, Locale::Id),
            ("Kenaikan pangkat: dikembalikan".to_owned(), "Lengkapi SKP 2024.".to_owned())
        );
        assert_eq!(layanan_text(&l, Locale::En), ("Promotion: returned".to_owned(), "Lengkapi SKP 2024.".to_owned()));
        l.stage = Some(LayananStage::SkTerbit);
        l.body = None;
        assert_eq!(
            layanan_text(&l, Locale::Id),
            ("Kenaikan pangkat: SK terbit".to_owned(), "Status berkas layanan Anda diperbarui.".to_owned())
        );
        assert_eq!(layanan_text(&l, Locale::En).0, "Promotion: decree issued");
    }
}
