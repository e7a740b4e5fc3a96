//! The ASN's competency and potential assessments, as the server last sent them (recorded by the agency admin;
//! read-only on the device).

use mysapk_model::assessment::Assessment;
use rusqlite::{params, Connection};

use crate::error::CoreError;

pub(crate) fn upsert(conn: &Connection, assessment: &Assessment) -> Result<(), CoreError> {
    conn.prepare_cached(
        "INSERT INTO assessments (id, tanggal, json) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET tanggal = excluded.tanggal, json = excluded.json",
    )?
    .execute(params![assessment.id, assessment.tanggal.to_string(), serde_json::to_string(assessment)?])?;
    Ok(())
}

/// Every assessment, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Assessment>, CoreError> {
    let mut st = conn.prepare_cached("SELECT json FROM assessments ORDER BY tanggal, id")?;
    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        out.push(serde_json::from_str(&json?)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrations;
    use mysapk_model::assessment::{Aspect, AspectScore};

    fn sample(id: &str, tanggal: &str, level: u8) -> Assessment {
        Assessment {
            id: id.into(),
            tanggal: tanggal.parse().expect("date"),
            penyelenggara: "UPT Penilaian Kompetensi".into(),
            scores: vec![AspectScore { aspect: Aspect::Intelektual, level, standard: 3 }],
        }
    }

    #[test]
    fn upsert_replaces_and_lists_oldest_first() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrations::migrate(&mut conn).expect("migrate");
        upsert(&conn, &sample("b", "2025-03-01", 3)).expect("b");
        upsert(&conn, &sample("a", "2024-03-01", 2)).expect("a");
        upsert(&conn, &sample("b", "2025-03-01", 4)).expect("b again");
        let all = all(&conn).expect("all");
        assert_eq!(all.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(all[1].scores[0].level, 4);
    }
}
