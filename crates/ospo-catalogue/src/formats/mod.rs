//! Import and export of catalogue metadata: the files projects already carry, turned into
//! [`Project`]s and back.
//!
//! | format | in | out | provenance of what it sets |
//! |---|---|---|---|
//! | `.ohwr.yaml` (flat, or nested under `project:`) | yes | no | manifest |
//! | OHWR registry `config.yaml` | yes | no | import from `ohwr-registry` |
//! | `publiccode.yml` | 0.2–0.7 | 0.4 | manifest |
//! | `codemeta.json` | CodeMeta 2 and 3 | CodeMeta 3 | manifest |
//! | `CITATION.cff` | 1.x | no | manifest |
//! | code.gov `code.json` | 2.0 | 2.0.0 | import from `code.json` |
//! | the catalogue's JSON | yes | yes | as stored in the file |
//! | CSV, one row per project | no | yes | — |
//!
//! Everything here is a pure function of the text the caller passes in (and, for the
//! timestamps of new projects, the `now` it passes): no files, no network, no clock.
//!
//! Field mappings follow the CodeMeta crosswalk (`codemeta-crosswalk.csv`): name,
//! description, codeRepository, url, issueTracker, softwareHelp, license, programmingLanguage,
//! keywords, author and maintainer, softwareVersion with datePublished and releaseNotes,
//! identifier, funding and developmentStatus. A file imported, exported in the same format and
//! imported again gives the same values for those fields.
//!
//! A file either imports whole or gives a [`FormatError`] naming the file, the line and column,
//! the field and what was expected. Values that are well-formed but cannot be used (a licence
//! that is not SPDX, a link that is not http(s)) are left out with a warning in
//! [`Imported::warnings`]; licences that had to be mapped (`GPL-3.0` → `GPL-3.0-only`) are
//! kept with a warning quoting the original string.

mod citation;
mod code_json;
mod codemeta;
mod common;
mod csv;
mod error;
mod json;
mod locate;
mod ohwr;
mod publiccode;
mod tree;

use std::fmt;
use std::str::FromStr;

use ospo_core::{Project, Timestamp};

pub use error::{FormatError, Position};

/// A metadata format the catalogue reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// A maintainer's `.ohwr.yaml`, flat or nested under `project:` (import only).
    OhwrManifest,
    /// The OHWR registry's `config.yaml`: every project's id, repository, contact, tags and
    /// compatible projects (import only).
    OhwrRegistry,
    /// `publiccode.yml`: versions 0.2 to 0.7 are read, 0.4 is written.
    Publiccode,
    /// `codemeta.json`: CodeMeta 2 and 3 are read, 3 is written.
    CodeMeta,
    /// `CITATION.cff`, Citation File Format 1.x (import only).
    Citation,
    /// code.gov 2.0 `code.json`: an agency's inventory, or a bare list of its entries.
    CodeJson,
    /// The catalogue's own JSON: a list of projects (or one) exactly as the model serialises
    /// them, provenance included.
    Json,
    /// A table with one row per project and list fields joined with `; ` (export only).
    Csv,
}

