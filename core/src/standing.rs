//! Kinerja & Kompetensi offline: the standing (IP ASN, SKP chart, 9-box, newest assessment) computed on the
//! device by the model's one function, from the official records of the local mirror (never the overlays of
//! proposals not yet applied) and the stored assessments.

use chrono::NaiveDate;
use mysapk_model::history::HistoryData;
use mysapk_model::standing::{standing, Standing};

use crate::error::CoreError;
use crate::store::{assessments, records};
use crate::Core;

impl Core {
    /// The standing of the logged-in ASN today (the device's local date). Works offline.
    pub fn standing(&self) -> Result<Standing, CoreError> {
        self.standing_on(chrono::Local::now().date_naive())
    }

    /// The standing computed from this device's store as of `today` (the same function the server runs, so an
    /// end-to-end test can compare both for one date).
    pub fn standing_on(&self, today: NaiveDate) -> Result<Standing, CoreError> {
        let account = self.require()?;
        account.store.read(|c| {
            let records = records::all_history(c)?;
            let assessments = assessments::all(c)?;
            let data: Vec<&HistoryData> = records.iter().map(|r| &r.data).collect();
            Ok(standing(&data, &assessments, today))
        })
    }
}
