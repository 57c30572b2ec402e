//! code.gov's `code.json` (metadata schema 2.0.0): a US agency's inventory of software. Read as
//! the full inventory (`{"version", "agency", "releases": [...]}`) or as a bare list of its
//! entries; written as a 2.0.0 inventory.
//!
//! Mapping: `name`, `description` (summary: its first sentence), `repositoryURL` →
//! repository, `homepageURL` → homepage, `permissions.licenses` → licence (several are read
//! as all applying, the conservative reading of a list whose meaning the schema leaves open;
//! a licence `name` that is not SPDX, such as `Other`, is tried through its `URL`),
//! `languages`, `tags` → topics, `contact` → a person with the contact role (affiliated
//! with `organization`; named by the e-mail address when the entry has no name for them),
//! `status` → status, `version` and `downloadURL` → the latest release.
//!
//! Entries are checked one by one: an entry repeated exactly is skipped, and entries whose
//! names give the same slug are numbered (`cap`, `cap-2`), each with a warning naming the
//! entries.

use std::collections::HashMap;

use ospo_core::{
    DevelopmentStatus, Person, Project, ProjectKind, ProjectRole, Provenance, Release, Slug,
    Timestamp,
};
use serde::Serialize;
use serde_json::Value;

use super::common::{self, Ctx, Join, Slugs, Source, Syntax};
use super::tree::{Node, Problem};
use super::{Format, FormatError, Imported};

/// The source's name in provenance records.
pub(crate) const SOURCE: &str = "code.json";

pub(crate) fn parse(file: &str, text: &str, now: Timestamp) -> Result<Imported, FormatError> {
    let source = Source {
        file,
        text,
        syntax: Syntax::Json,
    };
    let tree = source.tree()?;
    let mut ctx = Ctx::new(file);
    let projects = read(&mut ctx, &Node::root(&tree), &now).map_err(|p| source.refuse(p))?;
    Ok(Imported {
        projects,
        warnings: ctx.warnings,
    })
}

fn read(ctx: &mut Ctx<'_>, root: &Node<'_>, now: &Timestamp) -> Result<Vec<Project>, Problem> {
    let entries = match root.value {
        Value::Array(_) => root.items("")?,
        Value::Object(_) => {
            if let Some(version) = root.text("version", "the schema version, e.g. \"2.0.0\"")?
                && !version.starts_with("2.")
            {
                ctx.warn(
                    &root.path.key("version"),
                    format_args!("schema version {version:?} is not 2.x; read as 2.0.0"),
                );
            }
            match root.get("releases") {
                Some(node) => node.items("a list of software entries")?,
                None => return Err(root.missing("releases", "the agency's list of software")),
            }
        }
        _ => {
            return Err(root.problem(
                "an agency's code.json (version, agency, releases) or a list of its entries",
            ));
        }
    };

    let origin = Provenance::Import {
        source: SOURCE.to_owned(),
    };
    let mut slugs = Slugs::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut projects = Vec::with_capacity(entries.len());
    for entry in &entries {
        entry
            .expect_map("a software entry (name, description, repositoryURL, permissions, ...)")?;
        let name = entry.required_text("name", "the software's name")?;
        let label = format!("{} {name:?}", entry.path);
        ctx.enter(entry, label.clone());
        let canonical = entry.value.to_string();
        if let Some(first) = seen.get(&canonical) {
            ctx.warn(
                &entry.path,
                format_args!("repeats entry {first} exactly; skipped"),
            );
            ctx.leave();
            continue;
        }
        seen.insert(canonical, entry.path.to_string());
        let Ok(slug) = Slug::from_name(&name) else {
            ctx.warn(
                &entry.path,
                "the name has no Latin letter or digit to make a slug from; skipped",
            );
            ctx.leave();
            continue;
        };
        let (slug, clash) = slugs.claim_free(slug.clone(), &label);
        if let Some(first) = clash {
            ctx.warn(
                &entry.path,
                format_args!(
                    "its slug is also that of {first}; this entry is {:?}",
                    slug.as_str()
                ),
            );
        }
        let mut project = entry_project(ctx, entry, slug, name, now)?;
        common::finish(ctx, &mut project, &origin, &entry.path);
        ctx.leave();
        projects.push(project);
    }
    Ok(projects)
}

