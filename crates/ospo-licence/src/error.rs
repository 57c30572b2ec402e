//! Errors of the licence crate: input that could not be read.

use std::fmt;

/// A licence expression that could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// The expression as given.
    pub expression: String,
    /// Byte offset where the problem starts.
    pub offset: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
    /// What is wrong and what was expected.
    pub message: String,
    /// The closest known identifier, when one is close enough.
    pub suggestion: Option<String>,
}

impl ParseError {
    pub(crate) fn new(
        expression: &str,
        offset: usize,
        end: usize,
        message: String,
        suggestion: Option<String>,
    ) -> ParseError {
        let column = expression[..offset.min(expression.len())].chars().count() + 1;
        ParseError {
            expression: expression.to_owned(),
            offset,
            end,
            column,
            message,
            suggestion,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean '{s}'?")?;
        }
        let width = self.expression
            [self.offset.min(self.expression.len())..self.end.min(self.expression.len())]
            .chars()
            .count()
            .max(1);
        write!(
            f,
            "\n  {}\n  {}{}",
            self.expression,
            " ".repeat(self.column - 1),
            "^".repeat(width)
        )
    }
}

/// Why the engine could not do the work (as opposed to a finding such as "incompatible").
#[derive(Debug, thiserror::Error)]
pub enum LicenceError {
    /// An inbound or outbound expression could not be parsed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The outbound licence must name one licence or a choice of them, not a `LicenseRef-` alone.
    #[error(
        "outbound licence '{0}' is not a licence the engine knows: give an SPDX id such as Apache-2.0"
    )]
    UnknownOutbound(String),
    /// The use is not one of the five the engine knows.
    #[error("{0}")]
    InvalidUse(String),
    /// No inbound licence was given.
    #[error("no inbound licence given: name at least one SPDX expression")]
    NoInbound,
    /// A licence id that is not on the SPDX list.
    #[error("'{id}' is not on the SPDX licence list {version}{}", .suggestion.as_ref().map(|s| format!("; did you mean '{s}'?")).unwrap_or_default())]
    UnknownLicence {
        /// The id asked for.
        id: String,
        /// The SPDX list version searched.
        version: &'static str,
        /// The closest id.
        suggestion: Option<String>,
    },
}
