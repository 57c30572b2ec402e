//! KPIs and the yearly report of the OSPO, computed from the data, never typed in.
//!
//! [`compute`] is a pure function from a [`ReportInput`] (what the catalogue holds) and a
//! year to a [`Report`]: a list of sections, each a list of [`Kpi`]s, and every KPI names what
//! it is computed from. Data the catalogue does not hold is reported as
//! [`KpiValue::NotMeasured`] with the reason, never invented. [`render`] turns a report into
//! HTML (with SVG charts), Markdown or JSON; the same report gives the same bytes.
//!
//! The report looks at the catalogue as it stood at the end of the year: projects created
//! after 31 December are left out, and so are releases, disclosures and contribution requests
//! dated later, so the report of a past year does not change as new data arrives. Every year
//! is counted in UTC.

mod gather;
pub mod render;
mod svg;
#[cfg(test)]
mod tests;

pub use gather::report_years;
use ospo_core::{
    ContributionRequest, Criticality, Disclosure, DisclosureState, IsoDate, Project, Slug, Step,
    Timestamp,
};
use ospo_licence::{Expression, KnowledgeBase, Mode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The earliest year a report can be asked for.
pub const FIRST_YEAR: u16 = 1970;
/// The latest year a report can be asked for.
pub const LAST_YEAR: u16 = 9999;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The year is not a four-digit year in range.
    #[error(
        "'{text}' is not a year: expected four digits from {FIRST_YEAR} to {LAST_YEAR}, e.g. 2026"
    )]
    Year {
        /// The text given.
        text: String,
    },
    /// Nothing in the catalogue is dated in that year or earlier.
    #[error("no data for {year}: {}", years_with_data(.years))]
    NoData {
        /// The year asked for.
        year: u16,
        /// The years that have data.
        years: Vec<u16>,
    },
    /// The data could not be read.
    #[error(transparent)]
    Catalogue(#[from] crate::CatalogueError),
}

fn years_with_data(years: &[u16]) -> String {
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first == last => format!("there is a report for {first} only"),
        (Some(first), Some(last)) => format!("there are reports for {first} to {last}"),
        _ => "the catalogue is empty, so there is no report yet".to_owned(),
    }
}

/// Reads a year written with four digits, from [`FIRST_YEAR`] to [`LAST_YEAR`].
pub fn parse_year(text: &str) -> Result<u16, ReportError> {
    let t = text.trim();
    t.parse::<u16>()
        .ok()
        .filter(|_| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
        .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
        .ok_or_else(|| ReportError::Year {
            text: text.to_owned(),
        })
}

/// A service of the inventory, as the report needs it: how critical it is, and the days an
/// inventory (an SBOM or lockfile snapshot) of it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceInventory {
    /// The service.
    pub slug: Slug,
    /// How much the lab depends on it.
    pub criticality: Criticality,
    /// The days of its inventory snapshots (any order).
    #[serde(default)]
    pub snapshots: Vec<IsoDate>,
}

/// Everything a report is computed from. A part set to `None` is data the catalogue does not
/// hold (yet); its KPIs are reported as not measured, with `why` naming the reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportInput {
    /// The projects of the catalogue.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// The disclosures with their transitions; `None` if the catalogue stores none.
    #[serde(default)]
    pub disclosures: Option<Vec<Disclosure>>,
    /// The contribution requests; `None` if the catalogue stores none.
    #[serde(default)]
    pub contributions: Option<Vec<ContributionRequest>>,
    /// The inventory's services; `None` if the catalogue stores no inventory.
    #[serde(default)]
    pub services: Option<Vec<ServiceInventory>>,
}

/// The yearly report: sections of KPIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// The year reported on.
    pub year: u16,
    /// The first day of the year, `YYYY-01-01`.
    pub from: String,
    /// The last day of the year, `YYYY-12-31`: the report shows the catalogue as it stood then.
    pub to: String,
    /// The sections, in a fixed order.
    pub sections: Vec<Section>,
}

/// A group of KPIs about one part of the OSPO's work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Section {
    /// A stable identifier (`catalogue`, `disclosures`, ...).
    pub id: String,
    /// The heading.
    pub title: String,
    /// The KPIs, in a fixed order.
    pub kpis: Vec<Kpi>,
}

