//! Gathering a report's input from the catalogue's storage.
//!
//! The report is an aggregate for the public, so it reads every stored disclosure,
//! contribution request and inventory service directly, not through the per-actor listings
//! (which show each person only what they may see); no individual record leaves this module.

use super::{Report, ReportError, ReportInput, ServiceInventory, compute, years_with_data_in};
use crate::error::CatalogueError;
use crate::store::{Backend, Catalogue};
use ospo_core::{ContributionRequest, Criticality, Disclosure, IsoDate, Slug};
use std::collections::BTreeMap;

/// Runs one read-only query returning rows of `T` on whichever pool the catalogue has.
macro_rules! fetch_all {
    ($cat:expr, $sql:expr) => {
        match &$cat.backend {
            Backend::Sqlite(pool) => sqlx::query_as($sql).fetch_all(pool).await?,
            Backend::Postgres(pool) => sqlx::query_as($sql).fetch_all(pool).await?,
        }
    };
}

fn corrupt(what: &str, key: impl std::fmt::Display, message: impl ToString) -> CatalogueError {
    CatalogueError::Corrupt {
        slug: format!("{what} {key}"),
        message: message.to_string(),
    }
}

impl Catalogue {
    /// Everything the yearly report is computed from, read from storage: the projects, the
    /// disclosures with their transitions, the contribution requests, and the inventory's
    /// services with the days of their snapshots. Not filtered by year: the report's history
    /// (releases per year) needs every year. Ordered by key, so the input does not depend on
    /// the order rows come back in.
    pub async fn report_input(&self) -> Result<ReportInput, ReportError> {
        Ok(ReportInput {
            projects: self.all().await?,
            disclosures: Some(self.all_disclosures().await?),
            contributions: Some(self.all_contributions().await?),
            services: Some(self.all_service_inventories().await?),
        })
    }

    async fn all_disclosures(&self) -> Result<Vec<Disclosure>, CatalogueError> {
        let rows: Vec<(i64, i64, String)> = fetch_all!(
            self,
            "SELECT id, version, document FROM disclosures ORDER BY id"
        );
        rows.into_iter()
            .map(|(id, version, doc)| {
                let mut d: Disclosure =
                    serde_json::from_str(&doc).map_err(|e| corrupt("disclosure", id, e))?;
                d.id = id as u64;
                d.version = version as u64;
                Ok(d)
            })
            .collect()
    }

    async fn all_contributions(&self) -> Result<Vec<ContributionRequest>, CatalogueError> {
        let rows: Vec<(i64, String)> = fetch_all!(
            self,
            "SELECT id, document FROM contribution_requests ORDER BY id"
        );
        rows.into_iter()
            .map(|(id, doc)| {
                let mut r: ContributionRequest = serde_json::from_str(&doc)
                    .map_err(|e| corrupt("contribution request", id, e))?;
                r.id = id as u64;
                Ok(r)
            })
            .collect()
    }

    async fn all_service_inventories(&self) -> Result<Vec<ServiceInventory>, CatalogueError> {
        let rows: Vec<(String, String, Option<String>)> = fetch_all!(
            self,
            "SELECT s.slug, s.criticality, sn.taken_on FROM inventory_services s \
             LEFT JOIN inventory_snapshots sn ON sn.service_id = s.id \
             ORDER BY s.slug, sn.taken_on"
        );
        let mut services: BTreeMap<String, ServiceInventory> = BTreeMap::new();
        for (slug, criticality, taken_on) in rows {
            if !services.contains_key(&slug) {
                let service = ServiceInventory {
                    slug: Slug::parse(&slug).map_err(|e| corrupt("service", &slug, e))?,
                    criticality: criticality
                        .parse::<Criticality>()
                        .map_err(|e| corrupt("service", &slug, e))?,
                    snapshots: Vec::new(),
                };
                services.insert(slug.clone(), service);
            }
            if let Some(day) = taken_on {
                let day = IsoDate::parse(&day).map_err(|e| corrupt("service", &slug, e))?;
                if let Some(s) = services.get_mut(&slug) {
                    s.snapshots.push(day);
                }
            }
        }
        Ok(services.into_values().collect())
    }

    /// The years a report can be made for: from the first to the last year with data (a
    /// project created, a release, a disclosure submitted or decided, ...), ascending.
    pub async fn report_years(&self) -> Result<Vec<u16>, ReportError> {
        Ok(report_years(&self.report_input().await?))
    }

    /// The report of `year`, or [`ReportError::NoData`] when the year is outside the years
    /// with data.
    pub async fn report(&self, year: u16) -> Result<Report, ReportError> {
        let input = self.report_input().await?;
        let years = report_years(&input);
        if !years.contains(&year) {
            return Err(ReportError::NoData { year, years });
        }
        Ok(compute(&input, year))
    }
}

/// Every year from the first to the last year with data.
pub fn report_years(input: &ReportInput) -> Vec<u16> {
    let years = years_with_data_in(input);
    match (years.first(), years.last()) {
        (Some(&first), Some(&last)) => (first..=last).collect(),
        _ => Vec::new(),
    }
}
