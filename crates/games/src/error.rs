//! Errors of the selection and result parsers: where, and why, in words a station clerk
//! understands.

/// A malformed selection or result. `column` is 1-based, counted in characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {reason}")]
pub struct SelectionError {
    pub column: usize,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("the selection is empty")]
    Empty,
    #[error("unexpected character '{0}'")]
    UnexpectedChar(char),
    #[error("number {0} is too long")]
    NumberTooLong(String),
    #[error("expected {expected}, found '{found}'")]
    Unexpected {
        expected: &'static str,
        found: String,
    },
    #[error("unknown play '{found}': {game} plays are {plays}")]
    UnknownPlay {
        found: String,
        game: &'static str,
        plays: &'static str,
    },
    #[error("{zone} {value} is out of range {min}–{max}")]
    OutOfRange {
        zone: &'static str,
        value: String,
        min: String,
        max: String,
    },
    #[error("{zone} {value} is repeated")]
    Repeated { zone: &'static str, value: String },
    #[error("胆 {0} is repeated in 拖")]
    DanInTuo(String),
    #[error("'{0}' appears more than once")]
    RepeatedMark(char),
    /// A zone holds too few or too many numbers; the text says which and what is needed.
    #[error("{0}")]
    Count(String),
    #[error("multiple {value} exceeds the limit {max}")]
    MultipleTooLarge { value: String, max: u32 },
    #[error("multiple 0 is not allowed: the multiple is 1–{max}")]
    MultipleZero { max: u32 },
}

impl SelectionError {
    pub(crate) fn new(column: usize, reason: Reason) -> SelectionError {
        SelectionError { column, reason }
    }
}
