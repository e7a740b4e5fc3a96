//! Rule violations and the error shape that crosses every boundary (HTTP, IPC).

use serde::{Deserialize, Serialize};

/// One violated rule: a stable code, the field it concerns, and a message in Indonesian and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{code} ({field}): {message_en}")]
pub struct Violation {
    /// Stable machine-readable code, e.g. `nip.length`.
    pub code: String,
    /// The field the rule concerns, e.g. `record.tmt_jabatan`.
    pub field: String,
    /// Message in Bahasa Indonesia.
    pub message_id: String,
    /// Message in English.
    pub message_en: String,
}

impl Violation {
    /// A violation of a registered rule whose texts name the facts of this case (who decided, how many bytes); use
    /// [`Code::violation`](crate::Code::violation) for the registry's own texts.
    pub fn new(code: crate::Code, field: &str, message_id: &str, message_en: &str) -> Self {
        Self {
            code: code.as_str().to_owned(),
            field: field.to_owned(),
            message_id: message_id.to_owned(),
            message_en: message_en.to_owned(),
        }
    }
}

/// The JSON error body of every failed HTTP request and every failed IPC command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// Stable machine-readable code, e.g. `auth.locked`.
    pub code: String,
    /// Human-readable message (English on the wire; the UI shows its own catalog text for the code).
    pub message: String,
    /// The field concerned, when the error is about one field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field: Option<String>,
    /// How many seconds to wait before trying again (`auth.throttled`; the same as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub retry_after_secs: Option<u32>,
    /// How far the device's clock is off the server's, in seconds (device clock minus server clock), set by the
    /// device on `auth.clock_skew` (a `number` in TypeScript, as JSON carries it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub clock_skew_secs: Option<i64>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            field: None,
            retry_after_secs: None,
            clock_skew_secs: None,
        }
    }

    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        // Whole seconds, rounded up: waiting as told is enough.
        self.retry_after_secs = Some(u32::try_from(wait.as_millis().div_ceil(1000)).unwrap_or(u32::MAX));
        self
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl ApiError {
    /// This error as a violation of `field` (unless it names its own): with the registry's texts in both
    /// languages when the code is registered, else with the message the server sent.
    pub fn to_violation(&self, field: &str) -> Violation {
        let field = self.field.as_deref().unwrap_or(field);
        match crate::Code::parse(&self.code) {
            Some(code) => code.violation(field),
            None => Violation {
                code: self.code.clone(),
                field: field.to_owned(),
                message_id: self.message.clone(),
                message_en: self.message.clone(),
            },
        }
    }
}

impl From<Violation> for ApiError {
    fn from(v: Violation) -> Self {
        Self {
            code: v.code,
            message: v.message_en,
            field: Some(v.field),
            retry_after_secs: None,
            clock_skew_secs: None,
        }
    }
}
