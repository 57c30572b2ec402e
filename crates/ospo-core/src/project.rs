//! Catalogue projects: the lab's open-source software and hardware, with where each field came
//! from, so a re-sync from a manifest never silently overwrites the OSPO's curation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::access::{Actor, Role};
use crate::address::{EmailAddress, Url};
use crate::audit::{FieldChange, ToValue, Value};
use crate::date::{IsoDate, Timestamp};
use crate::error::{ValidationError, check_labels, optional_text, require_text};
use crate::identifier::Identifier;
use crate::slug::Slug;

named_enum! {
    /// Whether a project is software, hardware or both (a board with its gateware and driver).
    pub enum ProjectKind("kind") {
        /// Programs, libraries, services.
        Software => "software",
        /// Designs of physical devices: schematics, layouts, gateware.
        Hardware => "hardware",
        /// Hardware shipped with its own software.
        Both => "both",
    }
}

impl ProjectKind {
    /// Whether the project includes hardware: its disclosures go to Knowledge Transfer and a
    /// technology readiness level applies.
    pub fn includes_hardware(self) -> bool {
        matches!(self, Self::Hardware | Self::Both)
    }
}

named_enum! {
    /// How mature a project is; the values of publiccode.yml's `developmentStatus`.
    pub enum DevelopmentStatus("status") {
        /// An idea or a design, nothing usable yet.
        Concept => "concept",
        /// Being built; expect changes.
        Development => "development",
        /// Usable, still being tested.
        Beta => "beta",
        /// Used in production.
        Stable => "stable",
        /// No longer maintained.
        Obsolete => "obsolete",
    }
}

string_newtype!(
    /// A licence expression as written by the project (`GPL-2.0-or-later OR MIT`,
    /// `CERN-OHL-W-2.0`).
    ///
    /// Here only non-empty and trimmed: the SPDX syntax and the licence identifiers are
    /// checked by the licence engine (`ospo-licence`), which also normalises them.
    #[derive(PartialOrd, Ord)]
    LicenceExpression
);

impl LicenceExpression {
    /// Accepts non-empty, trimmed text of at most 1,000 characters.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        if text.trim().is_empty() {
            return Err(ValidationError::Empty {
                field: "licence".into(),
                expected: "an SPDX licence expression, e.g. \"Apache-2.0\"",
            });
        }
        optional_text("licence", text, 1000)?;
        Ok(Self(text.to_owned()))
    }
}

/// A technology readiness level from 1 (basic principles observed) to 9 (proven in operation),
/// on the scale of ISO 16290:2013 as used by the EU's Horizon programmes and by OHWR's
/// `TRL1`…`TRL9` tags. Applies to hardware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct ReadinessLevel(u8);

impl ReadinessLevel {
    /// Accepts a level from 1 to 9.
    pub fn new(level: u8) -> Result<Self, ValidationError> {
        if (1..=9).contains(&level) {
            Ok(Self(level))
        } else {
            Err(ValidationError::OutOfRange {
                field: FieldName::ReadinessLevel.as_str().into(),
                value: i64::from(level),
                min: 1,
                max: 9,
            })
        }
    }

    /// The level, 1 to 9.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for ReadinessLevel {
    type Error = ValidationError;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level)
    }
}

impl From<ReadinessLevel> for u8 {
    fn from(level: ReadinessLevel) -> u8 {
        level.0
    }
}

impl std::fmt::Display for ReadinessLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TRL {}", self.0)
    }
}

impl ToValue for ReadinessLevel {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(self.0))
    }
}

/// An organisational unit of the lab: a department and, optionally, a group (`EP-SFT`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Unit {
    /// The department's code, e.g. `EP` or `IT`.
    pub department: String,
    /// The group's code within the department, e.g. `SFT`.
    #[serde(default)]
    pub group: Option<String>,
}

impl Unit {
    /// Reads a unit written `DEPT` or `DEPT-GROUP` (`IT-CD`); a section after a second `-`
    /// (`EP-SFT-ROOT`) is dropped.
    pub fn parse(code: &str) -> Result<Self, ValidationError> {
        let mut parts = code.split('-').map(str::trim);
        let department = parts.next().unwrap_or_default().to_owned();
        let group = parts.next().filter(|g| !g.is_empty()).map(str::to_owned);
        let unit = Self { department, group };
        unit.check("unit")?;
        Ok(unit)
    }