impl Format {
    /// Every format, in the order of the module's table.
    pub const ALL: &'static [Format] = &[
        Format::OhwrManifest,
        Format::OhwrRegistry,
        Format::Publiccode,
        Format::CodeMeta,
        Format::Citation,
        Format::CodeJson,
        Format::Json,
        Format::Csv,
    ];

    /// The format's name on the command line and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::OhwrManifest => "ohwr-manifest",
            Format::OhwrRegistry => "ohwr-registry",
            Format::Publiccode => "publiccode",
            Format::CodeMeta => "codemeta",
            Format::Citation => "citation-cff",
            Format::CodeJson => "code-json",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// Whether [`parse`] reads the format.
    pub fn can_read(self) -> bool {
        self != Format::Csv
    }

    /// Whether [`render`] writes the format.
    pub fn can_write(self) -> bool {
        !matches!(
            self,
            Format::OhwrManifest | Format::OhwrRegistry | Format::Citation
        )
    }

    /// Whether a file of the format describes exactly one project.
    pub fn describes_one_project(self) -> bool {
        matches!(
            self,
            Format::OhwrManifest | Format::Publiccode | Format::CodeMeta | Format::Citation
        )
    }

    /// The provenance of what a file of this format sets: a maintainer's manifest for the
    /// one-project formats, an import from a named source for registries and inventories.
    pub fn provenance(self) -> ospo_core::Provenance {
        if self.describes_one_project() {
            ospo_core::Provenance::Manifest
        } else {
            ospo_core::Provenance::Import {
                source: self.as_str().to_owned(),
            }
        }
    }

    /// The usual file name of the format, for exports.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::OhwrManifest => ".ohwr.yaml",
            Format::OhwrRegistry => "config.yaml",
            Format::Publiccode => "publiccode.yml",
            Format::CodeMeta => "codemeta.json",
            Format::Citation => "CITATION.cff",
            Format::CodeJson => "code.json",
            Format::Json => "catalogue.json",
            Format::Csv => "catalogue.csv",
        }
    }

    /// Recognises a format by the file's name (`publiccode.yml`, `x.ohwr.yaml`, ...) and, for
    /// other names, by the content's first lines or keys.
    pub fn detect(file_name: &str, text: &str) -> Option<Format> {
        by_name(file_name).or_else(|| by_content(text))
    }

    pub(crate) fn known_names() -> String {
        Self::ALL
            .iter()
            .filter(|f| f.can_read())
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn writable_names() -> String {
        Self::ALL
            .iter()
            .filter(|f| f.can_write())
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("format {0:?} is not known; expected one of: {names}", names = Format::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", "))]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| UnknownFormat(text.to_owned()))
    }
}

fn by_name(file_name: &str) -> Option<Format> {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    let yaml = base.ends_with(".yml") || base.ends_with(".yaml");
    Some(
        if base.ends_with(".ohwr.yaml") || base.ends_with(".ohwr.yml") {
            Format::OhwrManifest
        } else if yaml && base.starts_with("publiccode") {
            Format::Publiccode
        } else if base == "codemeta.json" {
            Format::CodeMeta
        } else if base.ends_with(".cff") {
            Format::Citation
        } else if base == "code.json" {
            Format::CodeJson
        } else if base.ends_with(".csv") {
            Format::Csv
        } else {
            return None;
        },
    )
}

fn by_content(text: &str) -> Option<Format> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mut end = text.len().min(4096);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    if head.starts_with('{') || head.starts_with('[') {
        return if head.contains("\"@context\"") && head.contains("codemeta") {
            Some(Format::CodeMeta)
        } else if head.contains("\"repositoryURL\"") || head.contains("\"measurementType\"") {
            Some(Format::CodeJson)
        } else if head.contains("\"slug\"") && head.contains("\"kind\"") {
            Some(Format::Json)
        } else {
            None
        };
    }
    let top_level = |key: &str| text.lines().any(|line| line.starts_with(key));
    if top_level("cff-version:") {
        Some(Format::Citation)
    } else if top_level("publiccodeYmlVersion:") {
        Some(Format::Publiccode)
    } else if top_level("projects:") && text.contains("repository:") {
        Some(Format::OhwrRegistry)
    } else if top_level("project:") || (top_level("website:") && top_level("licenses:")) {
        Some(Format::OhwrManifest)
    } else {
        None
    }
}

/// The projects read from one file, and what the reader had to say about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The projects, in the file's order; each records the provenance of the fields it sets.
    pub projects: Vec<Project>,
    /// Values read leniently or left out, each naming the file, the entry and the field:
    /// `code.json: [17] "VisIt": permissions.licenses[0]: licence "Other" could not be read
    /// ...`.
    pub warnings: Vec<String>,
}