/// One key performance indicator: what it is, what it is computed from, and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Kpi {
    /// A stable identifier, documented in docs/report.md (`catalogue.by-kind`).
    pub id: String,
    /// What the figure is.
    pub title: String,
    /// What it is computed from, and how.
    pub source: String,
    /// The value.
    #[serde(flatten)]
    pub value: KpiValue,
}

/// The value of a KPI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum KpiValue {
    /// A number of things.
    Count {
        /// How many.
        count: u64,
    },
    /// A part of a whole.
    Share {
        /// How many have the property.
        count: u64,
        /// Out of how many.
        of: u64,
        /// `count / of` in per cent, rounded half away from zero to one decimal; absent when
        /// `of` is 0.
        percent: Option<f64>,
    },
    /// Times from one event to another: median and 90th percentile.
    Durations {
        /// How many times were measured.
        count: u64,
        /// The median (nearest-rank 50th percentile), in whole seconds.
        median_seconds: Option<i64>,
        /// The nearest-rank 90th percentile, in whole seconds.
        p90_seconds: Option<i64>,
        /// The median in days, rounded to one decimal.
        median_days: Option<f64>,
        /// The 90th percentile in days, rounded to one decimal.
        p90_days: Option<f64>,
    },
    /// Counts per value, in a fixed order (drawn as a bar chart).
    Distribution {
        /// The sum of the rows.
        total: u64,
        /// One row per value.
        rows: Vec<Row>,
    },
    /// The data needed does not exist in the catalogue.
    NotMeasured {
        /// Why, and what would measure it.
        reason: String,
    },
}

/// One bar of a distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Row {
    /// The value counted (`software`, `EP-SFT`, `2026`).
    pub label: String,
    /// How many.
    pub count: u64,
}

/// A label for data that has no value of its own.
const NONE_RECORDED: &str = "none recorded";

impl Kpi {
    fn new(id: &str, title: &str, source: impl Into<String>, value: KpiValue) -> Kpi {
        Kpi {
            id: id.to_owned(),
            title: title.to_owned(),
            source: source.into(),
            value,
        }
    }
}

impl KpiValue {
    /// A share of `count` out of `of`.
    pub fn share(count: u64, of: u64) -> KpiValue {
        KpiValue::Share {
            count,
            of,
            percent: percent(count, of),
        }
    }

    /// The durations' median and 90th percentile (nearest rank).
    pub fn durations(mut seconds: Vec<i64>) -> KpiValue {
        seconds.sort_unstable();
        let median = nearest_rank(&seconds, 50);
        let p90 = nearest_rank(&seconds, 90);
        KpiValue::Durations {
            count: seconds.len() as u64,
            median_seconds: median,
            p90_seconds: p90,
            median_days: median.map(days),
            p90_days: p90.map(days),
        }
    }

    /// A distribution of `rows`, kept in the order given.
    pub fn distribution(rows: Vec<Row>) -> KpiValue {
        KpiValue::Distribution {
            total: rows.iter().map(|r| r.count).sum(),
            rows,
        }
    }
}

/// `count / of` in per cent, rounded to one decimal (half away from zero), computed in integers
/// so that every platform gives the same digits.
pub fn percent(count: u64, of: u64) -> Option<f64> {
    if of == 0 {
        return None;
    }
    let tenths = (u128::from(count) * 2000 + u128::from(of)) / (2 * u128::from(of));
    Some(tenths as f64 / 10.0)
}

/// Seconds as days, rounded to one decimal (half away from zero), in integers.
fn days(seconds: i64) -> f64 {
    let tenths = (i128::from(seconds) * 20 + 86_400 * i128::from(seconds.signum())) / (2 * 86_400);
    tenths as f64 / 10.0
}

/// The nearest-rank percentile `p` of sorted values: the smallest value such that at least
/// `p` per cent of the values are less than or equal to it, i.e. the value of rank
/// `ceil(p / 100 × n)` (1-based). Always a value that occurred; `None` for no values.
pub fn nearest_rank(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (p as usize * n).div_ceil(100).max(1);
    Some(sorted[rank.min(n) - 1])
}

/// The UTC year of an instant.
fn utc_year(t: &Timestamp) -> u16 {
    Timestamp::from_unix_seconds(t.unix_seconds()).date().year()
}