    pub(crate) fn check(&self, field: &str) -> Result<(), ValidationError> {
        require_text(&format!("{field}.department"), &self.department, 50)?;
        if let Some(group) = &self.group {
            require_text(&format!("{field}.group"), group, 50)?;
        }
        // A unit is written `DEPT-GROUP`: a '-' inside a part would be read back as another
        // unit.
        for (part, value) in [
            ("department", Some(&self.department)),
            ("group", self.group.as_ref()),
        ] {
            if let Some(value) = value
                && value.contains('-')
            {
                return Err(ValidationError::Malformed {
                    field: format!("{field}.{part}"),
                    value: value.clone(),
                    problem: "it contains '-', which separates the department from the group"
                        .to_owned(),
                    expected: "a department code like \"EP\" and a group code like \"SFT\"",
                });
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.group {
            Some(group) => write!(f, "{}-{group}", self.department),
            None => f.write_str(&self.department),
        }
    }
}

impl ToValue for Unit {
    fn to_value(&self) -> Value {
        Value::record([
            ("department", self.department.to_value()),
            ("group", self.group.to_value()),
        ])
    }
}

named_enum! {
    /// The part a person plays in a project, as shown to visitors of the catalogue.
    pub enum ProjectRole("role") {
        /// Keeps the project and its catalogue entry; may edit it (see [`crate::access`]).
        Maintainer => "maintainer",
        /// Knows the project well and can advise partners.
        Expert => "expert",
        /// The person to write to first.
        Contact => "contact",
    }
}

/// Someone visitors can turn to about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Person {
    /// The person's name as they want it shown.
    pub name: String,
    /// Where to write to them.
    #[serde(default)]
    pub email: Option<EmailAddress>,
    /// The lab, a collaboration or an outside institute.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// Subjects they can advise on (`FPGA`, `timing`, `statistics`).
    #[serde(default)]
    pub expertise: Vec<String>,
    /// Their parts in the project; at least one.
    pub roles: Vec<ProjectRole>,
}

impl Person {
    /// Whether the person has `role` in the project.
    pub fn has_role(&self, role: ProjectRole) -> bool {
        self.roles.contains(&role)
    }

    fn check(&self, field: &str, problems: &mut Vec<ValidationError>) {
        push_err(
            problems,
            require_text(&format!("{field}.name"), &self.name, 200),
        );
        if let Some(affiliation) = &self.affiliation {
            push_err(
                problems,
                require_text(&format!("{field}.affiliation"), affiliation, 200),
            );
        }
        check_labels(&format!("{field}.expertise"), &self.expertise, problems);
        if self.roles.is_empty() {
            problems.push(ValidationError::Empty {
                field: format!("{field}.roles"),
                expected: "at least one of maintainer, expert, contact",
            });
        }
    }
}

impl ToValue for Person {
    fn to_value(&self) -> Value {
        Value::record([
            ("name", self.name.to_value()),
            ("email", self.email.to_value()),
            ("affiliation", self.affiliation.to_value()),
            ("expertise", self.expertise.to_value()),
            ("roles", self.roles.to_value()),
        ])
    }
}

/// A use of the project outside high-energy physics, for partners and industry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UseCase {
    /// The application domain (`medical imaging`, `telecommunications`, `finance`).
    pub domain: String,
    /// What the project does there, in a few sentences.
    pub text: String,
}

impl UseCase {
    pub(crate) fn check(&self, field: &str, problems: &mut Vec<ValidationError>) {
        push_err(
            problems,
            require_text(&format!("{field}.domain"), &self.domain, 100),
        );
        push_err(
            problems,
            require_text(&format!("{field}.text"), &self.text, 5000),
        );
    }
}

impl ToValue for UseCase {
    fn to_value(&self) -> Value {
        Value::record([
            ("domain", self.domain.to_value()),
            ("text", self.text.to_value()),
        ])
    }
}

/// Who paid for (part of) the work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Funding {
    /// The funding body (`European Commission`, `the lab`).
    pub funder: String,
    /// The programme, e.g. `Horizon Europe`.
    #[serde(default)]
    pub programme: Option<String>,
    /// The grant agreement number.
    #[serde(default)]
    pub grant: Option<String>,
}

