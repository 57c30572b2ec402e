//! The open-source inventory: the lab's services, the components they use, and dated
//! snapshots of that use (one per ingested SBOM or lockfile), so change shows over time.

use serde::{Deserialize, Serialize};

use crate::address::Url;
use crate::date::IsoDate;
use crate::error::{ValidationError, optional_text, require_text};
use crate::project::{LicenceExpression, Unit};
use crate::slug::Slug;

named_enum! {
    /// How much the lab depends on a service.
    pub enum Criticality("criticality") {
        /// The lab cannot operate without it (accelerator controls, safety, identity).
        Critical => "critical",
        /// Its loss hurts many people.
        Important => "important",
        /// Everything else.
        Standard => "standard",
    }
}

named_enum! {
    /// Who can reach a service.
    pub enum Exposure("exposure") {
        /// Only from the lab's network.
        Internal => "internal",
        /// From the internet; network-copyleft licences (AGPL) matter here.
        External => "external",
    }
}

/// A service the lab runs, whose open-source components the inventory tracks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Service {
    /// The service's identifier.
    pub slug: Slug,
    /// The display name.
    pub name: String,
    /// The unit that runs it.
    pub owner: Unit,
    /// How much the lab depends on it.
    pub criticality: Criticality,
    /// Who can reach it.
    pub exposure: Exposure,
    /// What it does.
    #[serde(default)]
    pub description: String,
    /// Its home page, documentation, status page.
    #[serde(default)]
    pub links: Vec<Url>,
    /// The catalogue project it runs, if any.
    #[serde(default)]
    pub project: Option<Slug>,
}

impl Service {
    /// Whether the service is critical or reachable from outside: the ones policy looks at
    /// first.
    pub fn is_critical_or_exposed(&self) -> bool {
        self.criticality == Criticality::Critical || self.exposure == Exposure::External
    }

    /// Every rule the service breaks; empty when valid.
    pub fn problems(&self) -> Vec<ValidationError> {
        [
            require_text("name", &self.name, 200),
            self.owner.check("owner"),
            optional_text("description", &self.description, 10_000),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect()
    }
}

string_newtype!(
    /// A package URL identifying a component (`pkg:cargo/serde@1.0.210`,
    /// `pkg:maven/org.apache.commons/commons-lang3@3.14.0`), per the purl specification.
    ///
    /// Checked for shape: the `pkg:` scheme, a type, and a name.
    #[derive(PartialOrd, Ord)]
    PackageUrl
);

const PURL_EXPECTED: &str = "a package URL like \"pkg:cargo/serde@1.0.210\"";

impl PackageUrl {
    /// Accepts `pkg:type/[namespace/]name[@version][?qualifiers][#subpath]`.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: &str| {
            Err(ValidationError::malformed(
                "purl",
                text,
                problem,
                PURL_EXPECTED,
            ))
        };
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "purl".into(),
                expected: PURL_EXPECTED,
            });
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains whitespace (spaces must be written %20)");
        }
        let Some(rest) = text.strip_prefix("pkg:") else {
            return bad("it does not start with \"pkg:\"");
        };
        let rest = rest.trim_start_matches('/');
        let Some((kind, path)) = rest.split_once('/') else {
            return bad("it has no '/' after the type");
        };
        let kind_ok = kind.starts_with(|c: char| c.is_ascii_alphabetic())
            && kind
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
        if !kind_ok {
            return bad(
                "the type must be ASCII letters, digits, '.', '+' or '-', starting with a letter",
            );
        }
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let name = path.rsplit('/').next().unwrap_or_default();
        if name.split('@').next().unwrap_or_default().is_empty() {
            return bad("the name is empty");
        }
        Ok(Self(text.to_owned()))
    }

    /// The package type, lowercased: the ecosystem (`cargo`, `npm`, `pypi`, `maven`).
    pub fn ecosystem(&self) -> String {
        self.0[4..]
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// The URL without version, qualifiers and subpath: the package across versions.
    pub fn package(&self) -> &str {
        let end = self.0.find(['?', '#']).unwrap_or(self.0.len());
        let base = &self.0[..end];
        match base.rfind('@') {
            Some(at) if at > base.rfind('/').unwrap_or(0) => &base[..at],
            _ => base,
        }
    }

    /// The version, if the URL has one.
    pub fn version(&self) -> Option<&str> {
        let package = self.package().len();
        let end = self.0.find(['?', '#']).unwrap_or(self.0.len());
        (end > package).then(|| &self.0[package + 1..end])
    }
}

named_enum! {
    /// How a raw licence string from an SBOM or registry was turned into an SPDX expression.
    pub enum Normalisation("normalisation") {
        /// It was already a valid SPDX expression.
        Spdx => "spdx",
        /// A licence name or common alias (`Apache License, Version 2.0`).
        Name => "name",
        /// A URL of a licence text.
        Url => "url",
        /// A whole licence text, matched against the licence list.
        Text => "text",
        /// The source said nothing (`NOASSERTION`, empty).
        NoAssertion => "no-assertion",
        /// Something was there but could not be matched; needs review.
        Unmatched => "unmatched",
    }
}

