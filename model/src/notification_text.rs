//! The words of every notification, in Indonesian and English: one source for the inbox (the core hands them to
//! the UI with each notification) and for the system notification the shell raises. A notification carries the
//! facts its words need (kind, dates, lead months); nothing is read from its id.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::history::HistoryKind;
use crate::notification::{AccountEvent, Notification, NotificationKind};
use crate::services::{LayananKind, LayananStage, ServiceKind};
use crate::usulan::UsulanState;

/// A language of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// `en` (any case) is English; anything else is the app's first language, Indonesian.
    pub fn parse(s: &str) -> Self {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Id
        }
    }

    fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Id => id,
            Lang::En => en,
        }
    }
}

/// The title and body of one notification in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Words {
    pub title: String,
    pub body: String,
}

impl Words {
    fn new(title: impl Into<String>, body: impl Into<String>) -> Self {
        Self { title: title.into(), body: body.into() }
    }
}

/// The words of a notification in both languages, as the UI receives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotificationText {
    pub id: Words,
    pub en: Words,
}

impl NotificationText {
    pub fn of(n: &Notification) -> Self {
        Self { id: words(n, Lang::Id), en: words(n, Lang::En) }
    }
}

/// The months in Bahasa Indonesia (also the server's verify page).
pub const BULAN: [&str; 12] = [
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

/// `1 April 2027`, with the month named in `lang`.
pub fn date(d: NaiveDate, lang: Lang) -> String {
    let names = match lang {
        Lang::Id => &BULAN,
        Lang::En => &MONTHS,
    };
    let month = names.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {month} {}", d.day(), d.year())
}

/// The name of a category inside a sentence ("riwayat jabatan", "position history").
pub fn category(kind: Option<HistoryKind>, lang: Lang) -> String {
    match kind {
        Some(HistoryKind::Golongan) => lang.pick("riwayat golongan", "rank history").to_owned(),
        Some(HistoryKind::Jabatan) => lang.pick("riwayat jabatan", "position history").to_owned(),
        Some(HistoryKind::Pendidikan) => lang.pick("riwayat pendidikan", "education history").to_owned(),
        Some(kind) => lang.pick(kind.rule().label_id, kind.rule().label_en).to_owned(),
        None => lang.pick("data pribadi", "personal details").to_owned(),
    }
}

/// The title and body of `n` in `lang`.
pub fn words(n: &Notification, lang: Lang) -> Words {
    match n.kind {
        NotificationKind::UsulanState => usulan_words(n, lang),
        NotificationKind::Announcement => {
            let title = n.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
            Words::new(title.unwrap_or(lang.pick("Pengumuman", "Announcement")), n.body.clone().unwrap_or_default())
        }
        NotificationKind::Service => service_words(n, lang),
        NotificationKind::Layanan => layanan_words(n, lang),
        NotificationKind::Account => account_words(n, lang),
    }
}

/// The one system notification for a burst of `count` new ones.
pub fn summary(count: usize, lang: Lang) -> Words {
    let body = match lang {
        Lang::Id => format!("{count} pemberitahuan baru. Buka kotak masuk untuk melihatnya."),
        Lang::En => format!("{count} new notifications. Open the inbox to see them."),
    };
    Words::new("MySAPK", body)
}

fn usulan_words(n: &Notification, lang: Lang) -> Words {
    let what = category(n.history_kind, lang);
    let state = match n.state {
        Some(UsulanState::Queued) => lang.pick("menunggu dikirim", "waiting to be sent"),
        Some(UsulanState::Submitted) => lang.pick("terkirim", "submitted"),
        Some(UsulanState::Verified) => lang.pick("diverifikasi", "verified"),
        Some(UsulanState::Approved) => lang.pick("disetujui", "approved"),
        Some(UsulanState::Returned) => lang.pick("dikembalikan", "returned"),
        Some(UsulanState::Rejected) => lang.pick("ditolak", "rejected"),
        Some(UsulanState::Withdrawn) => lang.pick("ditarik", "withdrawn"),
        None => lang.pick("diperbarui", "updated"),
    };
    let mut body = match lang {
        Lang::Id => format!("Usulan {what} Anda {state}."),
        Lang::En => format!("Your {what} proposal was {state}."),
    };
    if let Some(reason) = n.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        body.push_str(lang.pick(" Alasan: ", " Reason: "));
        body.push_str(reason);
    }
    Words::new(lang.pick("Usulan perbaikan data", "Correction proposal"), body)
}