impl Funding {
    pub(crate) fn check(&self, field: &str, problems: &mut Vec<ValidationError>) {
        push_err(
            problems,
            require_text(&format!("{field}.funder"), &self.funder, 200),
        );
        if let Some(programme) = &self.programme {
            push_err(
                problems,
                require_text(&format!("{field}.programme"), programme, 200),
            );
        }
        if let Some(grant) = &self.grant {
            push_err(
                problems,
                require_text(&format!("{field}.grant"), grant, 100),
            );
        }
    }
}

impl ToValue for Funding {
    fn to_value(&self) -> Value {
        Value::record([
            ("funder", self.funder.to_value()),
            ("programme", self.programme.to_value()),
            ("grant", self.grant.to_value()),
        ])
    }
}

/// A published version of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Release {
    /// The version as the project writes it (`6.32.02`, `v8.0.1`).
    pub version: String,
    /// The release day, if known.
    #[serde(default)]
    pub date: Option<IsoDate>,
    /// Where to get it or read its notes.
    #[serde(default)]
    pub url: Option<Url>,
}

impl ToValue for Release {
    fn to_value(&self) -> Value {
        Value::record([
            ("version", self.version.to_value()),
            ("date", self.date.to_value()),
            ("url", self.url.to_value()),
        ])
    }
}

/// Where a field's current value came from. Decides whether a later sync may replace it.
///
/// Serialised as `{"origin": "import", "source": "code.json"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "origin", rename_all = "kebab-case")]
pub enum Provenance {
    /// The maintainers' manifest in their repository (`.ohwr.yaml`, `publiccode.yml`, ...).
    Manifest,
    /// Edited by a maintainer in the catalogue; ranks with the manifest, since both are the
    /// maintainers' own word.
    Maintainer,
    /// Set by the OSPO; no sync or import replaces it.
    Curation,
    /// Read from an outside source such as a registry or an agency's code.json.
    Import {
        /// The source's name (`ohwr-registry`, `code.json`).
        source: String,
    },
}

impl Provenance {
    /// The provenance of an edit made by `actor`: curation for OSPO members, otherwise a
    /// maintainer's edit.
    pub fn for_actor(actor: &Actor) -> Self {
        if actor.has_role(Role::OspoMember) {
            Self::Curation
        } else {
            Self::Maintainer
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Self::Import { .. } => 0,
            Self::Manifest | Self::Maintainer => 1,
            Self::Curation => 2,
        }
    }

    /// Whether a value from `self` may replace one that came from `existing`: curation beats
    /// the maintainers' word, which beats imports; an equal rank replaces (the newer wins).
    pub fn may_replace(&self, existing: Option<&Provenance>) -> bool {
        existing.is_none_or(|existing| self.rank() >= existing.rank())
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Manifest => f.write_str("manifest"),
            Self::Maintainer => f.write_str("maintainer"),
            Self::Curation => f.write_str("curation"),
            Self::Import { source } => write!(f, "import from {source}"),
        }
    }
}

named_enum! {
    /// The editable fields of a [`Project`], named as in its JSON.
    pub enum FieldName("field") {
        /// [`Project::name`].
        Name => "name",
        /// [`Project::kind`].
        Kind => "kind",
        /// [`Project::summary`].
        Summary => "summary",
        /// [`Project::description`].
        Description => "description",
        /// [`Project::homepage`].
        Homepage => "homepage",
        /// [`Project::repository`].
        Repository => "repository",
        /// [`Project::documentation`].
        Documentation => "documentation",
        /// [`Project::issue_tracker`].
        IssueTracker => "issue_tracker",
        /// [`Project::licence`].
        Licence => "licence",
        /// [`Project::languages`].
        Languages => "languages",
        /// [`Project::topics`].
        Topics => "topics",
        /// [`Project::unit`].
        Unit => "unit",
        /// [`Project::people`].
        People => "people",
        /// [`Project::status`].
        Status => "status",
        /// [`Project::readiness_level`].
        ReadinessLevel => "readiness_level",
        /// [`Project::compatible_with`].
        CompatibleWith => "compatible_with",
        /// [`Project::use_cases`].
        UseCases => "use_cases",
        /// [`Project::funding`].
        Funding => "funding",
        /// [`Project::identifiers`].
        Identifiers => "identifiers",
        /// [`Project::releases`].
        Releases => "releases",
    }
}

