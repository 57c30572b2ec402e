//! `codemeta.json`: CodeMeta 2 (`https://doi.org/10.5063/schema/codemeta-2.0`) and 3
//! (`https://w3id.org/codemeta/3.0`) are read, 3 is written.
//!
//! CodeMeta is JSON-LD, and real files use its freedoms: a single value or a list, text or an
//! object (`{"@type": "Person", ...}`, `{"@value": ...}`, `{"@list": [...]}`), and keys with a
//! `schema:` or `codemeta:` prefix. All of those are read. Mapping: `name`, `description`
//! (summary: its first sentence), `codeRepository` → repository, `url` → homepage,
//! `issueTracker`, `softwareHelp` → documentation, `license`, `programmingLanguage` →
//! languages, `keywords` → topics, `author` → people with the expert role, `maintainer` →
//! people with the maintainer role (`knowsAbout` → their expertise), `softwareVersion` (or
//! `version`) with `datePublished` and `releaseNotes` (or `downloadUrl`) → the latest
//! release, `identifier` → DOIs and SWHIDs, `funding` and `funder` → funding,
//! `developmentStatus` (repostatus.org or publiccode words) → status.

use ospo_core::{
    DevelopmentStatus, Doi, EmailAddress, Funding, Identifier, Person, Project, ProjectKind,
    ProjectRole, Provenance, Release, Swhid, Timestamp,
};
use serde::Serialize;
use serde_json::Value;

use super::common::{self, Ctx, Join, Syntax};
use super::tree::{Node, Path, Problem};
use super::{Format, FormatError, Imported};

/// The context written on export.
pub(crate) const CONTEXT_V3: &str = "https://w3id.org/codemeta/3.0";

const PREFIXES: &[&str] = &[
    "",
    "schema:",
    "codemeta:",
    "http://schema.org/",
    "https://schema.org/",
    "https://codemeta.github.io/terms/",
];

pub(crate) fn parse(file: &str, text: &str, now: Timestamp) -> Result<Imported, FormatError> {
    common::parse_single(file, text, Syntax::Json, now, read)
}

/// The value of property `key`, under any of the prefixes CodeMeta files use.
fn field<'a>(node: &Node<'a>, key: &str) -> Option<Node<'a>> {
    let aliases: &[&str] = match key {
        "@id" => &["@id", "id"],
        "@type" => &["@type", "type"],
        _ => &[],
    };
    aliases
        .iter()
        .find_map(|alias| node.get(alias))
        .or_else(|| PREFIXES.iter().find_map(|p| node.get(&format!("{p}{key}"))))
}

/// The values of property `key` as a list: a list, a JSON-LD `@list` or `@set`, or one value.
fn values<'a>(node: &Node<'a>, key: &str) -> Vec<Node<'a>> {
    let Some(value) = field(node, key) else {
        return Vec::new();
    };
    let container = ["@list", "@set"].iter().find_map(|k| value.get(k));
    let list = container.unwrap_or(value);
    match list.value {
        Value::Array(_) => list
            .items("")
            .unwrap_or_default()
            .into_iter()
            .filter(|item| !item.value.is_null())
            .collect(),
        _ => vec![list],
    }
}

/// A text value: a string, a number, or `{"@value": ...}`.
fn text_of(node: &Node<'_>, expected: &str) -> Result<String, Problem> {
    match node.get("@value") {
        Some(inner) if node.is_map() => inner.as_text(expected),
        _ => node.as_text(expected),
    }
}

/// A link given as text or as an object with `url` or `@id` (a `CreativeWork`, a `WebSite`).
fn link_of(node: &Node<'_>, expected: &str) -> Result<String, Problem> {
    if node.is_map() {
        for key in ["url", "@id", "@value"] {
            if let Some(inner) = field(node, key) {
                return text_of(&inner, expected);
            }
        }
        return Err(node.problem(expected));
    }
    text_of(node, expected)
}

/// A name given as text or as an object with `name` (a `ComputerLanguage`, an `Organization`).
fn name_of(node: &Node<'_>, expected: &str) -> Result<String, Problem> {
    if node.is_map() {
        for key in ["name", "legalName", "@value"] {
            if let Some(inner) = field(node, key) {
                return text_of(&inner, expected);
            }
        }
        return Err(node.problem(expected));
    }
    text_of(node, expected)
}