/// The licence family of a project, one per project so that the rows add up to the number of
/// projects: the family of every term when they agree (`permissive`, `weak-copyleft`,
/// `strong-copyleft`, `non-free`, `unknown`), `several families` when the terms of an
/// expression (`GPL-2.0-or-later OR MIT`) fall in different ones, `none recorded` without a
/// licence, `unknown` when the licence engine cannot read the expression.
pub fn licence_family(p: &Project) -> &'static str {
    let Some(licence) = &p.licence else {
        return NONE_RECORDED;
    };
    let Ok((expr, _)) = Expression::parse_with(licence.as_str(), Mode::Lenient) else {
        return "unknown";
    };
    let kb = KnowledgeBase::get();
    let families: BTreeSet<&'static str> = expr
        .terms()
        .iter()
        .map(|t| t.spdx().map_or("unknown", |id| kb.category(id).family()))
        .collect();
    match families.len() {
        0 => "unknown",
        1 => families.into_iter().next().unwrap_or("unknown"),
        _ => "several families",
    }
}

/// Whether the project's licence is detectable: recorded, read by the licence engine (lenient
/// mode), and every term is a licence of the SPDX list.
pub fn has_detectable_licence(p: &Project) -> bool {
    p.licence.as_ref().is_some_and(|l| {
        Expression::parse_with(l.as_str(), Mode::Lenient)
            .is_ok_and(|(expr, _)| expr.terms().iter().all(|t| t.spdx().is_some()))
    })
}

/// The years that have data: a project created, a release, a disclosure submitted or decided,
/// a contribution requested, an inventory taken. Ascending.
pub fn years_with_data_in(input: &ReportInput) -> Vec<u16> {
    let mut years = BTreeSet::new();
    for p in &input.projects {
        years.insert(utc_year(&p.created_at));
        years.extend(
            p.releases
                .iter()
                .filter_map(|r| r.date.as_ref())
                .map(IsoDate::year),
        );
    }
    for d in input.disclosures.iter().flatten() {
        years.extend(d.submitted_at().map(utc_year));
        years.extend(d.decision().map(|t| utc_year(&t.at)));
    }
    for c in input.contributions.iter().flatten() {
        years.insert(utc_year(&c.created_at));
    }
    for s in input.services.iter().flatten() {
        years.extend(s.snapshots.iter().map(IsoDate::year));
    }
    years.into_iter().collect()
}

/// The report of `year` from `input`. A pure function: the same input gives the same report.
pub fn compute(input: &ReportInput, year: u16) -> Report {
    let projects: Vec<&Project> = input
        .projects
        .iter()
        .filter(|p| utc_year(&p.created_at) <= year)
        .collect();
    let sections = vec![
        catalogue_section(&projects, year),
        releases_section(&projects, year),
        licences_section(&projects, year),
        disclosures_section(input.disclosures.as_deref(), year),
        inventory_section(input.services.as_deref(), year),
        contributions_section(input.contributions.as_deref(), year),
        use_cases_section(&projects, year),
    ];
    Report {
        year,
        from: format!("{year:04}-01-01"),
        to: format!("{year:04}-12-31"),
        sections,
    }
}

fn section(id: &str, title: &str, kpis: Vec<Kpi>) -> Section {
    Section {
        id: id.to_owned(),
        title: title.to_owned(),
        kpis,
    }
}

/// Rows in a fixed order of labels first, then any others by count (descending) and label.
fn rows(counts: BTreeMap<String, u64>, fixed: &[&str]) -> Vec<Row> {
    let mut out: Vec<Row> = fixed
        .iter()
        .filter_map(|l| {
            counts.get(*l).map(|&count| Row {
                label: (*l).to_owned(),
                count,
            })
        })
        .collect();
    let mut rest: Vec<Row> = counts
        .into_iter()
        .filter(|(l, _)| !fixed.contains(&l.as_str()))
        .map(|(label, count)| Row { label, count })
        .collect();
    rest.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out.extend(rest);
    out
}

fn tally<'a>(labels: impl Iterator<Item = String> + 'a) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for l in labels {
        *counts.entry(l).or_insert(0) += 1;
    }
    counts
}

fn in_catalogue(year: u16) -> String {
    format!("catalogue projects created on or before {year}-12-31")
}

