//! `publiccode.yml`, the metadata standard for public software (publiccodeyml/publiccode.yml,
//! `docs/standard/schema.core.rst`). Versions 0.2 to 0.7 are read; 0.4 is written.
//!
//! Mapping (CodeMeta crosswalk, column `publiccode`): `name` → name, `url` → repository,
//! `landingURL` → homepage, `softwareVersion` and `releaseDate` → the latest release,
//! `developmentStatus` → status, `description.<lang>.shortDescription` → summary,
//! `.longDescription` → description, `.documentation` → documentation, `categories` and
//! `.features` (the crosswalk's keywords) → topics, `legal.license` → licence,
//! `maintenance.contacts` → people (maintainers and contacts), `fundedBy` (0.5+) → funding.
//! Contractors are companies under a maintenance contract, not people to contact: they are
//! reported, not imported.

use std::collections::BTreeMap;

use ospo_core::{
    DevelopmentStatus, Funding, Person, Project, ProjectKind, ProjectRole, Provenance, Release,
    Timestamp,
};
use serde::Serialize;

use super::common::{self, Ctx, Join, Syntax};
use super::tree::{Node, Path, Problem};
use super::{Format, FormatError, Imported};

/// The controlled vocabulary of `categories` (`docs/standard/categories-list.rst`).
const CATEGORIES: &[&str] = &[
    "accounting",
    "agile-project-management",
    "applicant-tracking",
    "application-development",
    "appointment-scheduling",
    "backup",
    "billing-and-invoicing",
    "blog",
    "budgeting",
    "business-intelligence",
    "business-process-management",
    "cad",
    "call-center-management",
    "cloud-management",
    "collaboration",
    "communications",
    "compliance-management",
    "contact-management",
    "content-management",
    "crm",
    "customer-service-and-support",
    "data-analytics",
    "data-collection",
    "data-visualization",
    "design",
    "design-system",
    "digital-asset-management",
    "digital-citizenship",
    "document-management",
    "donor-management",
    "e-commerce",
    "e-signature",
    "educational-content",
    "email-management",
    "email-marketing",
    "employee-management",
    "enterprise-project-management",
    "enterprise-social-networking",
    "erp",
    "event-management",
    "facility-management",
    "feedback-and-reviews-management",
    "financial-reporting",
    "fleet-management",
    "fundraising",
    "gamification",
    "geographic-information-systems",
    "grant-management",
    "graphic-design",
    "help-desk",
    "hr",
    "ide",
    "identity-management",
    "instant-messaging",
    "inventory-management",
    "it-asset-management",
    "it-development",
    "it-management",
    "it-security",
    "it-service-management",
    "knowledge-management",
    "learning-management-system",
    "marketing",
    "mind-mapping",
    "mobile-marketing",
    "mobile-payment",
    "network-management",
    "office",
    "online-booking",
    "online-community",
    "payment-gateway",
    "payroll",
    "predictive-analysis",
    "procurement",
    "productivity-suite",
    "project-collaboration",
    "project-management",
    "property-management",
    "real-estate-management",
    "remote-support",
    "resource-management",
    "sales-management",
    "seo",
    "service-desk",
    "social-media-management",
    "survey",
    "talent-management",
    "task-management",
    "taxes-management",
    "test-management",
    "time-management",
    "time-tracking",
    "translation",
    "video-conferencing",
    "video-editing",
    "visitor-management",
    "voip",
    "warehouse-management",
    "web-collaboration",
    "web-conferencing",
    "website-builder",
    "whistleblowing",
    "workflow-management",
];

/// The longest `shortDescription` the standard allows.
const SHORT_MAX: usize = 150;

pub(crate) fn parse(file: &str, text: &str, now: Timestamp) -> Result<Imported, FormatError> {
    common::parse_single(file, text, Syntax::Yaml, now, read)
}

