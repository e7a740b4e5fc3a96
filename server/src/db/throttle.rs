//! SQL for `login_throttle`: failure counters and blocks per scope and subject (a NIP or a client address).

use sqlx::AnyConnection;

use crate::error::ServerError;

/// One counter after a failure was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counter {
    /// Failures in the current window, this one included.
    pub failures: i64,
    /// Until when (ms) the latest block lasts(ed); 0 when never blocked.
    pub blocked_until: i64,
    /// Blocks in a row.
    pub blocks: i64,
}

/// The latest end of a block (ms) among `subjects` of `scope`s; 0 when none was ever blocked.
pub async fn blocked_until(conn: &mut AnyConnection, keys: &[(&str, &str)]) -> Result<i64, ServerError> {
    let mut until = 0;
    for (scope, subject) in keys {
        let row: Option<i64> =
            sqlx::query_scalar("SELECT blocked_until FROM login_throttle WHERE scope = $1 AND subject = $2")
                .bind(*scope)
                .bind(*subject)
                .fetch_optional(&mut *conn)
                .await?;
        until = until.max(row.unwrap_or(0));
    }
    Ok(until)
}

/// Count one failure at `now` (ms) in one statement, so concurrent nodes never lose a count: a window older than
/// `window` ms starts again at 1, and the run of blocks ends once a window has passed since the last block.
pub async fn count_failure(
    conn: &mut AnyConnection,
    scope: &str,
    subject: &str,
    now: i64,
    window: i64,
) -> Result<Counter, ServerError> {
    let (failures, blocked_until, blocks): (i64, i64, i64) = sqlx::query_as(
        "INSERT INTO login_throttle (scope, subject, failures, window_start, blocked_until, blocks) \
         VALUES ($1, $2, 1, $3, 0, 0) \
         ON CONFLICT (scope, subject) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start + $4 <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start + $4 <= $3 THEN $3 ELSE login_throttle.window_start END, \
           blocks = CASE WHEN login_throttle.blocked_until + $4 <= $3 THEN 0 ELSE login_throttle.blocks END \
         RETURNING failures, blocked_until, blocks",
    )
    .bind(scope)
    .bind(subject)
    .bind(now)
    .bind(window)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Counter { failures, blocked_until, blocks })
}

/// Start a block until `until` (ms) unless another node changed the counter since `seen` was read; returns
/// whether this call started it. The failures start again from zero.
pub async fn start_block(
    conn: &mut AnyConnection,
    scope: &str,
    subject: &str,
    seen: Counter,
    now: i64,
    until: i64,
) -> Result<bool, ServerError> {
    let done = sqlx::query(
        "UPDATE login_throttle SET failures = 0, window_start = $1, blocked_until = $2, blocks = blocks + 1 \
         WHERE scope = $3 AND subject = $4 AND blocked_until = $5 AND blocks = $6",
    )
    .bind(now)
    .bind(until)
    .bind(scope)
    .bind(subject)
    .bind(seen.blocked_until)
    .bind(seen.blocks)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forget the failures and blocks of one subject (after a success).
pub async fn clear(conn: &mut AnyConnection, scope: &str, subject: &str) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM login_throttle WHERE scope = $1 AND subject = $2")
        .bind(scope)
        .bind(subject)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