fn service_words(n: &Notification, lang: Lang) -> Words {
    let on = n.due_date.map(|d| date(d, lang));
    let id = lang == Lang::Id;
    match n.service {
        Some(ServiceKind::KenaikanPangkat) => {
            let body = match (on, id) {
                (Some(d), true) => format!("Kenaikan pangkat reguler Anda jatuh tempo pada {d}. Periksa berkasnya."),
                (Some(d), false) => format!("Your regular promotion (KP) falls due on {d}. Check your documents."),
                (None, true) => "Kenaikan pangkat reguler Anda sudah jatuh tempo. Periksa berkasnya.".to_owned(),
                (None, false) => "Your regular promotion (KP) is due. Check your documents.".to_owned(),
            };
            Words::new(lang.pick("Kenaikan pangkat", "Promotion due"), body)
        }
        Some(ServiceKind::Kgb) => {
            let body = match (on, id) {
                (Some(d), true) => format!("Kenaikan gaji berkala (KGB) Anda jatuh tempo pada {d}."),
                (Some(d), false) => format!("Your periodic salary step (KGB) falls due on {d}."),
                (None, true) => "Kenaikan gaji berkala (KGB) Anda sudah jatuh tempo.".to_owned(),
                (None, false) => "Your periodic salary step (KGB) is due.".to_owned(),
            };
            Words::new(lang.pick("Kenaikan gaji berkala", "Salary step due"), body)
        }
        Some(ServiceKind::Pensiun) => {
            let lead = match (n.lead_months, id) {
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
                    format!("You reach the retirement age in {lead}, on {d}. Prepare your retirement file.")
                }
                (None, true) => format!("Anda mencapai batas usia pensiun {lead}. Siapkan berkas pensiun Anda."),
                (None, false) => format!("You reach the retirement age in {lead}. Prepare your retirement file."),
            };
            Words::new(lang.pick("Batas usia pensiun", "Retirement age"), body)
        }
        Some(ServiceKind::SkpMissing) => {
            let body = match (n.due_date.map(|d| d.year()), id) {
                (Some(y), true) => format!("SKP tahun {y} belum ada di data Anda. Usulkan agar data Anda lengkap."),
                (Some(y), false) => format!("Your SKP of {y} is not on record. Propose it to complete your data."),
                (None, true) => "Ada SKP yang belum tercatat di data Anda.".to_owned(),
                (None, false) => "An SKP is missing from your record.".to_owned(),
            };
            Words::new(lang.pick("SKP belum tercatat", "SKP missing"), body)
        }
        Some(ServiceKind::DocumentsMissing) => {
            let what = category(n.history_kind, lang);
            let body = match lang {
                Lang::Id => format!("Dokumen pendukung {what} belum lengkap. Unggah dokumen yang diperlukan."),
                Lang::En => format!("Supporting documents are missing in {what}. Upload the documents required."),
            };
            Words::new(lang.pick("Dokumen belum lengkap", "Documents missing"), body)
        }
        None => Words::new(
            lang.pick("Layanan kepegawaian", "Personnel service"),
            lang.pick("Ada layanan yang perlu Anda perhatikan.", "A service needs your attention."),
        ),
    }
}

/// The name of a personnel service file.
pub fn layanan_name(kind: LayananKind, lang: Lang) -> &'static str {
    match kind {
        LayananKind::KenaikanPangkat => lang.pick("Kenaikan pangkat", "Promotion"),
        LayananKind::Kgb => lang.pick("Kenaikan gaji berkala", "Salary step"),
        LayananKind::Pensiun => lang.pick("Pensiun", "Retirement"),
        LayananKind::Mutasi => lang.pick("Mutasi", "Transfer"),
        LayananKind::Cuti => lang.pick("Cuti", "Leave"),
        LayananKind::PerbaikanData => lang.pick("Perbaikan data", "Data correction"),
    }
}

