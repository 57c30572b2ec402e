//! Errors of the catalogue: what could not be done, and why.

use ospo_core::{Denied, DisclosureState, TransitionError, ValidationError};

/// Why a catalogue operation could not be done. Findings (such as a sync that kept curated
/// values) are reported in results, not here.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The database could not be reached or refused a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The database URL is not one the catalogue understands.
    #[error(
        "unsupported database URL '{0}': use a file path, sqlite://PATH or postgres://USER:PASSWORD@HOST/DB"
    )]
    Url(String),
    /// A project failed validation; nothing was written.
    #[error("project '{slug}': {error}")]
    Invalid {
        /// The project.
        slug: String,
        /// What is wrong.
        error: ValidationError,
    },
    /// A project's licence is not a valid SPDX expression; nothing was written.
    #[error("project '{slug}': licence: {error}")]
    Licence {
        /// The project.
        slug: String,
        /// The parse error, with its position.
        error: ospo_licence::ParseError,
    },
    /// A search the catalogue cannot run (an unknown facet, say).
    #[error("{0}")]
    Query(String),
    /// No project with that slug.
    #[error("no project '{0}' in the catalogue")]
    NotFound(String),
    /// A project with that slug exists already.
    #[error("a project '{0}' exists already")]
    Exists(String),
    /// The update was based on an older version: it is refused, not merged.
    #[error(
        "project '{slug}' was changed by someone else (you edited version {expected}, it is now at version {current}): reload it and apply your change again"
    )]
    Stale {
        /// The project.
        slug: String,
        /// The version the edit was based on.
        expected: u64,
        /// The version stored now.
        current: u64,
    },
    /// The actor may not do this.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The path to scan is missing or not a directory.
    #[error("{path}: {reason}")]
    ScanRoot {
        /// The path given.
        path: std::path::PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The outbound licence given to a scan is not a licence expression.
    #[error("outbound licence: {0}")]
    Outbound(ospo_licence::ParseError),
    /// A stored document could not be read back (the database was edited by hand?).
    #[error("stored project '{slug}' is unreadable: {message}")]
    Corrupt {
        /// The project.
        slug: String,
        /// What went wrong.
        message: String,
    },
    /// No disclosure or contribution request with that number.
    #[error("no {kind} {id} in the catalogue")]
    NoSuch {
        /// `disclosure` or `contribution request`.
        kind: &'static str,
        /// The number asked for.
        id: u64,
    },
    /// The workflow refused the step: not possible from the state, not allowed for the role,
    /// or missing information. Nothing was written.
    #[error(transparent)]
    Refused(#[from] TransitionError),
    /// A disclosure or request was changed since the version the change was based on.
    #[error(
        "{kind} {id} was changed by someone else (you worked on version {expected}, it is now at version {current}): reload it and apply your change again"
    )]
    Conflict {
        /// `disclosure` or `contribution request`.
        kind: &'static str,
        /// Its number.
        id: u64,
        /// The version the change was based on.
        expected: u64,
        /// The version stored now.
        current: u64,
    },
    /// Only drafts can be edited; a submitted request changes through its steps.
    #[error("disclosure {id} is {state}: only drafts can be edited")]
    NotEditable {
        /// The disclosure.
        id: u64,
        /// Its state.
        state: DisclosureState,
    },
    /// Input that breaks the model's rules; each problem names its field. Nothing was written.
    #[error("{what}: {}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Rejected {
        /// What was being saved (`disclosure draft`, `contribution request`).
        what: &'static str,
        /// What is wrong, each naming its field.
        problems: Vec<ValidationError>,
    },
    /// An SBOM or lockfile was refused whole; nothing was stored.
    #[error(transparent)]
    Ingest(#[from] crate::inventory::IngestError),
    /// No such service or snapshot in the inventory.
    #[error("{0}")]
    InventoryNotFound(String),
    /// An inventory request that cannot be answered as asked (a malformed version range, an
    /// unknown rule); the message says what is wrong and what is expected.
    #[error("{0}")]
    InventoryInput(String),
}
