//! `CITATION.cff`, the Citation File Format (citation-file-format/citation-file-format, schema
//! 1.2.0; files of 1.0 and 1.1 use the same keys for what is read here). Import only.
//!
//! Mapping (CodeMeta crosswalk, column `Citation File Format (1.2.0)`): `title` → name,
//! `abstract` → description (summary: its first sentence), `repository-code` → repository,
//! `url` → homepage, `license` → licence (a list is a choice: "when there are multiple
//! licenses, it is assumed their relationship is OR"), `keywords` → topics, `authors` →
//! people with the expert role, `contact` → people with the contact role, `version` and
//! `date-released` → the latest release, `doi` and `identifiers` of type `doi` or `swh` →
//! identifiers.

use ospo_core::{
    Doi, Identifier, Person, Project, ProjectKind, ProjectRole, Provenance, Release, Swhid,
    Timestamp,
};

use super::common::{self, Ctx, Join, Syntax};
use super::tree::{Node, Path, Problem};
use super::{FormatError, Imported};

pub(crate) fn parse(file: &str, text: &str, now: Timestamp) -> Result<Imported, FormatError> {
    common::parse_single(file, text, Syntax::Yaml, now, read)
}

fn read(ctx: &mut Ctx<'_>, root: &Node<'_>, now: Timestamp) -> Result<Project, Problem> {
    root.expect_map("the keys of a CITATION.cff (cff-version, title, authors, ...)")?;
    let cff_version = root.required_text("cff-version", "the format's version, e.g. 1.2.0")?;
    if !cff_version.starts_with("1.") {
        ctx.warn(
            &root.path.key("cff-version"),
            format_args!("cff-version {cff_version:?} is not 1.x; read as 1.2.0"),
        );
    }
    let title = root.required_text("title", "the software's title")?;
    let version = root.text("version", "the software's version")?;
    let title_node = root.get("title").unwrap_or_else(|| root.clone());
    let slug = common::slug_from_name(
        common::without_version(&title, version.as_deref()),
        &title_node,
    )?;
    let mut project = Project::new(slug, title, ProjectKind::Software, now);

    if let Some(text) = root.text("abstract", "a description of the software")? {
        project.summary = common::summarise(&text);
        project.description = text;
    }
    project.repository = ctx.url_at(root, "repository-code")?;
    project.homepage = ctx.url_at(root, "url")?;

    let licences: Vec<(Path, String)> = match root.get("license") {
        Some(node) if !node.value.is_array() => {
            vec![(
                node.path.clone(),
                node.as_text("an SPDX licence identifier, or a list of them")?,
            )]
        }
        _ => root
            .texts(
                "license",
                "an SPDX licence identifier, or a list of them",
                "an SPDX licence identifier",
            )?
            .into_iter()
            .map(|(node, text)| (node.path, text))
            .collect(),
    };
    project.licence = ctx.licence(&licences, Join::Or)?;
    project.topics = common::labels(
        root.texts("keywords", "a list of keywords", "a keyword")?
            .into_iter()
            .map(|(_, keyword)| keyword),
    );

    for (key, role) in [
        ("authors", ProjectRole::Expert),
        ("contact", ProjectRole::Contact),
    ] {
        for item in root.list(key, "a list of persons or entities")? {
            if let Some(person) = person(ctx, &item, role)? {
                common::add_person(&mut project.people, person);
            }
        }
    }

    if let Some(version) = version {
        project.releases.push(Release {
            version,
            date: ctx.date_at(root, "date-released")?,
            url: None,
        });
    }

    if let Some(node) = root.get("doi") {
        let text = node.as_text("a DOI, e.g. 10.5281/zenodo.1234567")?;
        match Doi::parse(&text) {
            Ok(doi) => project.identifiers.push(Identifier::Doi(doi)),
            Err(e) => ctx.warn(&node.path, format_args!("{e}; not kept")),
        }
    }
    for item in root.list("identifiers", "a list of identifiers (type, value)")? {
        item.expect_map("an identifier (type, value)")?;
        let kind = item.required_text("type", "the identifier's type: doi, url, swh or other")?;
        let value = item.required_text("value", "the identifier")?;
        let id = match kind.as_str() {
            "doi" => Doi::parse(&value).map(Identifier::Doi),
            "swh" => Swhid::parse(&value).map(Identifier::Swhid),
            _ => continue,
        };
        match id {
            Ok(id) if !project.identifiers.contains(&id) => project.identifiers.push(id),
            Ok(_) => {}
            Err(e) => ctx.warn(&item.path.key("value"), format_args!("{e}; not kept")),
        }
    }
    common::finish(ctx, &mut project, &Provenance::Manifest, &Path::default());
    Ok(project)
}

/// A person (`given-names`, `name-particle`, `family-names`, `name-suffix`) or an entity
/// (`name`).
fn person(
    ctx: &mut Ctx<'_>,
    node: &Node<'_>,
    role: ProjectRole,
) -> Result<Option<Person>, Problem> {
    node.expect_map("a person (given-names, family-names, ...) or an entity (name)")?;
    let mut name = node.text("name", "the entity's name")?.unwrap_or_default();
    if name.is_empty() {
        let mut parts = Vec::new();
        for key in ["given-names", "name-particle", "family-names"] {
            if let Some(part) = node.text(key, "a name")? {
                parts.push(part);
            }
        }
        name = parts.join(" ");
        if let Some(suffix) = node.text("name-suffix", "a name suffix, e.g. Jr.")?
            && !name.is_empty()
        {
            name = format!("{name}, {suffix}");
        }
    }
    if name.is_empty() {
        ctx.warn(&node.path, "a person without a name; not imported");
        return Ok(None);
    }
    Ok(Some(Person {
        name,
        email: ctx.email_at(node, "email")?,
        affiliation: node.text("affiliation", "an affiliation")?,
        expertise: Vec::new(),
        roles: vec![role],
    }))
}