fn read(ctx: &mut Ctx<'_>, root: &Node<'_>, now: Timestamp) -> Result<Project, Problem> {
    root.expect_map("the keys of a publiccode.yml (publiccodeYmlVersion, name, url, ...)")?;
    let version = root.required_text(
        "publiccodeYmlVersion",
        "the standard's version, e.g. \"0.4\"",
    )?;
    if !supported(&version) {
        ctx.warn(
            &root.path.key("publiccodeYmlVersion"),
            format_args!("version {version:?} is outside 0.2–0.7; read as 0.7"),
        );
    }
    let name = root.required_text("name", "the software's name")?;
    let slug = common::slug_from_name(&name, &root.get("name").unwrap_or_else(|| root.clone()))?;
    let mut project = Project::new(slug, name, ProjectKind::Software, now);
    project.repository = ctx.url_at(root, "url")?;
    project.homepage = ctx.url_at(root, "landingURL")?;
    if let Some(version) = root.text("softwareVersion", "the latest version, e.g. \"1.0\"")? {
        project.releases.push(Release {
            version,
            date: ctx.date_at(root, "releaseDate")?,
            url: None,
        });
    }
    if let Some(node) = root.get("developmentStatus") {
        let text = node.as_text("one of concept, development, beta, stable, obsolete")?;
        match text.parse::<DevelopmentStatus>() {
            Ok(status) => project.status = Some(status),
            Err(e) => ctx.warn(&node.path, format_args!("{e}; not kept")),
        }
    }

    let mut topics: Vec<String> = root
        .texts("categories", "a list of categories", "a category")?
        .into_iter()
        .map(|(_, category)| category)
        .collect();
    if let Some(descriptions) = root.get("description") {
        descriptions.expect_map("descriptions by language, e.g. en: {shortDescription: ...}")?;
        let languages = descriptions.entries();
        let chosen = languages
            .iter()
            .find(|(lang, _)| *lang == "en")
            .or_else(|| languages.iter().find(|(lang, _)| lang.starts_with("en-")))
            .or_else(|| languages.first());
        if let Some((_, lang)) = chosen {
            lang.expect_map("the description in one language (shortDescription, longDescription, features, ...)")?;
            project.summary = lang
                .text("shortDescription", "a one-sentence description")?
                .unwrap_or_default();
            project.description = lang
                .text(
                    "longDescription",
                    "a description of the software's capabilities",
                )?
                .unwrap_or_default();
            project.documentation = ctx.url_at(lang, "documentation")?;
            for key in ["features", "freeTags"] {
                topics.extend(
                    lang.texts(key, "a list of features", "a feature")?
                        .into_iter()
                        .map(|(_, feature)| feature),
                );
            }
        }
    }
    if project.summary.is_empty() && !project.description.is_empty() {
        project.summary = common::summarise(&project.description);
    }
    project.topics = common::labels(topics);

    if let Some(legal) = root.get("legal") {
        legal.expect_map("the legal section (license, mainCopyrightOwner, ...)")?;
        if let Some(node) = legal.get("license") {
            let text = node.as_text("an SPDX licence expression")?;
            project.licence = ctx.licence(&[(node.path.clone(), text)], Join::And)?;
        }
    }
    if let Some(maintenance) = root.get("maintenance") {
        maintenance.expect_map("the maintenance section (type, contacts, contractors)")?;
        for contact in maintenance.list("contacts", "a list of contacts")? {
            contact.expect_map("a contact (name, email, affiliation, phone)")?;
            let person = Person {
                name: contact.required_text("name", "the contact's name")?,
                email: ctx.email_at(&contact, "email")?,
                affiliation: contact.text("affiliation", "the contact's affiliation")?,
                expertise: Vec::new(),
                roles: vec![ProjectRole::Maintainer, ProjectRole::Contact],
            };
            common::add_person(&mut project.people, person);
        }
        for contractor in maintenance.list("contractors", "a list of contractors")? {
            contractor.expect_map("a contractor (name, until, email, website)")?;
            let name = contractor
                .text("name", "the contractor's name")?
                .unwrap_or_default();
            ctx.warn(
                &contractor.path,
                format_args!(
                    "contractor {name:?} not imported: the catalogue lists people to contact, \
                     not maintenance contracts"
                ),
            );
        }
    }
    for funder in root.list("fundedBy", "a list of organisations")? {
        funder.expect_map("an organisation (name, uri)")?;
        project.funding.push(Funding {
            funder: funder.required_text("name", "the organisation's name")?,
            programme: None,
            grant: None,
        });
    }
    common::finish(ctx, &mut project, &Provenance::Manifest, &Path::default());
    Ok(project)
}