fn catalogue_section(projects: &[&Project], year: u16) -> Section {
    let base = in_catalogue(year);
    let kinds = tally(projects.iter().map(|p| p.kind.to_string()));
    let units = tally(projects.iter().map(|p| {
        p.unit
            .as_ref()
            .map_or_else(|| NONE_RECORDED.to_owned(), ToString::to_string)
    }));
    let families = tally(projects.iter().map(|p| licence_family(p).to_owned()));
    let new = projects
        .iter()
        .filter(|p| utc_year(&p.created_at) == year)
        .count() as u64;
    section(
        "catalogue",
        "Projects in the catalogue",
        vec![
            Kpi::new(
                "catalogue.projects",
                "Projects in the catalogue",
                format!("{base}: how many"),
                KpiValue::Count {
                    count: projects.len() as u64,
                },
            ),
            Kpi::new(
                "catalogue.new",
                "Projects added during the year",
                format!("catalogue projects whose created_at falls in {year} (UTC)"),
                KpiValue::Count { count: new },
            ),
            Kpi::new(
                "catalogue.by-kind",
                "Projects by kind",
                format!("{base}: field kind"),
                KpiValue::distribution(rows(kinds, &["software", "hardware", "both"])),
            ),
            Kpi::new(
                "catalogue.by-unit",
                "Projects by unit",
                format!("{base}: field unit (department-group); by count, then name"),
                KpiValue::distribution(rows(units, &[])),
            ),
            Kpi::new(
                "catalogue.by-licence-family",
                "Projects by licence family",
                format!(
                    "{base}: field licence, each SPDX term's category in the licence engine's \
                     knowledge base (SPDX list {}), grouped in families; an expression whose \
                     terms fall in different families counts once as \"several families\"",
                    ospo_licence::spdx_list_version()
                ),
                KpiValue::distribution(rows(
                    families,
                    &[
                        "permissive",
                        "weak-copyleft",
                        "strong-copyleft",
                        "non-free",
                        "several families",
                        "unknown",
                        NONE_RECORDED,
                    ],
                )),
            ),
        ],
    )
}

fn releases_section(projects: &[&Project], year: u16) -> Section {
    let dated: Vec<u16> = projects
        .iter()
        .flat_map(|p| p.releases.iter())
        .filter_map(|r| r.date.as_ref().map(IsoDate::year))
        .filter(|&y| y <= year)
        .collect();
    let undated = projects
        .iter()
        .flat_map(|p| p.releases.iter())
        .filter(|r| r.date.is_none())
        .count();
    let releasing = projects
        .iter()
        .filter(|p| {
            p.releases
                .iter()
                .any(|r| r.date.as_ref().is_some_and(|d| d.year() == year))
        })
        .count() as u64;
    let mut per_year: BTreeMap<u16, u64> = BTreeMap::new();
    for y in &dated {
        *per_year.entry(*y).or_insert(0) += 1;
    }
    // The year itself always has a bar, even with no release.
    per_year.entry(year).or_insert(0);
    let rows = per_year
        .into_iter()
        .map(|(y, count)| Row {
            label: y.to_string(),
            count,
        })
        .collect();
    let base = format!("releases[].date of the {}", in_catalogue(year));
    section(
        "releases",
        "Releases",
        vec![
            Kpi::new(
                "releases.in-year",
                "New releases during the year",
                format!("{base}, dated in {year}"),
                KpiValue::Count {
                    count: dated.iter().filter(|&&y| y == year).count() as u64,
                },
            ),
            Kpi::new(
                "releases.projects-releasing",
                "Projects with a release during the year",
                format!("{base}: projects with at least one release dated in {year}"),
                KpiValue::Count { count: releasing },
            ),
            Kpi::new(
                "releases.per-year",
                "New releases per year",
                format!(
                    "{base}, counted by the year of their date up to {year}; {}",
                    match undated {
                        1 => "1 release without a date is not counted".to_owned(),
                        n => format!("{n} releases without a date are not counted"),
                    }
                ),
                KpiValue::distribution(rows),
            ),
        ],
    )
}

