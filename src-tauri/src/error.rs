//! The error every command returns: the wire `ApiError` `{code, message, field?}`, so the UI branches on a code.

use mysapk_core::CoreError;
use mysapk_model::ApiError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{}: {}", .0.code, .0.message)]
pub struct CommandError(pub ApiError);

impl From<CoreError> for CommandError {
    fn from(e: CoreError) -> Self {
        tracing::debug!(code = e.code().as_str(), "command failed");
        Self(e.to_api_error())
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