/// A project in the catalogue.
///
/// Construct with [`Project::new`] and fill in fields; check with [`Project::problems`] before
/// storing. `version` implements optimistic concurrency: the catalogue refuses an update that
/// carries an older version than the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Project {
    /// The project's identifier in URLs and links; not editable.
    pub slug: Slug,
    /// The display name.
    pub name: String,
    /// Software, hardware or both.
    pub kind: ProjectKind,
    /// One or two sentences for result lists.
    #[serde(default)]
    pub summary: String,
    /// The long description, in Markdown.
    #[serde(default)]
    pub description: String,
    /// The project's website.
    #[serde(default)]
    pub homepage: Option<Url>,
    /// Where the source or design files live.
    #[serde(default)]
    pub repository: Option<Url>,
    /// The documentation.
    #[serde(default)]
    pub documentation: Option<Url>,
    /// Where to report problems.
    #[serde(default)]
    pub issue_tracker: Option<Url>,
    /// The outbound licence(s), as an expression; `None` when not yet known.
    #[serde(default)]
    pub licence: Option<LicenceExpression>,
    /// Programming and hardware description languages (`C++`, `Python`, `VHDL`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Free topics and tags (`White Rabbit`, `data analysis`).
    #[serde(default)]
    pub topics: Vec<String>,
    /// The unit responsible for the project.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// Maintainers, experts and contacts.
    #[serde(default)]
    pub people: Vec<Person>,
    /// How mature the project is.
    #[serde(default)]
    pub status: Option<DevelopmentStatus>,
    /// For hardware: the technology readiness level.
    #[serde(default)]
    pub readiness_level: Option<ReadinessLevel>,
    /// Slugs of projects this one works with (a mezzanine card and its carriers).
    #[serde(default)]
    pub compatible_with: Vec<Slug>,
    /// Uses outside high-energy physics.
    #[serde(default)]
    pub use_cases: Vec<UseCase>,
    /// Who funded the work.
    #[serde(default)]
    pub funding: Vec<Funding>,
    /// DOIs and SWHIDs.
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
    /// Published versions, newest first by convention.
    #[serde(default)]
    pub releases: Vec<Release>,
    /// When the entry was created.
    pub created_at: Timestamp,
    /// When the entry was last changed.
    pub updated_at: Timestamp,
    /// Incremented by the catalogue on every stored change; 0 before the first store.
    #[serde(default)]
    pub version: u64,
    /// Where each field's value came from; a field absent here has no recorded origin.
    #[serde(default)]
    pub provenance: BTreeMap<FieldName, Provenance>,
}

/// What [`Project::sync_from`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncOutcome {
    /// Fields that took the incoming value, for the audit log.
    pub changes: Vec<FieldChange>,
    /// Fields where the incoming value differed but a higher-ranked value was kept (usually
    /// the OSPO's curation), for the sync report.
    pub kept: Vec<FieldName>,
}

impl Project {
    /// A new project with only its identity set, created at `at`.
    pub fn new(slug: Slug, name: impl Into<String>, kind: ProjectKind, at: Timestamp) -> Self {
        Self {
            slug,
            name: name.into(),
            kind,
            summary: String::new(),
            description: String::new(),
            homepage: None,
            repository: None,
            documentation: None,
            issue_tracker: None,
            licence: None,
            languages: Vec::new(),
            topics: Vec::new(),
            unit: None,
            people: Vec::new(),
            status: None,
            readiness_level: None,
            compatible_with: Vec::new(),
            use_cases: Vec::new(),
            funding: Vec::new(),
            identifiers: Vec::new(),
            releases: Vec::new(),
            created_at: at.clone(),
            updated_at: at,
            version: 0,
            provenance: BTreeMap::new(),
        }
    }

    /// The people with the maintainer role.
    pub fn maintainers(&self) -> impl Iterator<Item = &Person> {
        self.people
            .iter()
            .filter(|p| p.has_role(ProjectRole::Maintainer))
    }

