//! The Open Hardware Repository: a maintainer's `.ohwr.yaml` (template 1.0.0, found both flat
//! and nested under `project:`) and the registry's `config.yaml`, which lists every project
//! with its repository, contact, tags and the projects it is compatible with.

use std::collections::BTreeSet;

use ospo_core::{
    DevelopmentStatus, Person, Project, ProjectKind, ProjectRole, Provenance, ReadinessLevel,
    Release, Slug, Timestamp,
};

use super::common::{self, Ctx, Join, Slugs, Source, Syntax};
use super::tree::{Node, Path, Problem};
use super::{FormatError, Imported};

/// The registry's name in provenance records.
pub(crate) const REGISTRY: &str = "ohwr-registry";

const MANIFEST_FIELDS: &str =
    "the fields of an .ohwr.yaml (name, description, website, licenses, ...)";

pub(crate) fn parse_manifest(
    file: &str,
    text: &str,
    now: Timestamp,
) -> Result<Imported, FormatError> {
    let source = Source {
        file,
        text,
        syntax: Syntax::Yaml,
    };
    let tree = source.tree()?;
    let mut ctx = Ctx::new(file);
    ctx.strict_licences = true;
    let project =
        manifest(&mut ctx, file, &Node::root(&tree), now).map_err(|p| source.refuse(p))?;
    Ok(Imported {
        projects: vec![project],
        warnings: ctx.warnings,
    })
}

fn manifest(
    ctx: &mut Ctx<'_>,
    file: &str,
    root: &Node<'_>,
    now: Timestamp,
) -> Result<Project, Problem> {
    root.expect_map(MANIFEST_FIELDS)?;
    if let Some(version) = root.text("version", "the template version, e.g. '1.0.0'")?
        && version != "1"
        && !version.starts_with("1.")
    {
        ctx.warn(
            &root.path.key("version"),
            format_args!("template version {version:?} is not 1.x; read as 1.0.0"),
        );
    }
    // The nested shape keeps `version` at the top and the fields under `project:`.
    let body = match root.get("project") {
        Some(node) => {
            node.expect_map(MANIFEST_FIELDS)?;
            node
        }
        None => root.clone(),
    };
    let name = body.required_text("name", "the project's name")?;
    let homepage = ctx.url_at(&body, "website")?;
    let id = id_from_file_name(file).or_else(|| {
        homepage
            .as_ref()
            .and_then(|url| id_from_website(url.as_str()))
    });
    let slug = match id.and_then(|id| Slug::from_name(&id).ok()) {
        Some(slug) => slug,
        None => common::slug_from_name(&name, &body.get("name").unwrap_or_else(|| body.clone()))?,
    };

    let mut project = Project::new(slug, name, ProjectKind::Hardware, now);
    project.homepage = homepage;
    if let Some(node) = body.get("description") {
        let text = node.as_text("the description in Markdown, or a link to a Markdown file")?;
        if is_link(&text) {
            ctx.warn(
                &node.path,
                format_args!(
                    "the description is a link to a Markdown file ({text}); the catalogue does not \
                     fetch links, so the description is left empty"
                ),
            );
        } else if !text.is_empty() {
            project.summary = common::summarise(&text);
            project.description = text;
        }
    }
    project.documentation = ctx.url_at(&body, "documentation")?;
    project.issue_tracker = ctx.url_at(&body, "issues")?;

    let licences: Vec<(Path, String)> = match body.get("licenses") {
        Some(node) if node.value.is_string() => vec![(node.path.clone(), node.as_text("")?)],
        _ => body
            .texts(
                "licenses",
                "a list of SPDX licence identifiers",
                "an SPDX licence identifier",
            )?
            .into_iter()
            .map(|(node, text)| (node.path, text))
            .collect(),
    };
    project.licence = ctx.licence(&licences, Join::And)?;

    if let Some(url) = ctx.url_at(&body, "latest_release")? {
        let version = url
            .as_str()
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        project.releases.push(Release {
            version,
            date: None,
            url: Some(url),
        });
    }
    common::finish(ctx, &mut project, &Provenance::Manifest, &Path::default());
    Ok(project)
}

/// `fmc-tdc` from `fmc-tdc.ohwr.yaml`; nothing from the bare `.ohwr.yaml`.
fn id_from_file_name(file: &str) -> Option<String> {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let lower = base.to_ascii_lowercase();
    let cut = [".ohwr.yaml", ".ohwr.yml"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))?;
    let id = &base[..cut.len()];
    id.chars()
        .any(|c| c.is_ascii_alphanumeric())
        .then(|| id.to_owned())
}

/// `spec` from `https://ohwr.org/project/spec` (the registry's page of the project).
fn id_from_website(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let rest = rest.strip_prefix("ohwr.org/project/")?;
    let start = url.len() - rest.len();
    let id = url[start..].split(['/', '?', '#']).next()?;
    (!id.is_empty()).then(|| id.to_owned())
}

fn is_link(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
}

pub(crate) fn parse_registry(
    file: &str,
    text: &str,
    now: Timestamp,
) -> Result<Imported, FormatError> {
    let source = Source {
        file,
        text,
        syntax: Syntax::Yaml,
    };
    let tree = source.tree()?;
    let mut ctx = Ctx::new(file);
    let projects = registry(&mut ctx, &Node::root(&tree), &now).map_err(|p| source.refuse(p))?;
    Ok(Imported {
        projects,
        warnings: ctx.warnings,
    })
}