fn entry_project(
    ctx: &mut Ctx<'_>,
    entry: &Node<'_>,
    slug: Slug,
    name: String,
    now: &Timestamp,
) -> Result<Project, Problem> {
    let mut project = Project::new(slug, name, ProjectKind::Software, now.clone());
    if let Some(text) = entry.text("description", "a description of the software")? {
        project.summary = common::summarise(&text);
        project.description = text;
    }
    project.repository = ctx.url_at(entry, "repositoryURL")?;
    project.homepage = ctx.url_at(entry, "homepageURL")?;
    if let Some(permissions) = entry.get("permissions") {
        permissions.expect_map("the permissions (licenses, usageType, exemptionText)")?;
        project.licence = licence(ctx, &permissions)?;
    }
    project.languages = common::labels(
        entry
            .texts("languages", "a list of languages", "a language")?
            .into_iter()
            .map(|(_, language)| language),
    );
    project.topics = common::labels(
        entry
            .texts("tags", "a list of tags", "a tag")?
            .into_iter()
            .map(|(_, tag)| tag),
    );
    if let Some(contact) = entry.get("contact") {
        contact.expect_map("a contact (email, name, URL, phone)")?;
        let email = ctx.email_at(&contact, "email")?;
        let name = contact
            .text("name", "the contact's name")?
            .or_else(|| email.as_ref().map(ToString::to_string));
        if let Some(name) = name {
            project.people.push(Person {
                name,
                email,
                affiliation: entry.text("organization", "the organisation's name")?,
                expertise: Vec::new(),
                roles: vec![ProjectRole::Contact],
            });
        }
    }
    if let Some(node) = entry.get("status") {
        let text = node.as_text("a status, e.g. Production")?;
        match status(&text) {
            Some(s) => project.status = Some(s),
            None if text.is_empty() => {}
            None => ctx.warn(
                &node.path,
                format_args!(
                    "status {text:?} is not one of Ideation, Development, Alpha, Beta, Release \
                     Candidate, Production, Archival; not kept"
                ),
            ),
        }
    }
    if let Some(version) = entry.text("version", "the version, e.g. \"1.0\"")? {
        project.releases.push(Release {
            version,
            date: None,
            url: ctx.url_at(entry, "downloadURL")?,
        });
    }
    Ok(project)
}

/// The licence of `permissions.licenses`: each entry's `name` read leniently, or, when that
/// fails, its `URL` (GitHub's `https://api.github.com/licenses/<key>` and licence pages).
fn licence(
    ctx: &mut Ctx<'_>,
    permissions: &Node<'_>,
) -> Result<Option<ospo_core::LicenceExpression>, Problem> {
    let mut expressions = Vec::new();
    let mut unreadable = false;
    for item in permissions.list("licenses", "a list of licences (name, URL)")? {
        item.expect_map("a licence (name, URL)")?;
        let name = item.text("name", "the licence's name")?;
        let url = item.text("URL", "a link to the licence")?;
        let mut why = None;
        let mut found = None;
        let candidates = [name.clone(), url.as_deref().and_then(licence_link)];
        for (i, candidate) in candidates.iter().enumerate() {
            let Some(candidate) = candidate else { continue };
            match ctx.read_licence(candidate) {
                Ok(read) => {
                    found = Some((i, read));
                    break;
                }
                Err(e) => {
                    why.get_or_insert(e);
                }
            }
        }
        let shown = match (&name, &url) {
            (Some(n), Some(u)) => format!("{n:?} ({u})"),
            (Some(n), None) => format!("{n:?}"),
            (None, Some(u)) => format!("({u})"),
            (None, None) => continue,
        };
        match found {
            Some((1, (expression, _))) if name.is_some() => {
                ctx.warn(
                    &item.path,
                    format_args!("licence {shown} read from its URL as \"{expression}\""),
                );
                expressions.push(expression);
            }
            Some((_, (expression, note))) => {
                if let Some(note) = note {
                    ctx.warn(&item.path, note);
                }
                expressions.push(expression);
            }
            None => {
                ctx.warn(
                    &item.path,
                    format_args!(
                        "licence {shown} could not be read as an SPDX expression: {}; licence \
                         left empty",
                        why.unwrap_or_default()
                    ),
                );
                unreadable = true;
            }
        }
    }
    Ok(if unreadable {
        None
    } else {
        common::combine_licences(expressions, Join::And)
    })
}

/// The part of a licence link worth reading: the key of GitHub's
/// `https://api.github.com/licenses/<key>`, or a link on a site whose licence pages the
/// licence reader knows (SPDX, OSI, GNU, Creative Commons, ...). Other links (an institute's
/// licensing office, a repository's LICENSE file) name no licence by themselves.
fn licence_link(url: &str) -> Option<String> {
    if let Some(key) = url.strip_prefix("https://api.github.com/licenses/") {
        return Some(key.to_owned());
    }
    const SITES: &[&str] = &[
        "spdx.org/",
        "opensource.org/",
        "choosealicense.com/",
        "apache.org/",
        "gnu.org/",
        "creativecommons.org/",
        "eclipse.org/",
        "mozilla.org/",
        "boost.org/",
        "ohwr.org/",
        "json.org/",
        "joinup.ec.europa.eu/",
    ];
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest
        .strip_prefix("www.")
        .unwrap_or(rest)
        .to_ascii_lowercase();
    SITES
        .iter()
        .any(|site| rest.starts_with(site))
        .then(|| url.to_owned())
}

