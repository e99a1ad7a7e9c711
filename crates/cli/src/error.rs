//! The CLI's error edge: bad input exits 2 with a message naming the field; anything else 1.

use std::fmt;

pub enum CliError {
    /// The user's input is wrong: `field` names the argument.
    Input {
        field: &'static str,
        message: String,
    },
    Internal(anyhow::Error),
}

impl CliError {
    pub fn input(field: &'static str, message: impl fmt::Display) -> CliError {
        CliError::Input {
            field,
            message: message.to_string(),
        }
    }

    /// An amount in 元 given for `field` (Money's own parser), at least `at_least` when given
    /// (the use case checks the rest).
    pub fn money(
        field: &'static str,
        text: &str,
        at_least: Option<fucai_ledger::Money>,
    ) -> Result<fucai_ledger::Money, CliError> {
        let m: fucai_ledger::Money = text.parse().map_err(|e| CliError::input(field, e))?;
        if let Some(at_least) = at_least.filter(|&min| m < min) {
            return Err(CliError::input(
                field,
                format!("must be at least {at_least}"),
            ));
        }
        Ok(m)
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input { .. } => 2,
            CliError::Internal(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input { field, message } => write!(f, "{field}: {message}"),
            CliError::Internal(e) => write!(f, "{e:#}"),
        }
    }
}

/// A sum of stored amounts past the money range: the data's fault, not the user's.
impl From<fucai_ledger::MoneyError> for CliError {
    fn from(e: fucai_ledger::MoneyError) -> CliError {
        CliError::Internal(e.into())
    }
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> CliError {
        CliError::Internal(e)
    }
}
