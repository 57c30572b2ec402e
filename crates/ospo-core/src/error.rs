//! The crate's validation error: what is wrong, in which field, and what is expected.

/// A value that breaks a rule of the model.
///
/// Every variant names the field (a JSON path such as `releases[2].date` where the value sits
/// inside a list) so a form, an import report or an API problem document can point at it.
/// Access refusals and workflow refusals have their own types: [`crate::Denied`] and
/// [`crate::TransitionError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// A required value is empty or only whitespace.
    #[error("{field} is empty; expected {expected}")]
    Empty {
        /// The field, as a JSON path.
        field: String,
        /// What a valid value looks like.
        expected: &'static str,
    },
    /// Text starts or ends with whitespace.
    #[error("{field} {value:?} has leading or trailing whitespace; expected trimmed text")]
    Untrimmed {
        /// The field, as a JSON path.
        field: String,
        /// The value as given.
        value: String,
    },
    /// Text is longer than the field allows.
    #[error("{field} is {actual} characters long; expected at most {max}")]
    TooLong {
        /// The field, as a JSON path.
        field: String,
        /// The longest allowed, in characters.
        max: usize,
        /// The length given, in characters.
        actual: usize,
    },
    /// Text does not follow the field's syntax.
    #[error("{field} {value:?} is not valid: {problem}; expected {expected}")]
    Malformed {
        /// The field, as a JSON path.
        field: String,
        /// The value as given.
        value: String,
        /// What exactly is wrong with it.
        problem: String,
        /// What a valid value looks like.
        expected: &'static str,
    },
    /// A name is not one of the values the field accepts.
    #[error("{field} {value:?} is not known; expected one of: {allowed}")]
    NotOneOf {
        /// The field, as a JSON path.
        field: String,
        /// The value as given.
        value: String,
        /// The accepted values, comma-separated.
        allowed: String,
    },
    /// A number is outside the field's range.
    #[error("{field} is {value}; expected a number from {min} to {max}")]
    OutOfRange {
        /// The field, as a JSON path.
        field: String,
        /// The number given.
        value: i64,
        /// The smallest allowed.
        min: i64,
        /// The largest allowed.
        max: i64,
    },
    /// A list holds the same entry twice.
    #[error("{field} lists {value:?} more than once; expected each entry once")]
    Duplicate {
        /// The field, as a JSON path.
        field: String,
        /// The repeated entry.
        value: String,
    },
    /// Valid values that do not fit together, such as a readiness level on software.
    #[error("{field}: {problem}")]
    Inconsistent {
        /// The field, as a JSON path.
        field: String,
        /// What does not fit and how to fix it.
        problem: String,
    },
}

impl ValidationError {
    /// The field the error is about, as a JSON path.
    pub fn field(&self) -> &str {
        match self {
            Self::Empty { field, .. }
            | Self::Untrimmed { field, .. }
            | Self::TooLong { field, .. }
            | Self::Malformed { field, .. }
            | Self::NotOneOf { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Duplicate { field, .. }
            | Self::Inconsistent { field, .. } => field,
        }
    }

    /// The same error, reported against `field` (e.g. `homepage` rather than the generic `url`).
    #[must_use]
    pub fn in_field(mut self, field: impl Into<String>) -> Self {
        let name = field.into();
        match &mut self {
            Self::Empty { field, .. }
            | Self::Untrimmed { field, .. }
            | Self::TooLong { field, .. }
            | Self::Malformed { field, .. }
            | Self::NotOneOf { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::Duplicate { field, .. }
            | Self::Inconsistent { field, .. } => *field = name,
        }
        self
    }

    pub(crate) fn malformed(
        field: &str,
        value: &str,
        problem: impl Into<String>,
        expected: &'static str,
    ) -> Self {
        Self::Malformed {
            field: field.to_owned(),
            value: value.to_owned(),
            problem: problem.into(),
            expected,
        }
    }
}

/// Checks free text that must be present: non-empty, trimmed, at most `max` characters.
pub(crate) fn require_text(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::Empty {
            field: field.to_owned(),
            expected: "some text",
        });
    }
    optional_text(field, value, max)
}

/// Checks free text that may be empty: trimmed and at most `max` characters.
pub(crate) fn optional_text(field: &str, value: &str, max: usize) -> Result<(), ValidationError> {
    if value.trim() != value {
        return Err(ValidationError::Untrimmed {
            field: field.to_owned(),
            value: value.to_owned(),
        });
    }
    let actual = value.chars().count();
    if actual > max {
        return Err(ValidationError::TooLong {
            field: field.to_owned(),
            max,
            actual,
        });
    }
    Ok(())
}

/// Checks a list of short labels (languages, topics): each present, trimmed, listed once
/// (ignoring case).
pub(crate) fn check_labels(field: &str, labels: &[String], problems: &mut Vec<ValidationError>) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, label) in labels.iter().enumerate() {
        let path = format!("{field}[{i}]");
        if let Err(e) = require_text(&path, label, 100) {
            problems.push(e);
        } else if !seen.insert(label.to_lowercase()) {
            problems.push(ValidationError::Duplicate {
                field: field.to_owned(),
                value: label.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field_and_what_is_expected() {
        let e = require_text("name", "  ", 10).unwrap_err();
        assert_eq!(e.to_string(), "name is empty; expected some text");
        let e = require_text("name", " ROOT", 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "name \" ROOT\" has leading or trailing whitespace; expected trimmed text"
        );
        let e = optional_text("summary", "abcdef", 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "summary is 6 characters long; expected at most 3"
        );
    }

    #[test]
    fn in_field_relabels_an_error() {
        let e = require_text("url", "", 10)
            .unwrap_err()
            .in_field("homepage");
        assert_eq!(e.field(), "homepage");
        assert!(e.to_string().starts_with("homepage is empty"));
    }

    #[test]
    fn duplicate_labels_are_reported_ignoring_case() {
        let mut problems = Vec::new();
        let labels = vec!["C++".to_owned(), "Python".to_owned(), "python".to_owned()];
        check_labels("languages", &labels, &mut problems);
        assert_eq!(
            problems,
            vec![ValidationError::Duplicate {
                field: "languages".into(),
                value: "python".into()
            }]
        );
    }
}