fn licences_section(projects: &[&Project], year: u16) -> Section {
    let detectable = projects
        .iter()
        .filter(|p| has_detectable_licence(p))
        .count() as u64;
    section(
        "licences",
        "Licences",
        vec![
            Kpi::new(
                "licences.detectable",
                "Projects with a detectable licence",
                format!(
                    "{}: field licence recorded, read by the licence engine (lenient mode) and \
                     every term on the SPDX licence list {}",
                    in_catalogue(year),
                    ospo_licence::spdx_list_version()
                ),
                KpiValue::share(detectable, projects.len() as u64),
            ),
            Kpi::new(
                "licences.reuse-clean",
                "Projects with a REUSE-clean source tree",
                format!(
                    "{}: the REUSE status of each project's source tree, as `ospo scan` \
                     computes it",
                    in_catalogue(year)
                ),
                KpiValue::NotMeasured {
                    reason: "the catalogue does not store the results of `ospo scan` (REUSE \
                             status of each tree), so there is no data to count"
                        .to_owned(),
                },
            ),
        ],
    )
}

/// The outcome of a decision, named after the state it led to; KT's publication of a hardware
/// disclosure it received on submission is named `published via KT`.
fn outcome(d: &Disclosure) -> Option<String> {
    let t = d.decision()?;
    Some(match (t.action.step(), t.to) {
        (Step::Publish, _) => "published via KT".to_owned(),
        (_, state) => state.to_string(),
    })
}

fn disclosures_section(disclosures: Option<&[Disclosure]>, year: u16) -> Section {
    let Some(all) = disclosures else {
        let reason = "the catalogue does not store disclosures yet".to_owned();
        let ids = [
            ("disclosures.received", "Disclosures received"),
            ("disclosures.decided", "Disclosures decided"),
            ("disclosures.by-outcome", "Decisions by outcome"),
            (
                "disclosures.time-to-decision",
                "Time from submission to decision",
            ),
        ];
        return section(
            "disclosures",
            "Disclosures",
            ids.iter()
                .map(|(id, title)| {
                    Kpi::new(
                        id,
                        title,
                        format!("disclosures and their transitions dated in {year} (UTC)"),
                        KpiValue::NotMeasured {
                            reason: reason.clone(),
                        },
                    )
                })
                .collect(),
        );
    };
    let received = all
        .iter()
        .filter(|d| d.submitted_at().is_some_and(|t| utc_year(t) == year))
        .count() as u64;
    let decided: Vec<&Disclosure> = all
        .iter()
        .filter(|d| d.decision().is_some_and(|t| utc_year(&t.at) == year))
        .collect();
    let outcomes = tally(decided.iter().filter_map(|d| outcome(d)));
    let fixed: Vec<&str> = [
        DisclosureState::Approved,
        DisclosureState::ApprovedWithConditions,
        DisclosureState::Declined,
        DisclosureState::SentToKt,
    ]
    .iter()
    .map(|s| s.as_str())
    .chain(["published via KT"])
    .collect();
    let times: Vec<i64> = decided
        .iter()
        .filter_map(|d| d.seconds_to_decision())
        .collect();
    let decision_rule = "the first approve, approve-with-conditions, decline or send-to-kt \
                         transition, or for hardware sent to KT on submission, KT's publish \
                         or decline";
    section(
        "disclosures",
        "Disclosures",
        vec![
            Kpi::new(
                "disclosures.received",
                "Disclosures received",
                format!("disclosures whose first submit transition is dated in {year} (UTC)"),
                KpiValue::Count { count: received },
            ),
            Kpi::new(
                "disclosures.decided",
                "Disclosures decided",
                format!("disclosures whose decision ({decision_rule}) is dated in {year} (UTC)"),
                KpiValue::Count {
                    count: decided.len() as u64,
                },
            ),
            Kpi::new(
                "disclosures.by-outcome",
                "Decisions by outcome",
                format!("disclosures decided in {year}: the state their decision led to"),
                KpiValue::distribution(rows(outcomes, &fixed)),
            ),
            Kpi::new(
                "disclosures.time-to-decision",
                "Time from submission to decision",
                format!(
                    "disclosures decided in {year}: time from the first submit transition to \
                     the decision; median and 90th percentile by the nearest-rank method (the \
                     value of rank ceil(p/100 × n) in ascending order, always a measured time)"
                ),
                KpiValue::durations(times),
            ),
        ],
    )
}