fn first_link(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    key: &str,
) -> Result<Option<ospo_core::Url>, Problem> {
    for item in values(node, key) {
        let text = link_of(&item, "a web address, or an object with a url")?;
        if !text.is_empty() {
            return Ok(ctx.url(&item, &text));
        }
    }
    Ok(None)
}

fn read(ctx: &mut Ctx<'_>, root: &Node<'_>, now: Timestamp) -> Result<Project, Problem> {
    root.expect_map("a CodeMeta object (@context, @type, name, ...)")?;
    let main = match field(root, "@graph") {
        None => root.clone(),
        Some(graph) => {
            let items = graph.items("a list of JSON-LD nodes")?;
            items
                .into_iter()
                .find(|item| {
                    field(item, "@type")
                        .and_then(|t| t.as_text("").ok())
                        .is_some_and(|t| {
                            t.ends_with("SoftwareSourceCode") || t.ends_with("SoftwareApplication")
                        })
                })
                .ok_or_else(|| graph.problem("a node of @type SoftwareSourceCode"))?
        }
    };
    let Some(name_node) = field(&main, "name") else {
        return Err(main.missing("name", "the software's name"));
    };
    let name = text_of(&name_node, "the software's name")?;
    if name.is_empty() {
        return Err(name_node.problem("the software's name"));
    }
    let version_node = field(&main, "softwareVersion").or_else(|| field(&main, "version"));
    let version = match &version_node {
        Some(node) => Some(text_of(node, "a version, e.g. \"2.0\"")?).filter(|v| !v.is_empty()),
        None => None,
    };
    let slug = common::slug_from_name(
        common::without_version(&name, version.as_deref()),
        &name_node,
    )?;
    let mut project = Project::new(slug, name, ProjectKind::Software, now);

    if let Some(node) = field(&main, "description") {
        project.description = text_of(&node, "a description")?;
        project.summary = common::summarise(&project.description);
    }
    project.repository = first_link(ctx, &main, "codeRepository")?;
    project.homepage = first_link(ctx, &main, "url")?;
    project.issue_tracker = first_link(ctx, &main, "issueTracker")?;
    project.documentation = first_link(ctx, &main, "softwareHelp")?;

    let mut licences = Vec::new();
    for item in values(&main, "license") {
        let text = if item.is_map() {
            ["identifier", "url", "@id", "name"]
                .iter()
                .find_map(|k| field(&item, k))
                .map(|inner| text_of(&inner, "a licence"))
                .transpose()?
                .unwrap_or_default()
        } else {
            text_of(&item, "an SPDX licence, a link to one, or a CreativeWork")?
        };
        if !text.is_empty() {
            licences.push((item.path.clone(), text));
        }
    }
    project.licence = ctx.licence(&licences, Join::And)?;

    let mut languages = Vec::new();
    for item in values(&main, "programmingLanguage") {
        languages.push(name_of(
            &item,
            "a language name, or a ComputerLanguage with a name",
        )?);
    }
    project.languages = common::labels(languages);
    let keywords = values(&main, "keywords");
    let mut topics = Vec::new();
    for item in &keywords {
        let text = name_of(item, "a keyword, or a list of them")?;
        if keywords.len() == 1 && text.contains(',') {
            topics.extend(text.split(',').map(str::to_owned));
        } else {
            topics.push(text);
        }
    }
    project.topics = common::labels(topics);

    for (key, role) in [
        ("author", ProjectRole::Expert),
        ("maintainer", ProjectRole::Maintainer),
    ] {
        for item in values(&main, key) {
            if let Some(person) = person(ctx, &item, role)? {
                common::add_person(&mut project.people, person);
            }
        }
    }

    if let Some(version) = version {
        let date = match field(&main, "datePublished") {
            Some(node) => {
                let text = text_of(&node, "a date written YYYY-MM-DD")?;
                ctx.date(&node, &text)
            }
            None => None,
        };
        let mut url = None;
        for key in ["releaseNotes", "downloadUrl"] {
            if let Some(node) = field(&main, key) {
                let text = link_of(&node, "a web address")?;
                if text.starts_with("http://") || text.starts_with("https://") {
                    url = ctx.url(&node, &text);
                    if url.is_some() {
                        break;
                    }
                }
            }
        }
        project.releases.push(Release { version, date, url });
    }

    let mut ids = Vec::new();
    if let Some(node) = field(&main, "@id")
        && let Ok(text) = node.as_text("")
        && let Ok(doi) = Doi::parse(&text)
        && text.to_ascii_lowercase().contains("doi.org/")
    {
        ids.push(Identifier::Doi(doi));
    }
    for item in values(&main, "identifier") {
        let text = if item.is_map() {
            ["value", "@id", "url", "@value"]
                .iter()
                .find_map(|k| field(&item, k))
                .map(|inner| text_of(&inner, "an identifier"))
                .transpose()?
                .unwrap_or_default()
        } else {
            text_of(
                &item,
                "an identifier (a DOI or a SWHID), or a PropertyValue",
            )?
        };
        if text.is_empty() {
            continue;
        }
        match identifier(&text) {
            Some(id) => ids.push(id),
            None => ctx.warn(
                &item.path,
                format_args!("identifier {text:?} is neither a DOI nor a SWHID; not kept"),
            ),
        }
    }
    for id in ids {
        if !project.identifiers.contains(&id) {
            project.identifiers.push(id);
        }
    }

    project.funding = funding(ctx, &main)?;
    if let Some(node) = field(&main, "developmentStatus") {
        let text = link_of(
            &node,
            "a development status, e.g. https://www.repostatus.org/#active",
        )?;
        match status(&text) {
            Some(s) => project.status = Some(s),
            None if text.is_empty() => {}
            None => ctx.warn(
                &node.path,
                format_args!(
                    "development status {text:?} is neither a repostatus.org status nor one of \
                     concept, development, beta, stable, obsolete; not kept"
                ),
            ),
        }
    }
    common::finish(ctx, &mut project, &Provenance::Manifest, &Path::default());
    Ok(project)
}

