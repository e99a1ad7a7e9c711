//! The app's error type: what went wrong, in terms the edge can map to a status and a message.

use fucai_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input; `field` names what to fix.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{0} not found")]
    NotFound(String),
    /// A request that contradicts an earlier one (idempotency key reused with another body,
    /// a ticket already cancelled, a duplicate register entry).
    #[error("{0}")]
    Conflict(String),
    /// Valid, but not allowed now (sales closed, cancel window over).
    #[error("{0}")]
    Refused(String),
    #[error("authentication required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("too many attempts; try again in {retry_after_s} s")]
    RateLimited { retry_after_s: u64 },
    #[error("the server is busy; retry")]
    Busy,
    /// The database cannot take writes now (its disk is full); nothing was written, and
    /// writes resume by themselves once space is freed.
    #[error("the database cannot take writes now ({0}); nothing was written, retry later")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> AppError {
        AppError::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError::Forbidden(message.into())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound { what } => AppError::NotFound(what),
            StoreError::Duplicate(what) => AppError::Conflict(format!("{what} already exists")),
            StoreError::Overdraft { account } => {
                AppError::Refused(format!("account {account} does not hold enough"))
            }
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::TransactionEnded => AppError::Busy,
            e @ StoreError::StorageFull(_) => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
