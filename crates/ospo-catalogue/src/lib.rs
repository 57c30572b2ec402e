//! The lab's catalogue of open-source software and hardware: metadata formats in and out,
//! storage (SQLite embedded, PostgreSQL for scale), search with facets, and the seed data.

pub mod accounts;
pub mod error;
pub mod facets;
pub mod formats;
pub mod seed;
pub mod store;
pub mod text;

pub use accounts::{Account, IssuedToken};
pub use error::CatalogueError;
pub use store::{
    Catalogue, FacetCount, Hit, ImportReport, Listing, Query, SearchResults, Stats, TextSearch,
    redact_url,
};
