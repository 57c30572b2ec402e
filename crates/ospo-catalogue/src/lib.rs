//! The lab's catalogue of open-source software and hardware: metadata formats in and out,
//! storage (SQLite embedded, PostgreSQL for scale), search with facets, and the seed data.

pub mod accounts;
pub mod error;
pub mod facets;
pub mod formats;
pub mod inventory;
pub mod report;
pub mod scan;
pub mod seed;
pub mod store;
pub mod text;
pub mod workflow;

pub use accounts::{Account, IssuedToken, OpenedSession, SESSION_SECONDS, Session};
pub use error::CatalogueError;
pub use store::{
    Catalogue, FacetCount, Hit, ImportReport, Listing, Query, SearchResults, Stats, TextSearch,
    redact_url,
};
pub use workflow::{
    Channel, ContributionDraft, ContributionFilter, DisclosureDraft, DisclosureFilter,
    DisclosureSummary, EngineAdvice, Notification, Recipient, ReviewInput, dependency_summary,
    engine_advice,
};

/// The current time, for the frontends that call the catalogue (the core crates read no clock).
pub fn now() -> ospo_core::Timestamp {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    ospo_core::Timestamp::from_unix_seconds(secs)
}