/// code.gov's statuses, which are finer than the catalogue's at the start.
fn status(text: &str) -> Option<DevelopmentStatus> {
    Some(match text.to_ascii_lowercase().as_str() {
        "ideation" => DevelopmentStatus::Concept,
        "development" | "alpha" => DevelopmentStatus::Development,
        "beta" | "release candidate" => DevelopmentStatus::Beta,
        "production" => DevelopmentStatus::Stable,
        "archival" => DevelopmentStatus::Obsolete,
        _ => return None,
    })
}

fn status_text(status: DevelopmentStatus) -> &'static str {
    match status {
        DevelopmentStatus::Concept => "Ideation",
        DevelopmentStatus::Development => "Development",
        DevelopmentStatus::Beta => "Beta",
        DevelopmentStatus::Stable => "Production",
        DevelopmentStatus::Obsolete => "Archival",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Inventory<'a> {
    version: &'static str,
    measurement_type: Measurement,
    releases: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Measurement {
    method: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(rename = "repositoryURL", skip_serializing_if = "Option::is_none")]
    repository_url: Option<&'a str>,
    #[serde(rename = "homepageURL", skip_serializing_if = "Option::is_none")]
    homepage_url: Option<&'a str>,
    #[serde(rename = "downloadURL", skip_serializing_if = "Option::is_none")]
    download_url: Option<&'a str>,
    permissions: Permissions,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    languages: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact: Option<Contact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    date: Dates,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Permissions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenceOut>,
    usage_type: &'static str,
}

#[derive(Serialize)]
struct LicenceOut {
    name: String,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Contact<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dates {
    metadata_last_updated: String,
}

/// Writes a code.json 2.0.0 inventory. The catalogue lists open-source projects, so every
/// entry's `usageType` is `openSource`; `agency` and `laborHours`, which the catalogue does
/// not know, are left out for the publisher to add.
pub(crate) fn render(projects: &[Project]) -> Result<String, FormatError> {
    let releases = projects.iter().map(entry).collect();
    let inventory = Inventory {
        version: "2.0.0",
        measurement_type: Measurement { method: "projects" },
        releases,
    };
    serde_json::to_string_pretty(&inventory)
        .map(|json| json + "\n")
        .map_err(|e| FormatError::Write {
            format: Format::CodeJson,
            message: e.to_string(),
        })
}

fn entry(project: &Project) -> Entry<'_> {
    let release = project.releases.first();
    let licenses = match &project.licence {
        None => Vec::new(),
        Some(licence) => match common::licence_parts(licence) {
            Some(parts) => parts
                .into_iter()
                .map(|id| LicenceOut {
                    url: Some(format!("https://spdx.org/licenses/{id}.html")),
                    name: id,
                })
                .collect(),
            None => vec![LicenceOut {
                name: licence.to_string(),
                url: None,
            }],
        },
    };
    let contact = project
        .people
        .iter()
        .find(|p| p.has_role(ProjectRole::Contact))
        .or_else(|| {
            project
                .people
                .iter()
                .find(|p| p.has_role(ProjectRole::Maintainer))
        })
        .or_else(|| project.people.first());
    Entry {
        name: &project.name,
        version: release.map(|r| r.version.as_str()),
        description: if project.description.is_empty() {
            &project.summary
        } else {
            &project.description
        },
        repository_url: project.repository.as_ref().map(|u| u.as_str()),
        homepage_url: project.homepage.as_ref().map(|u| u.as_str()),
        download_url: release.and_then(|r| r.url.as_ref()).map(|u| u.as_str()),
        permissions: Permissions {
            licenses,
            usage_type: "openSource",
        },
        languages: project.languages.iter().map(String::as_str).collect(),
        tags: project.topics.iter().map(String::as_str).collect(),
        contact: contact.map(|p| {
            let email = p.email.as_ref().map(|e| e.as_str());
            Contact {
                email,
                name: Some(p.name.as_str()).filter(|name| Some(*name) != email),
            }
        }),
        organization: contact.and_then(|p| p.affiliation.as_deref()),
        status: project.status.map(status_text),
        date: Dates {
            metadata_last_updated: project.updated_at.date().to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_both_ways() {
        for &s in DevelopmentStatus::ALL {
            assert_eq!(status(status_text(s)), Some(s));
        }
        assert_eq!(status("Release Candidate"), Some(DevelopmentStatus::Beta));
        assert_eq!(status("Retired"), None);
    }
}