fn inventory_section(services: Option<&[ServiceInventory]>, year: u16) -> Section {
    let kpi = match services {
        None => Kpi::new(
            "inventory.critical-with-inventory",
            "Critical services with an inventory",
            format!(
                "inventory services of criticality critical and their inventory snapshots \
                 dated on or before {year}-12-31"
            ),
            KpiValue::NotMeasured {
                reason: "the catalogue does not store the inventory's services yet".to_owned(),
            },
        ),
        Some(services) => {
            let critical: Vec<&ServiceInventory> = services
                .iter()
                .filter(|s| s.criticality == Criticality::Critical)
                .collect();
            let with = critical
                .iter()
                .filter(|s| s.snapshots.iter().any(|d| d.year() <= year))
                .count() as u64;
            Kpi::new(
                "inventory.critical-with-inventory",
                "Critical services with an inventory",
                format!(
                    "inventory services of criticality critical: those with at least one \
                     inventory snapshot (SBOM or lockfile) dated on or before {year}-12-31"
                ),
                KpiValue::share(with, critical.len() as u64),
            )
        }
    };
    let mut kpis = vec![kpi];
    if let Some(services) = services {
        let counts = tally(services.iter().map(|s| s.criticality.to_string()));
        kpis.push(Kpi::new(
            "inventory.services-by-criticality",
            "Services by criticality",
            "inventory services: field criticality",
            KpiValue::distribution(rows(counts, &["critical", "important", "standard"])),
        ));
    }
    section("inventory", "Inventory of open source in services", kpis)
}

fn contributions_section(requests: Option<&[ContributionRequest]>, year: u16) -> Section {
    let Some(all) = requests else {
        let reason = "the catalogue does not store contribution requests yet".to_owned();
        let source = format!("contribution requests made in {year} (UTC)");
        return section(
            "contributions",
            "Contributions to external projects",
            vec![
                Kpi::new(
                    "contributions.significant",
                    "Significant contributions to external projects",
                    source.clone(),
                    KpiValue::NotMeasured {
                        reason: reason.clone(),
                    },
                ),
                Kpi::new(
                    "contributions.outside-physics",
                    "Significant contributions to projects outside physics",
                    source,
                    KpiValue::NotMeasured { reason },
                ),
            ],
        );
    };
    let in_year: Vec<&ContributionRequest> = all
        .iter()
        .filter(|c| utc_year(&c.created_at) == year)
        .collect();
    let counted: Vec<&&ContributionRequest> =
        in_year.iter().filter(|c| c.counts_for_report()).collect();
    let outside = counted.iter().filter(|c| c.project.outside_physics).count() as u64;
    let base = format!(
        "contribution requests made in {year} (UTC) marked significant and advised go or \
         go-with-conditions"
    );
    section(
        "contributions",
        "Contributions to external projects",
        vec![
            Kpi::new(
                "contributions.requests",
                "Contribution requests",
                format!("contribution requests made in {year} (UTC)"),
                KpiValue::Count {
                    count: in_year.len() as u64,
                },
            ),
            Kpi::new(
                "contributions.significant",
                "Significant contributions to external projects",
                base.clone(),
                KpiValue::Count {
                    count: counted.len() as u64,
                },
            ),
            Kpi::new(
                "contributions.outside-physics",
                "Significant contributions to projects outside physics",
                format!("{base}, to a project marked outside_physics"),
                KpiValue::share(outside, counted.len() as u64),
            ),
        ],
    )
}

fn use_cases_section(projects: &[&Project], year: u16) -> Section {
    let with = projects.iter().filter(|p| !p.use_cases.is_empty()).count() as u64;
    let use_cases: u64 = projects.iter().map(|p| p.use_cases.len() as u64).sum();
    // A project with two use cases in one domain counts once in that domain.
    let domains = tally(projects.iter().flat_map(|p| {
        p.use_cases
            .iter()
            .map(|u| u.domain.trim().to_lowercase())
            .collect::<BTreeSet<_>>()
    }));
    let base = format!("use_cases of the {}", in_catalogue(year));
    section(
        "use-cases",
        "Use cases outside physics",
        vec![
            Kpi::new(
                "use-cases.projects",
                "Projects with a use case outside physics",
                format!("{base}: projects with at least one"),
                KpiValue::share(with, projects.len() as u64),
            ),
            Kpi::new(
                "use-cases.count",
                "Use cases outside physics",
                format!("{base}: how many"),
                KpiValue::Count { count: use_cases },
            ),
            Kpi::new(
                "use-cases.by-domain",
                "Projects by domain of use outside physics",
                format!(
                    "{base}: field domain, lower-cased; a project counts once per domain; by \
                     count, then name"
                ),
                KpiValue::distribution(rows(domains, &[])),
            ),
        ],
    )
}