/// The name of a stage a service file reached.
pub fn stage_name(stage: LayananStage, lang: Lang) -> &'static str {
    match stage {
        LayananStage::Diterima => lang.pick("berkas diterima", "file received"),
        LayananStage::Diusulkan => lang.pick("diusulkan ke BKN", "sent to BKN"),
        LayananStage::Disetujui => lang.pick("disetujui", "approved"),
        LayananStage::SkTerbit => lang.pick("SK terbit", "decree issued"),
        LayananStage::Dikembalikan => lang.pick("dikembalikan", "returned"),
        LayananStage::Ditolak => lang.pick("ditolak", "rejected"),
    }
}

/// The service and the stage it reached; the body is the admin's note (a short sentence when there is none).
fn layanan_words(n: &Notification, lang: Lang) -> Words {
    let service = n.layanan.map_or(lang.pick("Layanan kepegawaian", "Personnel service"), |k| layanan_name(k, lang));
    let title = match n.stage {
        Some(s) => format!("{service}: {}", stage_name(s, lang)),
        None => service.to_owned(),
    };
    let body = match n.body.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(note) => note.to_owned(),
        None => lang.pick("Status berkas layanan Anda diperbarui.", "Your service file was updated.").to_owned(),
    };
    Words::new(title, body)
}