/// A DOI (bare, `doi:` or a resolver link) or a SWHID.
fn identifier(text: &str) -> Option<Identifier> {
    if text.starts_with("swh:") {
        return Swhid::parse(text).ok().map(Identifier::Swhid);
    }
    Doi::parse(text).ok().map(Identifier::Doi)
}

/// A person from a `Person` or `Organization` object, or from a name; `None` for JSON-LD
/// references and `Role` nodes, which carry no one new.
fn person(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    role: ProjectRole,
) -> Result<Option<Person>, Problem> {
    const EXPECTED: &str = "a person (name or givenName and familyName, email, affiliation)";
    if !node.is_map() {
        let name = text_of(node, EXPECTED)?;
        let reference =
            name.starts_with("_:") || name.starts_with("http://") || name.starts_with("https://");
        return Ok((!name.is_empty() && !reference).then(|| Person {
            name,
            email: None,
            affiliation: None,
            expertise: Vec::new(),
            roles: vec![role],
        }));
    }
    if field(node, "@type")
        .and_then(|t| t.as_text("").ok())
        .is_some_and(|t| t.ends_with("Role"))
    {
        return Ok(None);
    }
    let part = |key: &str| -> Result<String, Problem> {
        let mut parts = Vec::new();
        for item in values(node, key) {
            parts.push(text_of(&item, "a name")?);
        }
        Ok(parts.join(" "))
    };
    let mut name = match field(node, "name") {
        Some(n) => text_of(&n, "a name")?,
        None => String::new(),
    };
    if name.is_empty() {
        name = [part("givenName")?, part("familyName")?]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if name.is_empty() {
        if field(node, "@id").is_none() {
            ctx.warn(&node.path, "a person without a name; not imported");
        }
        return Ok(None);
    }
    let email = match field(node, "email") {
        Some(e) => {
            let text = text_of(&e, "an e-mail address")?;
            let text = text.strip_prefix("mailto:").unwrap_or(&text).to_owned();
            match EmailAddress::parse(&text) {
                Ok(email) => Some(email),
                Err(_) if text.is_empty() => None,
                Err(err) => {
                    ctx.warn(&e.path, format_args!("{err}; not kept"));
                    None
                }
            }
        }
        None => None,
    };
    let affiliation = match values(node, "affiliation").first() {
        Some(a) => Some(name_of(
            a,
            "an affiliation, or an Organization with a name",
        )?)
        .filter(|a| !a.is_empty()),
        None => None,
    };
    let mut expertise = Vec::new();
    for item in values(node, "knowsAbout") {
        expertise.push(name_of(&item, "a subject")?);
    }
    Ok(Some(Person {
        name,
        email,
        affiliation,
        expertise: common::labels(expertise),
        roles: vec![role],
    }))
}

/// Funding from CodeMeta 3's `Grant` objects or CodeMeta 2's `funding` text with `funder`.
fn funding(ctx: &mut Ctx<'_>, main: &Node<'_>) -> Result<Vec<Funding>, Problem> {
    let mut funders = Vec::new();
    for item in values(main, "funder") {
        let name = name_of(&item, "a funder, or an Organization with a name")?;
        if !name.is_empty() {
            funders.push(name);
        }
    }
    let mut out: Vec<Funding> = Vec::new();
    for item in values(main, "funding") {
        if item.is_map() {
            let text = |key: &str| -> Result<Option<String>, Problem> {
                match field(&item, key) {
                    Some(inner) if inner.is_map() => Ok(field(&inner, "value")
                        .map(|v| text_of(&v, "an identifier"))
                        .transpose()?),
                    Some(inner) => Ok(Some(text_of(&inner, "text")?)),
                    None => Ok(None),
                }
            };
            let grant = text("identifier")?
                .or(text("@id")?)
                .filter(|g| !g.is_empty());
            let programme = text("name")?.filter(|p| !p.is_empty());
            let funder = match values(&item, "funder").first() {
                Some(f) => Some(name_of(f, "a funder, or an Organization with a name")?),
                None => (funders.len() == 1).then(|| funders[0].clone()),
            };
            match funder.filter(|f| !f.is_empty()) {
                Some(funder) => out.push(Funding {
                    funder,
                    programme,
                    grant,
                }),
                None => ctx.warn(&item.path, "a grant without a funder; not kept"),
            }
        } else {
            let text = text_of(&item, "a grant's text, or a Grant")?;
            if text.is_empty() {
                continue;
            }
            if funders.len() == 1 {
                out.push(Funding {
                    funder: funders[0].clone(),
                    programme: None,
                    grant: Some(text),
                });
            } else {
                ctx.warn(
                    &item.path,
                    format_args!("funding {text:?} does not say which funder; not kept"),
                );
            }
        }
    }
    for funder in funders {
        if !out.iter().any(|f| f.funder == funder) {
            out.push(Funding {
                funder,
                programme: None,
                grant: None,
            });
        }
    }
    Ok(out)
}

/// The status for a repostatus.org link or word, or a publiccode.yml status.
fn status(text: &str) -> Option<DevelopmentStatus> {
    let word = text
        .rsplit('#')
        .next()
        .unwrap_or(text)
        .trim()
        .to_ascii_lowercase();
    Some(match word.as_str() {
        "concept" => DevelopmentStatus::Concept,
        "wip" | "development" | "suspended" => DevelopmentStatus::Development,
        "beta" => DevelopmentStatus::Beta,
        "active" | "inactive" | "stable" => DevelopmentStatus::Stable,
        "abandoned" | "unsupported" | "moved" | "obsolete" => DevelopmentStatus::Obsolete,
        _ => return None,
    })
}

/// How a status is written: a repostatus.org link where one means the same, else the word.
fn status_text(status: DevelopmentStatus) -> &'static str {
    match status {
        DevelopmentStatus::Concept => "https://www.repostatus.org/#concept",
        DevelopmentStatus::Development => "https://www.repostatus.org/#wip",
        DevelopmentStatus::Beta => "beta",
        DevelopmentStatus::Stable => "https://www.repostatus.org/#active",
        DevelopmentStatus::Obsolete => "https://www.repostatus.org/#unsupported",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Out<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_repository: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_tracker: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    software_help: Option<WebSite<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    programming_language: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<PersonOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    maintainer: Vec<PersonOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    software_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release_notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifier: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    funding: Vec<Grant<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    development_status: Option<&'static str>,
}

#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersonOut<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<Organization<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    knows_about: Vec<&'a str>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Grant<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    funder: Organization<'a>,
}