/// Whether the version is one of 0.2 to 0.7 (or just "0", the latest 0.x).
fn supported(version: &str) -> bool {
    let mut parts = version.split('.');
    let major = parts.next();
    let minor = parts.next().map(str::parse::<u32>);
    match (major, minor) {
        (Some("0"), None) => true,
        (Some("0"), Some(Ok(minor))) => (2..=7).contains(&minor),
        _ => false,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Out<'a> {
    publiccode_yml_version: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(rename = "landingURL", skip_serializing_if = "Option::is_none")]
    landing_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    software_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    release_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    categories: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    development_status: Option<&'static str>,
    description: BTreeMap<&'static str, Description<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legal: Option<Legal<'a>>,
    maintenance: Maintenance<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Description<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    long_description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    documentation: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    features: Vec<&'a str>,
}

#[derive(Serialize)]
struct Legal<'a> {
    license: &'a str,
}

#[derive(Serialize)]
struct Maintenance<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    contacts: Vec<Contact<'a>>,
}

#[derive(Serialize)]
struct Contact<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    affiliation: Option<&'a str>,
}

/// Writes a publiccode.yml 0.4 with what the catalogue knows. Keys the catalogue has no value
/// for (`platforms`, `softwareType`, `localisation`, and `categories` when no topic is in the
/// standard's vocabulary) are left out for the maintainers to add, rather than guessed.
pub(crate) fn render(project: &Project) -> Result<String, FormatError> {
    let release = project.releases.first();
    let (categories, features): (Vec<&str>, Vec<&str>) = project
        .topics
        .iter()
        .map(String::as_str)
        .partition(|topic| CATEGORIES.contains(topic));
    let contacts: Vec<Contact<'_>> = project
        .people
        .iter()
        .filter(|p| p.has_role(ProjectRole::Maintainer) || p.has_role(ProjectRole::Contact))
        .map(|p| Contact {
            name: &p.name,
            email: p.email.as_ref().map(|e| e.as_str()),
            affiliation: p.affiliation.as_deref(),
        })
        .collect();
    let description = Description {
        short_description: (!project.summary.is_empty())
            .then(|| common::cut(&project.summary, SHORT_MAX)),
        long_description: Some(project.description.as_str()).filter(|d| !d.is_empty()),
        documentation: project.documentation.as_ref().map(|u| u.as_str()),
        features,
    };
    let out = Out {
        publiccode_yml_version: "0.4",
        name: &project.name,
        url: project.repository.as_ref().map(|u| u.as_str()),
        landing_url: project.homepage.as_ref().map(|u| u.as_str()),
        software_version: release.map(|r| r.version.as_str()),
        release_date: release.and_then(|r| r.date.as_ref()).map(|d| d.as_str()),
        categories,
        development_status: project.status.map(DevelopmentStatus::as_str),
        description: BTreeMap::from([("en", description)]),
        legal: project.licence.as_ref().map(|l| Legal {
            license: l.as_str(),
        }),
        maintenance: Maintenance {
            kind: if contacts.is_empty() {
                "none"
            } else {
                "internal"
            },
            contacts,
        },
    };
    serde_norway::to_string(&out).map_err(|e| FormatError::Write {
        format: Format::Publiccode,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_two_to_seven_are_supported() {
        for ok in ["0", "0.2", "0.3", "0.4.0", "0.7"] {
            assert!(supported(ok), "{ok}");
        }
        for old_or_new in ["0.1", "0.8", "1.0", "x"] {
            assert!(!supported(old_or_new), "{old_or_new}");
        }
    }
}
