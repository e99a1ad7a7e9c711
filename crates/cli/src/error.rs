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

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> CliError {
        CliError::Internal(e)
    }
}
