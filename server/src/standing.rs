//! "Where do I stand" on the server: `GET /api/v1/standing?date=YYYY-MM-DD` and the SIASN facade's `nilaiipasn`,
//! both computed by [`mysapk_model::standing::standing`] from the official records and the assessments, so the
//! device (offline, from its pulled records) and the server give the same numbers.

use chrono::NaiveDate;
use mysapk_model::history::HistoryData;
use mysapk_model::standing::{standing, Standing};
use mysapk_model::Code;
use sqlx::{AnyConnection, AnyPool};

use crate::assessments;
use crate::db::records;
use crate::error::ServerError;

/// The standing of `nip` on `date`: its official (not deleted) records and its assessments.
pub async fn standing_of(pool: &AnyPool, nip: &str, date: NaiveDate) -> Result<Standing, ServerError> {
    let mut conn = pool.acquire().await?;
    standing_in(&mut conn, nip, date).await
}

/// [`standing_of`] on a connection the caller holds.
pub async fn standing_in(conn: &mut AnyConnection, nip: &str, date: NaiveDate) -> Result<Standing, ServerError> {
    let history = records::list_history(conn, nip).await?;
    let assessments = assessments::list(conn, nip).await?;
    let data: Vec<&HistoryData> = history.iter().map(|r| &r.data).collect();
    Ok(standing(&data, &assessments, date))
}

/// The `date` query parameter: `YYYY-MM-DD`, absent or empty = today (UTC).
pub fn parse_date(date: Option<&str>) -> Result<NaiveDate, ServerError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(chrono::Utc::now().date_naive()),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ServerError::api(Code::StandingInvalidDate).on_field("date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date(Some("2025-06-30")).ok(), NaiveDate::from_ymd_opt(2025, 6, 30));
        assert!(parse_date(None).is_ok());
        assert!(parse_date(Some(" ")).is_ok());
        let e = parse_date(Some("30-06-2025")).err().map(|e| e.to_api().1);
        assert_eq!(e.map(|e| (e.code, e.field)), Some(("standing.invalid_date".into(), Some("date".into()))));
    }
}