    /// Every rule the project breaks, each naming its field; empty when the project is valid.
    ///
    /// Validated strings (slug, URLs, dates, identifiers) are already valid by construction;
    /// this checks free text, lists and the rules between fields.
    pub fn problems(&self) -> Vec<ValidationError> {
        let mut problems = Vec::new();
        let p = &mut problems;
        push_err(p, require_text("name", &self.name, 200));
        push_err(p, optional_text("summary", &self.summary, 500));
        push_err(p, optional_text("description", &self.description, 100_000));
        check_labels("languages", &self.languages, p);
        check_labels("topics", &self.topics, p);
        if let Some(unit) = &self.unit {
            push_err(p, unit.check("unit"));
        }
        for (i, person) in self.people.iter().enumerate() {
            person.check(&format!("people[{i}]"), p);
        }
        if self.readiness_level.is_some() && !self.kind.includes_hardware() {
            p.push(ValidationError::Inconsistent {
                field: "readiness_level".into(),
                problem: "a technology readiness level applies to hardware; set kind to \
                          \"hardware\" or \"both\", or remove the level"
                    .into(),
            });
        }
        let mut linked = BTreeSet::new();
        for other in &self.compatible_with {
            if *other == self.slug {
                p.push(ValidationError::Inconsistent {
                    field: "compatible_with".into(),
                    problem: format!(
                        "project {:?} lists itself; list other projects only",
                        other.as_str()
                    ),
                });
            } else if !linked.insert(other) {
                p.push(duplicate("compatible_with", other.as_str()));
            }
        }
        for (i, use_case) in self.use_cases.iter().enumerate() {
            use_case.check(&format!("use_cases[{i}]"), p);
        }
        for (i, funding) in self.funding.iter().enumerate() {
            funding.check(&format!("funding[{i}]"), p);
        }
        let mut ids = BTreeSet::new();
        for id in &self.identifiers {
            if !ids.insert(id) {
                p.push(duplicate("identifiers", &id.to_string()));
            }
        }
        let mut versions = BTreeSet::new();
        for (i, release) in self.releases.iter().enumerate() {
            if let Err(e) = require_text(&format!("releases[{i}].version"), &release.version, 100) {
                p.push(e);
            } else if !versions.insert(release.version.as_str()) {
                p.push(duplicate("releases", &release.version));
            }
        }
        if self.updated_at.unix_seconds() < self.created_at.unix_seconds() {
            p.push(ValidationError::Inconsistent {
                field: "updated_at".into(),
                problem: format!(
                    "{} is before created_at {}; expected a later or equal time",
                    self.updated_at, self.created_at
                ),
            });
        }
        problems
    }