fn person_out(person: &Person) -> PersonOut<'_> {
    PersonOut {
        kind: "Person",
        name: &person.name,
        email: person.email.as_ref().map(|e| e.as_str()),
        affiliation: person.affiliation.as_deref().map(|name| Organization {
            kind: "Organization",
            name,
        }),
        knows_about: person.expertise.iter().map(String::as_str).collect(),
    }
}

/// Writes CodeMeta 3. The licence is an SPDX link when it is one licence, a list of links
/// when it is several joined by AND, and the expression itself otherwise.
pub(crate) fn render(project: &Project) -> Result<String, FormatError> {
    let release = project.releases.first();
    let license = project
        .licence
        .as_ref()
        .map(|licence| match common::licence_parts(licence) {
            Some(parts) if parts.len() == 1 => Value::String(spdx_link(&parts[0])),
            Some(parts) => {
                Value::Array(parts.iter().map(|p| Value::String(spdx_link(p))).collect())
            }
            None => Value::String(licence.to_string()),
        });
    let out = Out {
        context: CONTEXT_V3,
        kind: "SoftwareSourceCode",
        name: &project.name,
        description: Some(if project.description.is_empty() {
            project.summary.as_str()
        } else {
            project.description.as_str()
        })
        .filter(|d| !d.is_empty()),
        code_repository: project.repository.as_ref().map(|u| u.as_str()),
        url: project.homepage.as_ref().map(|u| u.as_str()),
        issue_tracker: project.issue_tracker.as_ref().map(|u| u.as_str()),
        software_help: project.documentation.as_ref().map(|u| WebSite {
            kind: "WebSite",
            url: u.as_str(),
        }),
        license,
        programming_language: project.languages.iter().map(String::as_str).collect(),
        keywords: project.topics.iter().map(String::as_str).collect(),
        author: project
            .people
            .iter()
            .filter(|p| p.has_role(ProjectRole::Expert))
            .map(person_out)
            .collect(),
        maintainer: project
            .people
            .iter()
            .filter(|p| p.has_role(ProjectRole::Maintainer) || p.has_role(ProjectRole::Contact))
            .map(person_out)
            .collect(),
        software_version: release.map(|r| r.version.as_str()),
        date_published: release.and_then(|r| r.date.as_ref()).map(|d| d.as_str()),
        release_notes: release.and_then(|r| r.url.as_ref()).map(|u| u.as_str()),
        identifier: project
            .identifiers
            .iter()
            .map(|id| match id {
                Identifier::Doi(doi) => doi.url(),
                Identifier::Swhid(swhid) => swhid.to_string(),
            })
            .collect(),
        funding: project
            .funding
            .iter()
            .map(|f| Grant {
                kind: "Grant",
                identifier: f.grant.as_deref(),
                name: f.programme.as_deref(),
                funder: Organization {
                    kind: "Organization",
                    name: &f.funder,
                },
            })
            .collect(),
        development_status: project.status.map(status_text),
    };
    serde_json::to_string_pretty(&out)
        .map(|json| json + "\n")
        .map_err(|e| FormatError::Write {
            format: Format::CodeMeta,
            message: e.to_string(),
        })
}

fn spdx_link(id: &str) -> String {
    format!("https://spdx.org/licenses/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_repostatus_and_publiccode_words() {
        assert_eq!(
            status("https://www.repostatus.org/#active"),
            Some(DevelopmentStatus::Stable)
        );
        assert_eq!(status("active"), Some(DevelopmentStatus::Stable));
        assert_eq!(status("WIP"), Some(DevelopmentStatus::Development));
        assert_eq!(status("beta"), Some(DevelopmentStatus::Beta));
        assert_eq!(status("retired"), None);
        for &s in DevelopmentStatus::ALL {
            assert_eq!(status(status_text(s)), Some(s), "{s}");
        }
    }
}