fn registry(ctx: &mut Ctx<'_>, root: &Node<'_>, now: &Timestamp) -> Result<Vec<Project>, Problem> {
    root.expect_map("the registry's sections (tags, projects, ...)")?;
    let vocabulary: BTreeSet<String> = root
        .texts("tags", "a list of tags", "a tag")?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect();
    let entries = match root.get("projects") {
        Some(node) => node.items("a list of projects")?,
        None => return Err(root.missing("projects", "a list of projects")),
    };

    // First the ids, so that links to projects further down can be checked.
    let mut slugs = Slugs::default();
    let mut ids = Vec::with_capacity(entries.len());
    for entry in &entries {
        entry.expect_map("a project (id, repository, contact, tags, compatibles)")?;
        let id = entry.required_text("id", "a project id")?;
        let id_node = entry.get("id").unwrap_or_else(|| entry.clone());
        let slug = common::slug_from_name(&id, &id_node)?;
        if let Err(first) = slugs.claim(&slug, &entry.path.to_string()) {
            return Err(Problem {
                path: id_node.path,
                expected: format!(
                    "an id not used by an earlier project ({first} has slug {:?})",
                    slug.as_str()
                ),
                found: format!("{id:?}"),
            });
        }
        ids.push((id, slug));
    }
    let known: BTreeSet<&Slug> = ids.iter().map(|(_, slug)| slug).collect();

    let origin = Provenance::Import {
        source: REGISTRY.to_owned(),
    };
    let mut projects = Vec::with_capacity(entries.len());
    for (entry, (id, slug)) in entries.iter().zip(&ids) {
        ctx.enter(entry, format!("{} ({id})", entry.path));
        let mut project =
            Project::new(slug.clone(), id.clone(), ProjectKind::Hardware, now.clone());
        project.repository = ctx.url_at(entry, "repository")?;
        if let Some(contact) = entry.get("contact") {
            contact.expect_map("a contact (name, email)")?;
            project.people.push(Person {
                name: contact.required_text("name", "the contact's name")?,
                email: ctx.email_at(&contact, "email")?,
                affiliation: None,
                expertise: Vec::new(),
                roles: vec![ProjectRole::Maintainer, ProjectRole::Contact],
            });
        }
        for (node, other) in entry.texts("compatibles", "a list of project ids", "a project id")? {
            let other_slug = common::slug_from_name(&other, &node)?;
            if other_slug == *slug {
                ctx.warn(
                    &node.path,
                    "the project lists itself as compatible; left out",
                );
            } else if !project.compatible_with.contains(&other_slug) {
                if !known.contains(&other_slug) {
                    ctx.warn(
                        &node.path,
                        format_args!(
                            "{other:?} is not a project of the registry; the link is kept"
                        ),
                    );
                }
                project.compatible_with.push(other_slug);
            }
        }
        let mut topics = Vec::new();
        for (node, tag) in entry.texts("tags", "a list of tags", "a tag")? {
            if !vocabulary.is_empty() && !vocabulary.contains(&tag) {
                ctx.warn(
                    &node.path,
                    format_args!("tag {tag:?} is not in the registry's list of tags; kept"),
                );
            }
            if let Some(level) = readiness_level(&tag) {
                if let Some(earlier) = project.readiness_level
                    && earlier != level
                {
                    ctx.warn(
                        &node.path,
                        format_args!("a second readiness level ({tag}); the higher one is kept"),
                    );
                }
                project.readiness_level = project.readiness_level.max(Some(level));
            } else if tag == "Inactive" {
                project.status = Some(DevelopmentStatus::Obsolete);
            } else {
                if tag == "Software" {
                    project.kind = ProjectKind::Both;
                }
                topics.push(tag);
            }
        }
        project.topics = common::labels(topics);
        common::finish(ctx, &mut project, &origin, &entry.path);
        ctx.leave();
        projects.push(project);
    }
    Ok(projects)
}

/// `TRL4` → level 4.
fn readiness_level(tag: &str) -> Option<ReadinessLevel> {
    let digits = tag.strip_prefix("TRL")?;
    ReadinessLevel::new(digits.trim().parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_file_name_or_the_ohwr_page() {
        assert_eq!(
            id_from_file_name("data/fmc-tdc.ohwr.yaml").as_deref(),
            Some("fmc-tdc")
        );
        assert_eq!(id_from_file_name(".ohwr.yaml"), None);
        assert_eq!(id_from_file_name("publiccode.yml"), None);
        assert_eq!(
            id_from_website("https://ohwr.org/project/spec").as_deref(),
            Some("spec")
        );
        assert_eq!(
            id_from_website("https://www.ohwr.org/project/WR2RF-VME/wikis").as_deref(),
            Some("WR2RF-VME")
        );
        assert_eq!(id_from_website("https://example.org/project/spec"), None);
    }

    #[test]
    fn trl_tags_are_levels() {
        assert_eq!(readiness_level("TRL9").map(ReadinessLevel::get), Some(9));
        assert_eq!(readiness_level("TRL0"), None);
        assert_eq!(readiness_level("Timing"), None);
    }
}
