//! Why a metadata file could not be read or written.

use std::fmt;

use super::Format;

/// A line and column in a file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A metadata file that could not be imported, or projects that could not be exported.
///
/// Import errors name the file, the position (when the parser knows it), the field as a path
/// (`projects[3].compatibles`) and what was expected, so a maintainer can fix the file:
/// `ohwr-config.yaml:12:5: projects[3].compatibles: expected a list of project ids, found a
/// number`. A file that gives an error imports nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The text is not valid YAML or JSON.
    #[error("{}: {message}", place(file, *position))]
    Syntax {
        /// The file's name as given by the caller.
        file: String,
        /// Where the parser stopped.
        position: Option<Position>,
        /// The parser's explanation.
        message: String,
    },
    /// A value is missing or has the wrong shape.
    #[error("{}", invalid(file, *position, field, expected, found))]
    Invalid {
        /// The file's name as given by the caller.
        file: String,
        /// Where the value (or, for a missing value, its parent) starts.
        position: Option<Position>,
        /// The field as a path from the top of the document, e.g. `projects[3].compatibles`;
        /// empty for the document itself.
        field: String,
        /// What the format expects there.
        expected: String,
        /// What the file has there (`a number`, `nothing`, ...).
        found: String,
    },
    /// Neither the file name nor the content tells which format the file is in.
    #[error(
        "{file}: the format is not recognised from the file name or the content; expected one of: {}",
        Format::known_names()
    )]
    Unrecognised {
        /// The file's name as given by the caller.
        file: String,
    },
    /// The format is written by the catalogue but not read.
    #[error(
        "{format} can be exported but not imported; import one of: {}",
        Format::known_names()
    )]
    NotReadable {
        /// The format asked for.
        format: Format,
    },
    /// The format is read by the catalogue but not written.
    #[error(
        "{format} can be imported but not exported; export to one of: {}",
        Format::writable_names()
    )]
    NotWritable {
        /// The format asked for.
        format: Format,
    },
    /// The format describes a single project and was given another number of them.
    #[error("{format} describes one project, but {count} were given; export them one at a time")]
    OneProject {
        /// The format asked for.
        format: Format,
        /// How many projects were given.
        count: usize,
    },
    /// The output could not be produced.
    #[error("could not write {format}: {message}")]
    Write {
        /// The format asked for.
        format: Format,
        /// What went wrong.
        message: String,
    },
}

impl FormatError {
    /// The file the error is about, for import errors.
    pub fn file(&self) -> Option<&str> {
        match self {
            Self::Syntax { file, .. }
            | Self::Invalid { file, .. }
            | Self::Unrecognised { file } => Some(file),
            Self::NotReadable { .. }
            | Self::NotWritable { .. }
            | Self::OneProject { .. }
            | Self::Write { .. } => None,
        }
    }

    /// Where in the file the problem is, when known.
    pub fn position(&self) -> Option<Position> {
        match self {
            Self::Syntax { position, .. } | Self::Invalid { position, .. } => *position,
            _ => None,
        }
    }

    /// The field the problem is in, as a path (`projects[3].compatibles`), when the file
    /// could be read but a value is wrong.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn place(file: &str, position: Option<Position>) -> String {
    match position {
        Some(p) => format!("{file}:{p}"),
        None => file.to_owned(),
    }
}

fn invalid(
    file: &str,
    position: Option<Position>,
    field: &str,
    expected: &str,
    found: &str,
) -> String {
    let place = place(file, position);
    if field.is_empty() {
        format!("{place}: expected {expected}, found {found}")
    } else {
        format!("{place}: {field}: expected {expected}, found {found}")
    }
}