/// What changed about logging in; a change the owner did not make should be reported to the agency.
fn account_words(n: &Notification, lang: Lang) -> Words {
    let title = lang.pick("Keamanan akun", "Account security");
    let what = match n.account_event {
        Some(AccountEvent::MfaEnabled) => {
            lang.pick("Verifikasi dua langkah diaktifkan.", "Two-step verification was turned on.")
        }
        Some(AccountEvent::MfaReset) => lang.pick(
            "Admin instansi menghapus verifikasi dua langkah Anda; daftarkan lagi saat masuk.",
            "Your agency admin removed your two-step verification; set it up again when you log in.",
        ),
        Some(AccountEvent::ResetCodeIssued) => lang.pick(
            "Admin instansi membuat kode atur ulang kata sandi.",
            "Your agency admin issued a password reset code.",
        ),
        Some(AccountEvent::PasswordReset) => lang.pick("Kata sandi Anda diganti.", "Your password was changed."),
        Some(AccountEvent::RolesChanged) => lang.pick("Peran akun Anda diubah.", "Your account's roles were changed."),
        None => lang.pick("Cara masuk akun Anda berubah.", "How your account logs in changed."),
    };
    let warn = lang.pick(
        "Jika bukan Anda atau admin yang melakukannya, segera hubungi admin instansi.",
        "If neither you nor your admin did this, tell your agency admin at once.",
    );
    let body = match n.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => format!("{what} ({reason}) {warn}"),
        None => format!("{what} {warn}"),
    };
    Words::new(title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(kind: NotificationKind) -> Notification {
        Notification::new("n1", kind, chrono::Utc::now())
    }

    fn service(kind: ServiceKind, due: &str) -> Notification {
        let mut x = n(NotificationKind::Service);
        x.service = Some(kind);
        x.due_date = due.parse().ok();
        x
    }

    #[test]
    fn a_proposal_names_its_category_state_and_reason() {
        let mut x = n(NotificationKind::UsulanState);
        x.state = Some(UsulanState::Returned);
        x.history_kind = Some(HistoryKind::Jabatan);
        x.reason = Some("SK buram".into());
        assert_eq!(words(&x, Lang::Id).body, "Usulan riwayat jabatan Anda dikembalikan. Alasan: SK buram");
        assert_eq!(words(&x, Lang::En).body, "Your position history proposal was returned. Reason: SK buram");
        assert_eq!(words(&x, Lang::En).title, "Correction proposal");
    }

    #[test]
    fn promotion_and_salary_step_name_the_date() {
        let kp = service(ServiceKind::KenaikanPangkat, "2027-04-01");
        assert_eq!(
            words(&kp, Lang::Id),
            Words::new(
                "Kenaikan pangkat",
                "Kenaikan pangkat reguler Anda jatuh tempo pada 1 April 2027. Periksa berkasnya."
            )
        );
        assert_eq!(
            words(&kp, Lang::En).body,
            "Your regular promotion (KP) falls due on 1 April 2027. Check your documents."
        );
        let kgb = service(ServiceKind::Kgb, "2026-08-17");
        assert_eq!(words(&kgb, Lang::Id).body, "Kenaikan gaji berkala (KGB) Anda jatuh tempo pada 17 Agustus 2026.");
        assert_eq!(words(&kgb, Lang::En).body, "Your periodic salary step (KGB) falls due on 17 August 2026.");
    }

    #[test]
    fn retirement_says_how_far_ahead_from_the_lead_months_it_carries() {
        let mut year = service(ServiceKind::Pensiun, "2031-02-01");
        year.lead_months = Some(12);
        assert_eq!(
            words(&year, Lang::Id).body,
            "Anda mencapai batas usia pensiun 1 tahun lagi, pada 1 Februari 2031. Siapkan berkas pensiun Anda."
        );
        assert_eq!(
            words(&year, Lang::En).body,
            "You reach the retirement age in one year, on 1 February 2031. Prepare your retirement file."
        );
        let mut months = service(ServiceKind::Pensiun, "2031-02-01");
        months.lead_months = Some(3);
        assert!(words(&months, Lang::Id).body.starts_with("Anda mencapai batas usia pensiun 3 bulan lagi"));
        assert!(words(&months, Lang::En).body.starts_with("You reach the retirement age in 3 months"));
        let unknown = service(ServiceKind::Pensiun, "2031-02-01");
        assert!(words(&unknown, Lang::En).body.starts_with("You reach the retirement age in the near future"));
    }

    #[test]
    fn missing_skp_names_the_year_and_missing_documents_the_category() {
        let skp = service(ServiceKind::SkpMissing, "2025-12-31");
        assert_eq!(
            words(&skp, Lang::Id).body,
            "SKP tahun 2025 belum ada di data Anda. Usulkan agar data Anda lengkap."
        );
        let mut docs = service(ServiceKind::DocumentsMissing, "2026-11-28");
        docs.history_kind = Some(HistoryKind::Golongan);
        assert_eq!(
            words(&docs, Lang::En).body,
            "Supporting documents are missing in rank history. Upload the documents required."
        );
    }

    #[test]
    fn layanan_names_service_and_stage_and_carries_the_note() {
        let mut l = n(NotificationKind::Layanan);
        l.layanan = Some(LayananKind::KenaikanPangkat);
        l.stage = Some(LayananStage::Dikembalikan);
        l.body = Some("Lengkapi SKP 2024.".into());
        assert_eq!(words(&l, Lang::Id), Words::new("Kenaikan pangkat: dikembalikan", "Lengkapi SKP 2024."));
        assert_eq!(words(&l, Lang::En), Words::new("Promotion: returned", "Lengkapi SKP 2024."));
        l.stage = Some(LayananStage::SkTerbit);
        l.body = None;
        assert_eq!(words(&l, Lang::Id).body, "Status berkas layanan Anda diperbarui.");
        assert_eq!(words(&l, Lang::En).title, "Promotion: decree issued");
    }

    #[test]
    fn announcements_carry_their_own_text_and_a_burst_is_one_summary() {
        let mut a = n(NotificationKind::Announcement);
        a.body = Some("Batas PDM 31 Desember.".into());
        assert_eq!(words(&a, Lang::Id), Words::new("Pengumuman", "Batas PDM 31 Desember."));
        a.title = Some("PDM".into());
        assert_eq!(words(&a, Lang::En).title, "PDM");
        assert_eq!(summary(14, Lang::Id).body, "14 pemberitahuan baru. Buka kotak masuk untuk melihatnya.");
        assert_eq!(summary(14, Lang::En).body, "14 new notifications. Open the inbox to see them.");
    }
}
