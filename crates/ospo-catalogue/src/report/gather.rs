//! Gathering a report's input from the catalogue's storage.

use super::{Report, ReportError, ReportInput, compute, years_with_data_in};
use crate::store::Catalogue;

impl Catalogue {
    /// Everything the yearly report is computed from, read from storage: the projects, and
    /// the parts of the data the catalogue stores (a part it does not store is `None`, and
    /// its KPIs are reported as not measured). Not filtered by year: the report's history
    /// (releases per year) needs every year.
    pub async fn report_input(&self) -> Result<ReportInput, ReportError> {
        Ok(ReportInput {
            projects: self.all().await?,
            disclosures: None,
            contributions: None,
            services: None,
        })
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
