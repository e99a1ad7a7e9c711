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
    /// A fault of the system, not of the request: logged in full (with its cause), answered
    /// as a bare 500.
    #[error("internal error: {context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
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

    /// An internal error with no underlying error (an invariant found broken).
    pub fn internal(context: impl Into<String>) -> AppError {
        AppError::Internal {
            context: context.into(),
            source: None,
        }
    }

    /// An internal error caused by `source`, said in its own words.
    pub fn caused_by<E: std::error::Error + Send + Sync + 'static>(source: E) -> AppError {
        AppError::Internal {
            context: source.to_string(),
            source: Some(Box::new(source)),
        }
    }

    /// An internal error caused by `source`, in a context ("stored result", "sealing draw …").
    pub fn context<E: std::error::Error + Send + Sync + 'static>(
        context: impl std::fmt::Display,
        source: E,
    ) -> AppError {
        AppError::Internal {
            context: format!("{context}: {source}"),
            source: Some(Box::new(source)),
        }
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
            other => AppError::caused_by(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Money computed from stored amounts that leaves the money range is a fault of the data, not
/// of the request; input amounts are parsed (and refused by field) before they get here.
impl From<fucai_ledger::MoneyError> for AppError {
    fn from(e: fucai_ledger::MoneyError) -> AppError {
        AppError::caused_by(e)
    }
}
