//! A table of projects for spreadsheets: one row per project, one column per field, list
//! fields joined with `; `. Export only (the JSON export is the lossless one).

use ospo_core::{Funding, Person, Project, Release};

use super::{Format, FormatError};

/// The columns, named as the model's fields.
pub(crate) const COLUMNS: &[&str] = &[
    "slug",
    "name",
    "kind",
    "summary",
    "description",
    "homepage",
    "repository",
    "documentation",
    "issue_tracker",
    "licence",
    "languages",
    "topics",
    "unit",
    "people",
    "status",
    "readiness_level",
    "compatible_with",
    "use_cases",
    "funding",
    "identifiers",
    "releases",
    "created_at",
    "updated_at",
    "version",
];

const SEPARATOR: &str = "; ";

fn join<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(SEPARATOR)
}

fn opt(value: Option<&impl ToString>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

/// `Jane Doe <jane@cern.ch> (CERN) [maintainer, contact]`.
fn person(p: &Person) -> String {
    let mut out = p.name.clone();
    if let Some(email) = &p.email {
        out += &format!(" <{email}>");
    }
    if let Some(affiliation) = &p.affiliation {
        out += &format!(" ({affiliation})");
    }
    let roles: Vec<&str> = p.roles.iter().map(|r| r.as_str()).collect();
    out + &format!(" [{}]", roles.join(", "))
}

/// `European Commission, Horizon 2020, 101004761`.
fn funding(f: &Funding) -> String {
    [
        Some(f.funder.as_str()),
        f.programme.as_deref(),
        f.grant.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// `v8.0.1 (2022-07-12) https://...`.
fn release(r: &Release) -> String {
    let mut out = r.version.clone();
    if let Some(date) = &r.date {
        out += &format!(" ({date})");
    }
    if let Some(url) = &r.url {
        out += &format!(" {url}");
    }
    out
}

fn row(p: &Project) -> Vec<String> {
    vec![
        p.slug.to_string(),
        p.name.clone(),
        p.kind.to_string(),
        p.summary.clone(),
        p.description.clone(),
        opt(p.homepage.as_ref()),
        opt(p.repository.as_ref()),
        opt(p.documentation.as_ref()),
        opt(p.issue_tracker.as_ref()),
        opt(p.licence.as_ref()),
        p.languages.join(SEPARATOR),
        p.topics.join(SEPARATOR),
        opt(p.unit.as_ref()),
        join(&p.people, person),
        opt(p.status.as_ref()),
        p.readiness_level
            .map(|l| l.get().to_string())
            .unwrap_or_default(),
        join(&p.compatible_with, ToString::to_string),
        join(&p.use_cases, |u| format!("{}: {}", u.domain, u.text)),
        join(&p.funding, funding),
        join(&p.identifiers, ToString::to_string),
        join(&p.releases, release),
        p.created_at.to_string(),
        p.updated_at.to_string(),
        p.version.to_string(),
    ]
}

/// Writes a header row and one row per project.
pub(crate) fn render(projects: &[Project]) -> Result<String, FormatError> {
    let error = |e: &dyn std::fmt::Display| FormatError::Write {
        format: Format::Csv,
        message: e.to_string(),
    };
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(|e| error(&e))?;
    for project in projects {
        writer.write_record(row(project)).map_err(|e| error(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| error(&e))?;
    String::from_utf8(bytes).map_err(|e| error(&e))
}