/// Reads `text`, the content of the file `file_name` (used in messages, and for
/// `<id>.ohwr.yaml` to name the project), as `format`. New projects are created at `now`.
pub fn parse(
    format: Format,
    file_name: &str,
    text: &str,
    now: Timestamp,
) -> Result<Imported, FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::OhwrManifest => ohwr::parse_manifest(file_name, text, now),
        Format::OhwrRegistry => ohwr::parse_registry(file_name, text, now),
        Format::Publiccode => publiccode::parse(file_name, text, now),
        Format::CodeMeta => codemeta::parse(file_name, text, now),
        Format::Citation => citation::parse(file_name, text, now),
        Format::CodeJson => code_json::parse(file_name, text, now),
        Format::Json => json::parse(file_name, text),
        Format::Csv => Err(FormatError::NotReadable { format }),
    }
}

/// Reads a file whose format is recognised by [`Format::detect`].
pub fn parse_detected(
    file_name: &str,
    text: &str,
    now: Timestamp,
) -> Result<Imported, FormatError> {
    let format = Format::detect(file_name, text).ok_or_else(|| FormatError::Unrecognised {
        file: file_name.to_owned(),
    })?;
    parse(format, file_name, text, now)
}

/// Writes `projects` as `format`. Formats that describe one project (publiccode.yml,
/// codemeta.json) take exactly one.
pub fn render(format: Format, projects: &[Project]) -> Result<String, FormatError> {
    if !format.can_write() {
        return Err(FormatError::NotWritable { format });
    }
    let one = || match projects {
        [project] => Ok(project),
        _ => Err(FormatError::OneProject {
            format,
            count: projects.len(),
        }),
    };
    match format {
        Format::Publiccode => publiccode::render(one()?),
        Format::CodeMeta => codemeta::render(one()?),
        Format::CodeJson => code_json::render(projects),
        Format::Json => json::render(projects),
        Format::Csv => csv::render(projects),
        Format::OhwrManifest | Format::OhwrRegistry | Format::Citation => {
            Err(FormatError::NotWritable { format })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_name_then_content() {
        let cases = [
            ("fmc-tdc.ohwr.yaml", "", Some(Format::OhwrManifest)),
            ("repo/.ohwr.yaml", "", Some(Format::OhwrManifest)),
            ("publiccode.yml", "", Some(Format::Publiccode)),
            ("CITATION.cff", "", Some(Format::Citation)),
            ("code.json", "", Some(Format::CodeJson)),
            ("x.yaml", "cff-version: 1.2.0\n", Some(Format::Citation)),
            (
                "x.yaml",
                "# c\npubliccodeYmlVersion: \"0.4\"\n",
                Some(Format::Publiccode),
            ),
            (
                "config.yaml",
                "tags: []\nprojects:\n  - id: a\n    repository: x\n",
                Some(Format::OhwrRegistry),
            ),
            (
                "x.yaml",
                "version: '1.0.0'\nproject:\n  name: a\n",
                Some(Format::OhwrManifest),
            ),
            (
                "meta.json",
                r#"{"@context": "https://w3id.org/codemeta/3.0"}"#,
                Some(Format::CodeMeta),
            ),
            (
                "doe.json",
                r#"[{"name": "x", "repositoryURL": "https://x.org"}]"#,
                Some(Format::CodeJson),
            ),
            (
                "all.json",
                r#"[{"slug": "x", "kind": "software"}]"#,
                Some(Format::Json),
            ),
            ("notes.txt", "hello", None),
        ];
        for (name, text, expected) in cases {
            assert_eq!(Format::detect(name, text), expected, "{name}");
        }
    }

    #[test]
    fn names_round_trip_and_unknown_ones_are_listed() {
        for &format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>().unwrap(), format);
        }
        let e = "yaml".parse::<Format>().unwrap_err().to_string();
        assert!(
            e.contains("expected one of: ohwr-manifest, ohwr-registry"),
            "{e}"
        );
    }

    #[test]
    fn import_only_formats_are_not_written() {
        let e = render(Format::Citation, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "citation-cff can be imported but not exported; export to one of: publiccode, \
             codemeta, code-json, json, csv"
        );
        let e = render(Format::CodeMeta, &[]).unwrap_err();
        assert!(matches!(e, FormatError::OneProject { count: 0, .. }), "{e}");
    }
}