    /// `Ok` if the project is valid, else the first of its [`problems`](Self::problems).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.problems().into_iter().next().map_or(Ok(()), Err)
    }

    /// The value of `field`, as the audit log records it.
    pub fn field_value(&self, field: FieldName) -> Value {
        match field {
            FieldName::Name => self.name.to_value(),
            FieldName::Kind => self.kind.to_value(),
            FieldName::Summary => self.summary.to_value(),
            FieldName::Description => self.description.to_value(),
            FieldName::Homepage => self.homepage.to_value(),
            FieldName::Repository => self.repository.to_value(),
            FieldName::Documentation => self.documentation.to_value(),
            FieldName::IssueTracker => self.issue_tracker.to_value(),
            FieldName::Licence => self.licence.to_value(),
            FieldName::Languages => self.languages.to_value(),
            FieldName::Topics => self.topics.to_value(),
            FieldName::Unit => self.unit.to_value(),
            FieldName::People => self.people.to_value(),
            FieldName::Status => self.status.to_value(),
            FieldName::ReadinessLevel => self.readiness_level.to_value(),
            FieldName::CompatibleWith => self.compatible_with.to_value(),
            FieldName::UseCases => self.use_cases.to_value(),
            FieldName::Funding => self.funding.to_value(),
            FieldName::Identifiers => self.identifiers.to_value(),
            FieldName::Releases => self.releases.to_value(),
        }
    }

    /// The editable fields that differ between `self` (old) and `newer`, with both values.
    pub fn diff(&self, newer: &Project) -> Vec<FieldChange> {
        FieldName::ALL
            .iter()
            .filter_map(|&field| {
                let (old, new) = (self.field_value(field), newer.field_value(field));
                (old != new).then(|| FieldChange::new(field.as_str(), old, new))
            })
            .collect()
    }

    /// Marks every field that differs from `before` as coming from `origin`; call after a
    /// hand edit (with [`Provenance::for_actor`]) so later syncs respect it.
    pub fn record_edit(&mut self, before: &Project, origin: &Provenance) {
        for &field in FieldName::ALL {
            if self.field_value(field) != before.field_value(field) {
                self.provenance.insert(field, origin.clone());
            }
        }
    }

    /// Takes the fields of `incoming` (a parsed manifest or import) that it has values for,
    /// except where the current value has a higher-ranked provenance
    /// ([`Provenance::may_replace`]). Empty incoming values never erase anything.
    ///
    /// Does not touch `version` or `updated_at`: the catalogue sets those when it stores the
    /// result.
    pub fn sync_from(&mut self, incoming: &Project, origin: &Provenance) -> SyncOutcome {
        let mut outcome = SyncOutcome::default();
        for &field in FieldName::ALL {
            let new = incoming.field_value(field);
            if new.is_empty() {
                continue;
            }
            let old = self.field_value(field);
            if !origin.may_replace(self.provenance.get(&field)) {
                if old != new {
                    outcome.kept.push(field);
                }
                continue;
            }
            self.provenance.insert(field, origin.clone());
            if old != new {
                self.copy_field(incoming, field);
                outcome
                    .changes
                    .push(FieldChange::new(field.as_str(), old, new));
            }
        }
        outcome
    }

    fn copy_field(&mut self, from: &Project, field: FieldName) {
        match field {
            FieldName::Name => self.name.clone_from(&from.name),
            FieldName::Kind => self.kind = from.kind,
            FieldName::Summary => self.summary.clone_from(&from.summary),
            FieldName::Description => self.description.clone_from(&from.description),
            FieldName::Homepage => self.homepage.clone_from(&from.homepage),
            FieldName::Repository => self.repository.clone_from(&from.repository),
            FieldName::Documentation => self.documentation.clone_from(&from.documentation),
            FieldName::IssueTracker => self.issue_tracker.clone_from(&from.issue_tracker),
            FieldName::Licence => self.licence.clone_from(&from.licence),
            FieldName::Languages => self.languages.clone_from(&from.languages),
            FieldName::Topics => self.topics.clone_from(&from.topics),
            FieldName::Unit => self.unit.clone_from(&from.unit),
            FieldName::People => self.people.clone_from(&from.people),
            FieldName::Status => self.status = from.status,
            FieldName::ReadinessLevel => self.readiness_level = from.readiness_level,
            FieldName::CompatibleWith => self.compatible_with.clone_from(&from.compatible_with),
            FieldName::UseCases => self.use_cases.clone_from(&from.use_cases),
            FieldName::Funding => self.funding.clone_from(&from.funding),
            FieldName::Identifiers => self.identifiers.clone_from(&from.identifiers),
            FieldName::Releases => self.releases.clone_from(&from.releases),
        }
    }
}

fn push_err(problems: &mut Vec<ValidationError>, result: Result<(), ValidationError>) {
    if let Err(e) = result {
        problems.push(e);
    }
}