/// A component's licence as found and as normalised; the raw string is always kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ComponentLicence {
    /// The string as it appeared in the source (possibly a whole licence text).
    pub raw: String,
    /// The SPDX expression it was normalised to, if any.
    #[serde(default)]
    pub expression: Option<LicenceExpression>,
    /// How the expression was found.
    pub normalisation: Normalisation,
    /// How sure the normaliser is, in percent (100 for a valid SPDX expression).
    pub confidence: u8,
}

impl ComponentLicence {
    fn check(&self, field: &str, problems: &mut Vec<ValidationError>) {
        if self.confidence > 100 {
            problems.push(ValidationError::OutOfRange {
                field: format!("{field}.confidence"),
                value: i64::from(self.confidence),
                min: 0,
                max: 100,
            });
        }
        let unresolved = matches!(
            self.normalisation,
            Normalisation::NoAssertion | Normalisation::Unmatched
        );
        if unresolved == self.expression.is_some() {
            problems.push(ValidationError::Inconsistent {
                field: format!("{field}.expression"),
                problem: format!(
                    "normalisation {} {}",
                    self.normalisation,
                    if unresolved {
                        "means no expression was found; remove it"
                    } else {
                        "needs the expression it found"
                    }
                ),
            });
        }
    }
}

/// A piece of open source (a package, a library, a container layer) used by services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Component {
    /// Its package URL, when the source gives one.
    #[serde(default)]
    pub purl: Option<PackageUrl>,
    /// The package name.
    pub name: String,
    /// The version as the ecosystem writes it.
    #[serde(default)]
    pub version: Option<String>,
    /// The ecosystem (`cargo`, `npm`, `pypi`, `maven`, `golang`, `conda`), as a purl type.
    #[serde(default)]
    pub ecosystem: Option<String>,
    /// The licence the package declares.
    #[serde(default)]
    pub declared_licence: Option<ComponentLicence>,
    /// The licence someone concluded after looking (SPDX `licenseConcluded`).
    #[serde(default)]
    pub concluded_licence: Option<ComponentLicence>,
    /// Who supplies it (an organisation or person).
    #[serde(default)]
    pub supplier: Option<String>,
}

impl Component {
    /// The package across versions: the purl without version, else `ecosystem/name`.
    pub fn package_key(&self) -> String {
        match &self.purl {
            Some(purl) => purl.package().to_owned(),
            None => format!(
                "{}/{}",
                self.ecosystem.as_deref().unwrap_or("unknown"),
                self.name
            ),
        }
    }

    /// The licence to reason with: the concluded one if it resolved, else the declared one.
    pub fn licence(&self) -> Option<&LicenceExpression> {
        let concluded = self
            .concluded_licence
            .as_ref()
            .and_then(|l| l.expression.as_ref());
        concluded.or_else(|| self.declared_licence.as_ref()?.expression.as_ref())
    }

    fn check(&self, field: &str, problems: &mut Vec<ValidationError>) {
        if let Err(e) = require_text(&format!("{field}.name"), &self.name, 500) {
            problems.push(e);
        }
        if let Some(ecosystem) = &self.ecosystem
            && (ecosystem.is_empty() || ecosystem.to_ascii_lowercase() != *ecosystem)
        {
            problems.push(ValidationError::malformed(
                &format!("{field}.ecosystem"),
                ecosystem,
                "it is empty or not lowercase",
                "a lowercase purl type such as \"cargo\" or \"pypi\"",
            ));
        }
        if let Some(l) = &self.declared_licence {
            l.check(&format!("{field}.declared_licence"), problems);
        }
        if let Some(l) = &self.concluded_licence {
            l.check(&format!("{field}.concluded_licence"), problems);
        }
    }
}

named_enum! {
    /// Whether a service uses a component itself or through another component.
    pub enum Relation("relation") {
        /// Listed by the service itself.
        Direct => "direct",
        /// Pulled in by a dependency.
        Transitive => "transitive",
    }
}

named_enum! {
    /// When a component is needed.
    #[derive(Default)]
    pub enum Scope("scope") {
        /// Shipped and run in production.
        Runtime => "runtime",
        /// Only to build.
        Build => "build",
        /// Only for development.
        Development => "development",
        /// Only for tests.
        Test => "test",
        /// Optional at run time.
        Optional => "optional",
        /// The source does not say.
        #[default]
        Unspecified => "unspecified",
    }
}

/// One edge of the inventory: the snapshot's service uses `component`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Usage {
    /// The component used.
    pub component: Component,
    /// Direct or transitive.
    pub relation: Relation,
    /// When it is needed.
    #[serde(default)]
    pub scope: Scope,
}

