use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("sealed file: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("sealed file is not a fucai seal: {0}")]
    Format(String),
    #[error("ticket {serial} line {line}: {why}")]
    BadLine { serial: i64, line: i32, why: String },
    #[error("the seal does not verify: {0}")]
    Mismatch(String),
    #[error("{0}")]
    Result(String),
    #[error("settlement: {0}")]
    Settlement(String),
}

impl SealError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> SealError {
        let path = path.into();
        move |source| SealError::Io { path, source }
    }
}

pub type SealResult<T> = Result<T, SealError>;