fn duplicate(field: &str, value: &str) -> ValidationError {
    ValidationError::Duplicate {
        field: field.to_owned(),
        value: value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifier::{Doi, Swhid};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn url(text: &str) -> Option<Url> {
        Some(Url::parse(text).unwrap())
    }

    /// A project with every field set.
    fn fmc_tdc() -> Project {
        let mut p = Project::new(
            Slug::parse("fmc-tdc").unwrap(),
            "FMC TDC 1ns 5cha",
            ProjectKind::Both,
            at("2023-05-01T09:00:00Z"),
        );
        p.summary = "Five-channel time-to-digital converter mezzanine.".into();
        p.description = "The **FMC TDC** measures time differences to ±700 ps.".into();
        p.homepage = url("https://ohwr.org/project/fmc-tdc");
        p.repository = url("https://gitlab.com/ohwr/project/fmc-tdc.git");
        p.documentation = url("https://ohwr.org/project/fmc-tdc/wikis");
        p.issue_tracker = url("https://ohwr.org/project/fmc-tdc/issues");
        p.licence = Some(LicenceExpression::parse("CERN-OHL-W-2.0 AND GPL-2.0-or-later").unwrap());
        p.languages = vec!["VHDL".into(), "C".into()];
        p.topics = vec!["TDC".into(), "FMC Module".into()];
        p.unit = Some(Unit::parse("SY-BI").unwrap());
        p.people = vec![Person {
            name: "Maintainer 1".into(),
            email: Some(EmailAddress::parse("maintainer-1@cern.ch").unwrap()),
            affiliation: Some("CERN".into()),
            expertise: vec!["FPGA".into(), "timing".into()],
            roles: vec![ProjectRole::Maintainer, ProjectRole::Contact],
        }];
        p.status = Some(DevelopmentStatus::Stable);
        p.readiness_level = Some(ReadinessLevel::new(9).unwrap());
        p.compatible_with = vec![Slug::parse("spec").unwrap(), Slug::parse("svec").unwrap()];
        p.use_cases = vec![UseCase {
            domain: "laser ranging".into(),
            text: "Time-of-flight measurement with sub-nanosecond precision.".into(),
        }];
        p.funding = vec![Funding {
            funder: "European Commission".into(),
            programme: Some("Horizon 2020".into()),
            grant: Some("101004761".into()),
        }];
        p.identifiers = vec![
            Identifier::Doi(Doi::parse("10.5281/zenodo.1234567").unwrap()),
            Identifier::Swhid(
                Swhid::parse("swh:1:dir:d198bc9d7a6bcf6db04f476d29314f157507d505").unwrap(),
            ),
        ];
        p.releases = vec![Release {
            version: "v8.0.1".into(),
            date: Some(IsoDate::parse("2022-07-12").unwrap()),
            url: url("https://ohwr.org/project/fmc-tdc/tags/v8.0.1"),
        }];
        p.updated_at = at("2026-03-31T14:05:00+02:00");
        p.version = 7;
        p.provenance
            .insert(FieldName::Licence, Provenance::Curation);
        p.provenance.insert(
            FieldName::Topics,
            Provenance::Import {
                source: "ohwr-registry".into(),
            },
        );
        p
    }

    #[test]
    fn full_project_round_trips_through_json() {
        let project = fmc_tdc();
        assert_eq!(project.problems(), vec![]);
        let json = serde_json::to_string_pretty(&project).unwrap();
        let back: Project = serde_json::from_str(&json).unwrap();
        assert_eq!(back, project);

        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["kind"], "both");
        assert_eq!(
            value["issue_tracker"],
            "https://ohwr.org/project/fmc-tdc/issues"
        );
        assert_eq!(value["readiness_level"], 9);
        assert_eq!(
            value["people"][0]["roles"],
            serde_json::json!(["maintainer", "contact"])
        );
        assert_eq!(value["status"], "stable");
        assert_eq!(value["identifiers"][0]["scheme"], "doi");
        assert_eq!(value["provenance"]["licence"]["origin"], "curation");
        assert_eq!(value["provenance"]["topics"]["source"], "ohwr-registry");
    }

    #[test]
    fn minimal_json_fills_defaults_and_bad_values_are_refused() {
        let minimal = r#"{"slug":"spec","name":"SPEC","kind":"hardware",
            "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#;
        let project: Project = serde_json::from_str(minimal).unwrap();
        assert_eq!(project.version, 0);
        assert!(project.people.is_empty());

        let bad_kind = minimal.replace("\"hardware\"", "\"firmware\"");
        let e = serde_json::from_str::<Project>(&bad_kind)
            .unwrap_err()
            .to_string();
        assert!(e.contains("firmware"), "{e}");
        let bad_slug = minimal.replace("\"spec\"", "\"SPEC board\"");
        let e = serde_json::from_str::<Project>(&bad_slug)
            .unwrap_err()
            .to_string();
        assert!(e.contains("uppercase 'S' at position 1"), "{e}");
        let bad_trl = minimal.replace("\"kind\"", "\"readiness_level\":10,\"kind\"");
        let e = serde_json::from_str::<Project>(&bad_trl)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("readiness_level is 10; expected a number from 1 to 9"),
            "{e}"
        );
    }

    #[test]
    fn problems_name_each_field() {
        let mut p = fmc_tdc();
        p.kind = ProjectKind::Software;
        p.name = String::new();
        p.topics.push("tdc".into());
        p.compatible_with.push(p.slug.clone());
        p.people[0].roles.clear();
        p.releases.push(p.releases[0].clone());
        p.updated_at = at("2020-01-01T00:00:00Z");
        let fields: Vec<String> = p.problems().iter().map(|e| e.field().to_owned()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "topics",
                "people[0].roles",
                "readiness_level",
                "compatible_with",
                "releases",
                "updated_at"
            ]
        );
        let message = p.validate().unwrap_err().to_string();
        assert_eq!(message, "name is empty; expected some text");
        let trl = p.problems()[3].to_string();
        assert!(trl.contains("applies to hardware"), "{trl}");
    }

    #[test]
    fn diff_lists_changed_fields_with_old_and_new_values() {
        let old = fmc_tdc();
        let mut new = old.clone();
        new.licence = Some(LicenceExpression::parse("CERN-OHL-S-2.0").unwrap());
        new.status = None;
        new.version += 1;
        let changes = old.diff(&new);
        assert_eq!(
            changes.len(),
            2,
            "version is not an editable field: {changes:?}"
        );
        assert_eq!(changes[0].field, "licence");
        assert_eq!(changes[0].new, Value::Text("CERN-OHL-S-2.0".into()));
        assert_eq!(changes[1].to_string(), "status: \"stable\" → null");
    }

    #[test]
    fn sync_keeps_curation_and_never_erases() {
        let mut stored = fmc_tdc();
        let mut manifest = Project::new(
            stored.slug.clone(),
            "FMC TDC",
            ProjectKind::Both,
            at("2026-04-01T00:00:00Z"),
        );
        manifest.licence = Some(LicenceExpression::parse("CERN-OHL-W-2.0").unwrap());
        manifest.topics = vec!["Timing".into()];

        let outcome = stored.sync_from(&manifest, &Provenance::Manifest);
        assert_eq!(
            outcome.kept,
            [FieldName::Licence],
            "curated licence is kept"
        );
        let changed: Vec<&str> = outcome.changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            changed,
            ["name", "topics"],
            "import-sourced topics give way to the manifest"
        );
        assert_eq!(stored.name, "FMC TDC");
        assert_eq!(
            stored.licence.as_ref().unwrap(),
            "CERN-OHL-W-2.0 AND GPL-2.0-or-later"
        );
        assert_eq!(
            stored.summary,
            fmc_tdc().summary,
            "empty incoming summary erases nothing"
        );
        assert_eq!(stored.provenance[&FieldName::Topics], Provenance::Manifest);

        // A later registry import cannot override what the manifest said.
        let mut registry = manifest.clone();
        registry.topics = vec!["TRL9".into()];
        let outcome = stored.sync_from(
            &registry,
            &Provenance::Import {
                source: "ohwr-registry".into(),
            },
        );
        assert!(outcome.kept.contains(&FieldName::Topics));
        assert_eq!(stored.topics, ["Timing"]);
    }

    #[test]
    fn hand_edits_record_their_provenance() {
        let before = fmc_tdc();
        let mut after = before.clone();
        after.summary = "Better summary.".into();
        let curator = Actor::new("ospo1", "OSPO curator", [Role::OspoMember]);
        after.record_edit(&before, &Provenance::for_actor(&curator));
        assert_eq!(after.provenance[&FieldName::Summary], Provenance::Curation);
        let maintainer = Actor::new("m1", "Maintainer", [Role::Maintainer]);
        assert_eq!(Provenance::for_actor(&maintainer), Provenance::Maintainer);
        assert!(!Provenance::Manifest.may_replace(Some(&Provenance::Curation)));
        assert!(Provenance::Curation.may_replace(Some(&Provenance::Manifest)));
        assert!(Provenance::Import { source: "x".into() }.may_replace(None));
    }

    #[test]
    fn units_and_names_parse() {
        let unit = Unit::parse("EP-SFT-ROOT").unwrap();
        assert_eq!(unit.to_string(), "EP-SFT");
        assert_eq!(Unit::parse("IT").unwrap().group, None);
        assert_eq!(Unit::parse("").unwrap_err().field(), "unit.department");
        let dashed = Unit {
            department: "-IT".to_owned(),
            group: None,
        };
        assert_eq!(
            dashed.check("owner").unwrap_err().field(),
            "owner.department",
            "a unit that would not read back as itself is refused"
        );
        assert_eq!(
            "issue_tracker".parse::<FieldName>().unwrap(),
            FieldName::IssueTracker
        );
        let e = "colour".parse::<ProjectKind>().unwrap_err().to_string();
        assert_eq!(
            e,
            "kind \"colour\" is not known; expected one of: software, hardware, both"
        );
        assert_eq!(
            LicenceExpression::parse(" MIT").unwrap_err().field(),
            "licence"
        );
        assert_eq!(
            ReadinessLevel::new(0).unwrap_err().field(),
            "readiness_level"
        );
    }
}