/// What one service used on one day, from one ingested file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Snapshot {
    /// The service.
    pub service: Slug,
    /// The day the inventory was taken.
    pub date: IsoDate,
    /// The file it was read from (`sbom.cdx.json`, `Cargo.lock`).
    pub source: String,
    /// The components used.
    #[serde(default)]
    pub usages: Vec<Usage>,
    /// Problems the parser tolerated, each with its location.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl Snapshot {
    /// The components the service lists itself.
    pub fn direct(&self) -> impl Iterator<Item = &Component> {
        self.usages
            .iter()
            .filter(|u| u.relation == Relation::Direct)
            .map(|u| &u.component)
    }

    /// Every rule the snapshot breaks; empty when valid.
    pub fn problems(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        if let Err(e) = require_text("source", &self.source, 500) {
            problems.push(e);
        }
        for (i, usage) in self.usages.iter().enumerate() {
            usage
                .component
                .check(&format!("usages[{i}].component"), &mut problems);
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purl(text: &str) -> PackageUrl {
        PackageUrl::parse(text).unwrap()
    }

    fn component(p: &str) -> Component {
        let purl = purl(p);
        Component {
            name: purl.package().rsplit('/').next().unwrap().to_owned(),
            version: purl.version().map(str::to_owned),
            ecosystem: Some(purl.ecosystem()),
            purl: Some(purl),
            declared_licence: None,
            concluded_licence: None,
            supplier: None,
        }
    }

    fn snapshot(date: &str, purls: &[&str]) -> Snapshot {
        Snapshot {
            service: Slug::parse("indico").unwrap(),
            date: IsoDate::parse(date).unwrap(),
            source: "requirements.txt".into(),
            usages: purls
                .iter()
                .map(|p| Usage {
                    component: component(p),
                    relation: Relation::Direct,
                    scope: Scope::Runtime,
                })
                .collect(),
            warnings: vec![],
        }
    }

    #[test]
    fn package_urls_are_checked_and_taken_apart() {
        let p = purl("pkg:maven/org.apache.commons/commons-lang3@3.14.0?type=jar");
        assert_eq!(p.ecosystem(), "maven");
        assert_eq!(p.package(), "pkg:maven/org.apache.commons/commons-lang3");
        assert_eq!(p.version(), Some("3.14.0"));
        let scoped = purl("pkg:npm/%40angular/core@17.0.0");
        assert_eq!(scoped.version(), Some("17.0.0"));
        assert_eq!(purl("pkg:cargo/serde").version(), None);
        let cases = [
            ("cargo/serde", "does not start with \"pkg:\""),
            ("pkg:serde", "no '/' after the type"),
            ("pkg:1x/serde", "the type must be"),
            ("pkg:cargo/@1.0", "the name is empty"),
            ("pkg:cargo/my crate", "whitespace"),
        ];
        for (input, problem) in cases {
            let e = PackageUrl::parse(input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
        }
    }

    #[test]
    fn concluded_licence_wins_when_it_resolved() {
        let mut c = component("pkg:pypi/requests@2.32.3");
        c.declared_licence = Some(ComponentLicence {
            raw: "Apache 2.0".into(),
            expression: Some(LicenceExpression::parse("Apache-2.0").unwrap()),
            normalisation: Normalisation::Name,
            confidence: 95,
        });
        c.concluded_licence = Some(ComponentLicence {
            raw: "NOASSERTION".into(),
            expression: None,
            normalisation: Normalisation::NoAssertion,
            confidence: 0,
        });
        assert_eq!(c.licence().unwrap(), "Apache-2.0");
        let mut s = snapshot("2026-01-10", &["pkg:pypi/flask@3.1.0"]);
        s.usages.insert(
            0,
            Usage {
                component: c.clone(),
                relation: Relation::Transitive,
                scope: Scope::default(),
            },
        );
        assert!(s.problems().is_empty());
        let direct: Vec<&str> = s.direct().map(|c| c.name.as_str()).collect();
        assert_eq!(direct, ["flask"], "requests comes in transitively");

        c.concluded_licence.as_mut().unwrap().normalisation = Normalisation::Text;
        s.usages[0].component = c;
        let problems = s.problems();
        assert_eq!(
            problems[0].field(),
            "usages[0].component.concluded_licence.expression"
        );
        assert!(
            problems[0]
                .to_string()
                .contains("needs the expression it found"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn services_serialise_with_kebab_case_values() {
        let service = Service {
            slug: Slug::parse("indico").unwrap(),
            name: "Indico".into(),
            owner: Unit::parse("IT-CDA").unwrap(),
            criticality: Criticality::Critical,
            exposure: Exposure::External,
            description: "Event management".into(),
            links: vec![Url::parse("https://indico.cern.ch").unwrap()],
            project: Some(Slug::parse("indico").unwrap()),
        };
        assert!(service.is_critical_or_exposed());
        assert!(service.problems().is_empty());
        let json = serde_json::to_value(&service).unwrap();
        assert_eq!(json["criticality"], "critical");
        assert_eq!(json["exposure"], "external");
        assert_eq!(json["owner"]["group"], "CDA");
        assert_eq!(serde_json::from_value::<Service>(json).unwrap(), service);
        let e = serde_json::from_str::<Criticality>("\"urgent\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("urgent") && e.contains("critical"), "{e}");
    }
}
