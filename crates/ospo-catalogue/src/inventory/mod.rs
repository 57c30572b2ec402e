//! Tolerant readers of SBOMs and lockfiles: the components a service uses, read from the files
//! real build tools produce.
//!
//! Real files are messy: licences written as names, URLs or whole texts, `NOASSERTION`
//! everywhere, fields of the wrong type, web page text after the JSON. [`read`] accepts what it
//! can, with a [`Warning`] (and its location) for each thing it had to tolerate, and refuses a
//! file whole, with an [`IngestError`] saying what is wrong and where, only when what is there
//! cannot be trusted (a truncated file, an unknown format). It never panics.

mod cargo_lock;
mod conda;
mod cyclonedx;
mod cyclonedx_xml;
mod golang;
mod maven;
mod npm;
pub mod policy;
mod python_locks;
pub mod query;
pub mod range;
mod requirements;
mod spdx;
mod spdx3;
pub mod store;
mod tagvalue;
mod yarn;

use std::fmt;

use ospo_core::{
    Component, ComponentLicence, LicenceExpression, Normalisation, PackageUrl, Relation, Scope,
};
use serde::Serialize;
use serde_json::Value;

/// The formats [`read`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CycloneDX 1.2–1.7, JSON.
    CycloneDxJson,
    /// CycloneDX 1.x, XML.
    CycloneDxXml,
    /// SPDX 2.x, JSON.
    SpdxJson,
    /// SPDX 2.x, YAML.
    SpdxYaml,
    /// SPDX 2.x, tag-value.
    SpdxTagValue,
    /// SPDX 3.0, JSON-LD.
    Spdx3JsonLd,
    /// Cargo's `Cargo.lock` (versions 1–4).
    CargoLock,
    /// npm's `package-lock.json` (lockfile versions 1–3) or `npm-shrinkwrap.json`.
    PackageLock,
    /// pip's `requirements.txt`, pinned.
    Requirements,
    /// Yarn's `yarn.lock`: Yarn 1 (classic) or Yarn 2+ (berry, YAML).
    YarnLock,
    /// Poetry's `poetry.lock`.
    PoetryLock,
    /// uv's `uv.lock`.
    UvLock,
    /// Pipenv's `Pipfile.lock`.
    PipfileLock,
    /// Go's `go.sum`.
    GoSum,
    /// Go's `go.mod`.
    GoMod,
    /// Maven's `pom.xml` (declared dependencies).
    PomXml,
    /// A conda `environment.yml`.
    CondaEnvironment,
    /// A conda explicit list (`@EXPLICIT`).
    CondaExplicit,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::CycloneDxJson => "CycloneDX JSON",
            Format::CycloneDxXml => "CycloneDX XML",
            Format::SpdxJson => "SPDX JSON",
            Format::SpdxYaml => "SPDX YAML",
            Format::SpdxTagValue => "SPDX tag-value",
            Format::Spdx3JsonLd => "SPDX 3 JSON-LD",
            Format::CargoLock => "Cargo.lock",
            Format::PackageLock => "package-lock.json",
            Format::Requirements => "requirements.txt",
            Format::YarnLock => "yarn.lock",
            Format::PoetryLock => "poetry.lock",
            Format::UvLock => "uv.lock",
            Format::PipfileLock => "Pipfile.lock",
            Format::GoSum => "go.sum",
            Format::GoMod => "go.mod",
            Format::PomXml => "pom.xml",
            Format::CondaEnvironment => "conda environment",
            Format::CondaExplicit => "conda explicit list",
        })
    }
}

/// Something the reader tolerated, and where: a JSON pointer (`/components/3/licenses/0`) or a
/// line (`line 12`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Where in the file.
    pub location: String,
    /// What was tolerated and how it was read.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// One component as the file lists it, with how the file says it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The component.
    pub component: Component,
    /// Direct or transitive, when the file says (a dependency graph, a lockfile's root).
    pub relation: Option<Relation>,
    /// When it is needed, when the file says.
    pub scope: Scope,
}

/// What was read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ingested {
    /// The format detected.
    pub format: Format,
    /// The format's own version (`1.5`, `SPDX-2.3`, lockfile version `3`), when it says.
    pub spec_version: Option<String>,
    /// What the file describes (CycloneDX `metadata.component`, the package an SPDX document
    /// describes, the root of a lockfile), kept apart from the components it uses.
    pub subject: Option<Component>,
    /// The components used, in the order of the file.
    pub entries: Vec<Entry>,
    /// Everything tolerated, in the order met.
    pub warnings: Vec<Warning>,
    /// Licence strings already normalised in this file (they repeat a lot).
    #[serde(skip)]
    licences: std::collections::HashMap<String, (ComponentLicence, Option<String>)>,
}

impl Ingested {
    fn new(format: Format) -> Self {
        Ingested {
            format,
            spec_version: None,
            subject: None,
            entries: Vec::new(),
            warnings: Vec::new(),
            licences: std::collections::HashMap::new(),
        }
    }

    fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            location: location.into(),
            message: message.into(),
        });
    }
}

/// Why a file was refused whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// Neither the name nor the content says which format the file is in.
    #[error(
        "{name}: not a format the inventory reads (CycloneDX JSON or XML; SPDX 2 JSON, YAML or tag-value; SPDX 3 JSON-LD; Cargo.lock; package-lock.json; yarn.lock; poetry.lock; uv.lock; Pipfile.lock; requirements.txt; go.sum; go.mod; pom.xml; conda environment.yml or explicit list){hint}"
    )]
    Unrecognised {
        /// The file's name.
        name: String,
        /// What the file looks like instead, if known (`: it looks like SPDX tag-value`).
        hint: String,
    },
    /// The file is not well-formed (truncated, not JSON, not TOML).
    #[error("{name}:{line}:{column}: not valid {format}: {message}")]
    Syntax {
        /// The file's name.
        name: String,
        /// The format the file claims to be in.
        format: String,
        /// The line of the problem, 1-based.
        line: usize,
        /// The column of the problem, 1-based.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file is well-formed but its content is not what the format requires.
    #[error("{name}: {location}: {message}")]
    Content {
        /// The file's name.
        name: String,
        /// Where (a JSON pointer or a line).
        location: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

/// Reads an SBOM or lockfile, detecting its format from its name and content.
pub fn read(name: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let (text, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| text[i]);
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    let mut ingested = if base == "poetry.lock" || head.contains("@generated by Poetry") {
        python_locks::read_poetry(name, &utf8(name, "poetry.lock", text)?)?
    } else if base == "uv.lock" {
        python_locks::read_uv(name, &utf8(name, "uv.lock", text)?)?
    } else if base == "Cargo.lock" || looks_like_cargo_lock(text) {
        cargo_lock::read(name, &utf8(name, "Cargo.lock", text)?)?
    } else if base.starts_with("requirements") && base.ends_with(".txt") {
        requirements::read(&utf8(name, "requirements.txt", text)?)
    } else if yarn::is_classic(&head) || (base == "yarn.lock" && !yarn::is_berry(&head)) {
        yarn::read_classic(name, &utf8(name, "yarn.lock", text)?)?
    } else if base == "go.sum" || (start != Some(b'{') && golang::looks_like_go_sum(&head)) {
        golang::read_sum(name, &utf8(name, "go.sum", text)?)?
    } else if base == "go.mod" || head.starts_with("module ") {
        golang::read_mod(name, &utf8(name, "go.mod", text)?)?
    } else if conda::looks_like_explicit(&head) {
        conda::read_explicit(name, &utf8(name, "conda explicit list", text)?)?
    } else if looks_like_tag_value(text) {
        tagvalue::read(name, &utf8(name, "SPDX tag-value", text)?)?
    } else if start == Some(b'<') && looks_like_cyclonedx_xml(text) {
        cyclonedx_xml::read(name, &utf8(name, "XML", text)?)?
    } else if start == Some(b'<') && (base.ends_with("pom.xml") || maven::looks_like_pom(&head)) {
        maven::read(name, &utf8(name, "XML", text)?)?
    } else if start == Some(b'{') || start == Some(b'[') {
        read_json(name, text, None)?
    } else if base.ends_with(".yaml")
        || base.ends_with(".yml")
        || base == "yarn.lock"
        || yarn::is_berry(&head)
    {
        let value = parse_yaml(name, text)?;
        if value.get("__metadata").is_some() {
            yarn::read_berry(name, &value)?
        } else if value.get("spdxVersion").is_some() {
            spdx::read(name, &value, Format::SpdxYaml)?
        } else if conda::is_environment(&value) {
            conda::read_environment(&value)
        } else {
            return Err(unrecognised(
                name,
                ": YAML that is neither SPDX (spdxVersion), a conda environment (dependencies) nor a Yarn lockfile (__metadata)",
            ));
        }
    } else {
        let hint = if head.trim_start().starts_with('<') {
            ": it looks like XML or HTML"
        } else {
            ""
        };
        return Err(unrecognised(name, hint));
    };
    if bom {
        ingested
            .warnings
            .insert(0, warning("line 1", "a UTF-8 byte order mark was skipped"));
    }
    Ok(ingested)
}

/// Reads a file as `format`, without detecting it: for a file whose name and content do not
/// say what it is, and to exercise one reader alone. A file that is not of that format is
/// refused like any malformed file, with where it stops making sense.
pub fn read_as(format: Format, name: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    let (text, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let label = format.to_string();
    let mut ingested = match format {
        Format::CycloneDxJson
        | Format::SpdxJson
        | Format::Spdx3JsonLd
        | Format::PackageLock
        | Format::PipfileLock => read_json(name, text, Some(format))?,
        Format::CycloneDxXml => cyclonedx_xml::read(name, &utf8(name, &label, text)?)?,
        Format::PomXml => maven::read(name, &utf8(name, &label, text)?)?,
        Format::SpdxTagValue => tagvalue::read(name, &utf8(name, &label, text)?)?,
        Format::CargoLock => cargo_lock::read(name, &utf8(name, &label, text)?)?,
        Format::Requirements => requirements::read(&utf8(name, &label, text)?),
        Format::PoetryLock => python_locks::read_poetry(name, &utf8(name, &label, text)?)?,
        Format::UvLock => python_locks::read_uv(name, &utf8(name, &label, text)?)?,
        Format::GoSum => golang::read_sum(name, &utf8(name, &label, text)?)?,
        Format::GoMod => golang::read_mod(name, &utf8(name, &label, text)?)?,
        Format::CondaExplicit => conda::read_explicit(name, &utf8(name, &label, text)?)?,
        Format::YarnLock => {
            let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
            if yarn::is_berry(&head) {
                yarn::read_berry(name, &parse_yaml(name, text)?)?
            } else {
                yarn::read_classic(name, &utf8(name, &label, text)?)?
            }
        }
        Format::SpdxYaml => spdx::read(name, &parse_yaml(name, text)?, Format::SpdxYaml)?,
        Format::CondaEnvironment => {
            let value = parse_yaml(name, text)?;
            if !conda::is_environment(&value) {
                return Err(unrecognised(
                    name,
                    ": not a conda environment (no dependencies list)",
                ));
            }
            conda::read_environment(&value)
        }
    };
    if bom {
        ingested
            .warnings
            .insert(0, warning("line 1", "a UTF-8 byte order mark was skipped"));
    }
    Ok(ingested)
}

/// Parses YAML, or says where it stops being YAML.
fn parse_yaml(name: &str, text: &[u8]) -> Result<Value, IngestError> {
    let text = utf8(name, "YAML", text)?;
    serde_norway::from_str(&text).map_err(|e| {
        let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        IngestError::Syntax {
            name: name.to_owned(),
            format: "YAML".into(),
            line,
            column,
            message: e.to_string(),
        }
    })
}

fn warning(location: &str, message: &str) -> Warning {
    Warning {
        location: location.into(),
        message: message.into(),
    }
}

fn unrecognised(name: &str, hint: &str) -> IngestError {
    IngestError::Unrecognised {
        name: name.to_owned(),
        hint: hint.to_owned(),
    }
}

fn looks_like_cargo_lock(text: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&text[..text.len().min(2048)]);
    head.contains("[[package]]")
        && (head.contains("# This file is automatically @generated by Cargo.")
            || head.starts_with("version = "))
}

fn looks_like_cyclonedx_xml(text: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    head.contains("http://cyclonedx.org/schema/bom/") || head.contains("<bom ")
}

fn looks_like_tag_value(text: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&text[..text.len().min(4096)]);
    head.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("SPDXVersion:"))
}

/// The text as UTF-8, or a refusal at the first invalid byte.
fn utf8(name: &str, format: &str, bytes: &[u8]) -> Result<String, IngestError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let (line, column) = line_column(bytes, e.valid_up_to());
            Err(IngestError::Syntax {
                name: name.to_owned(),
                format: format.to_owned(),
                line,
                column,
                message: "invalid UTF-8".into(),
            })
        }
    }
}

/// 1-based line and column of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// Parses the first JSON value of the file; anything after it is tolerated with a warning
/// (SBOMs saved from a web page carry the page's text after the document).
/// `format` names the reader when the caller knows it; otherwise the content picks it.
fn read_json(name: &str, text: &[u8], format: Option<Format>) -> Result<Ingested, IngestError> {
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<Value>();
    let value = match stream.next() {
        Some(Ok(value)) => value,
        Some(Err(e)) => {
            return Err(IngestError::Syntax {
                name: name.to_owned(),
                format: "JSON".into(),
                line: e.line().max(1),
                column: e.column().max(1),
                message: json_message(&e),
            });
        }
        None => return Err(unrecognised(name, ": the file is empty")),
    };
    let end = stream.byte_offset();
    let trailing = text[end..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| end + i);
    let format = format.or_else(|| detect_json(&value)).ok_or_else(|| {
        let hint = if value.get("@context").is_some() {
            ": JSON-LD, but not SPDX 3 (no spdx.org/rdf/3 context or terms)"
        } else {
            ": JSON without bomFormat, spdxVersion, lockfileVersion or a Pipfile.lock's _meta"
        };
        unrecognised(name, hint)
    })?;
    let mut ingested = match format {
        Format::CycloneDxJson => cyclonedx::read(name, &value)?,
        Format::SpdxJson => spdx::read(name, &value, Format::SpdxJson)?,
        Format::PackageLock => npm::read(name, &value)?,
        Format::Spdx3JsonLd => spdx3::read(name, &value)?,
        Format::PipfileLock => python_locks::read_pipfile(name, &value)?,
        Format::CycloneDxXml
        | Format::SpdxYaml
        | Format::SpdxTagValue
        | Format::CargoLock
        | Format::Requirements
        | Format::YarnLock
        | Format::PoetryLock
        | Format::UvLock
        | Format::GoSum
        | Format::GoMod
        | Format::PomXml
        | Format::CondaEnvironment
        | Format::CondaExplicit => {
            return Err(unrecognised(name, ""));
        }
    };
    if let Some(start) = trailing {
        let (line, column) = line_column(text, start);
        ingested.warnings.insert(
            0,
            Warning {
                location: format!("line {line}, column {column}"),
                message: "text after the JSON document was ignored".into(),
            },
        );
    }
    Ok(ingested)
}

fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    // serde_json appends " at line L column C"; the error carries those separately.
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    if e.is_eof() {
        format!("{text} (the file is truncated)")
    } else {
        text
    }
}

fn detect_json(value: &Value) -> Option<Format> {
    if spdx3::detect(value) {
        return Some(Format::Spdx3JsonLd);
    }
    let object = value.as_object()?;
    let is_cdx = object.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX")
        || object
            .get("$schema")
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains("cyclonedx"))
        || (object.contains_key("specVersion")
            && (object.contains_key("components") || object.contains_key("metadata")));
    if is_cdx {
        Some(Format::CycloneDxJson)
    } else if object.contains_key("spdxVersion") {
        Some(Format::SpdxJson)
    } else if object.contains_key("lockfileVersion") {
        Some(Format::PackageLock)
    } else if object
        .get("_meta")
        .is_some_and(|m| m.get("pipfile-spec").is_some())
        || (object.contains_key("_meta") && object.contains_key("default"))
    {
        Some(Format::PipfileLock)
    } else {
        None
    }
}

/// A string field, warning when it is there with another type.
fn text_field(value: &Value, key: &str, at: &str, ingested: &mut Ingested) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Null => None,
        Value::Number(n) => {
            ingested.warn(
                format!("{at}/{key}"),
                format!("a number ({n}) read as text"),
            );
            Some(n.to_string())
        }
        other => {
            ingested.warn(
                format!("{at}/{key}"),
                format!("expected text, found {}; ignored", kind(other)),
            );
            None
        }
    }
}

/// An array field; anything else is warned about and read as empty.
fn array_field<'a>(value: &'a Value, key: &str, at: &str, ingested: &mut Ingested) -> &'a [Value] {
    match value.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(other) => {
            ingested.warn(
                format!("{at}/{key}"),
                format!("expected an array, found {}; ignored", kind(other)),
            );
            &[]
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A package URL, warning when it is malformed.
fn purl(text: Option<String>, at: &str, ingested: &mut Ingested) -> Option<PackageUrl> {
    let text = text?;
    match PackageUrl::parse(&text) {
        Ok(purl) => Some(purl),
        Err(e) => {
            ingested.warn(at, format!("package URL ignored: {e}"));
            None
        }
    }
}

/// A component from what every format has: name, version and package URL.
fn component(name: String, version: Option<String>, purl: Option<PackageUrl>) -> Component {
    Component {
        ecosystem: purl.as_ref().map(PackageUrl::ecosystem),
        purl,
        name,
        version,
        declared_licence: None,
        concluded_licence: None,
        supplier: None,
    }
}

/// A raw licence string normalised to an SPDX expression, with how. `NOASSERTION`, `NONE` and
/// empty strings give no expression; what cannot be read is kept, unmatched, with a warning.
pub fn normalise_licence(raw: &str) -> (ComponentLicence, Option<String>) {
    let trimmed = raw.trim();
    let licence = |expression: Option<&str>, normalisation, confidence| ComponentLicence {
        raw: raw.to_owned(),
        expression: expression.and_then(|e| LicenceExpression::parse(e).ok()),
        normalisation,
        confidence,
    };
    if trimmed.is_empty()
        || trimmed.eq_ignore_ascii_case("NOASSERTION")
        || trimmed.eq_ignore_ascii_case("NONE")
    {
        return (licence(None, Normalisation::NoAssertion, 0), None);
    }
    if let Ok(expr) = ospo_licence::Expression::parse(trimmed) {
        return (
            licence(Some(&expr.to_string()), Normalisation::Spdx, 100),
            None,
        );
    }
    let long = trimmed.len() > 200 || trimmed.lines().count() > 2;
    if !long && let Ok((expr, _)) = ospo_licence::read(trimmed) {
        let how = if trimmed.contains("://") {
            Normalisation::Url
        } else {
            Normalisation::Name
        };
        return (licence(Some(&expr.to_string()), how, 90), None);
    }
    if long {
        let found = ospo_licence::identify(trimmed);
        if let Some(expr) = found.expression {
            let confidence = (found.confidence * 100.0).round().clamp(0.0, 100.0) as u8;
            return (licence(Some(&expr), Normalisation::Text, confidence), None);
        }
    }
    let shown: String = trimmed.chars().take(80).collect();
    let ellipsis = if shown.len() < trimmed.len() {
        "…"
    } else {
        ""
    };
    (
        licence(None, Normalisation::Unmatched, 0),
        Some(format!(
            "licence '{shown}{ellipsis}' is not an SPDX expression, a known name, URL or licence text; kept for review"
        )),
    )
}

/// Licence strings already normalised in this process: SBOMs repeat the same few hundred
/// strings, and an unmatched one costs the lenient parser's fuzzy search (milliseconds) each
/// time. Bounded: past the limit, strings are normalised without being kept.
fn normalise_cached(raw: &str) -> (ComponentLicence, Option<String>) {
    type Cache = std::collections::HashMap<String, (ComponentLicence, Option<String>)>;
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Cache>> = std::sync::OnceLock::new();
    const LIMIT: usize = 50_000;
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(raw).cloned()) {
        return found;
    }
    let found = normalise_licence(raw);
    if let Ok(mut c) = cache.lock()
        && c.len() < LIMIT
    {
        c.insert(raw.to_owned(), found.clone());
    }
    found
}

/// The licence, with a warning at `at` when it could not be matched.
fn licence(raw: &str, at: &str, ingested: &mut Ingested) -> ComponentLicence {
    let (licence, problem) = match ingested.licences.get(raw) {
        Some(known) => known.clone(),
        None => {
            let found = normalise_cached(raw);
            ingested.licences.insert(raw.to_owned(), found.clone());
            found
        }
    };
    if let Some(problem) = problem {
        ingested.warn(at, problem);
    }
    licence
}

/// Percent-encodes what a purl name or namespace may not hold as is.
fn purl_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '~' | '+') {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `Organization: X` / `Person: X` as in SPDX, reduced to the name; `NOASSERTION` is none.
fn party(text: &str) -> Option<String> {
    let text = text.trim();
    let name = text
        .strip_prefix("Organization:")
        .or_else(|| text.strip_prefix("Person:"))
        .or_else(|| text.strip_prefix("Tool:"))
        .unwrap_or(text)
        .trim();
    (!name.is_empty() && !name.eq_ignore_ascii_case("NOASSERTION")).then(|| name.to_owned())
}

/// Direct and transitive use, from a dependency graph and its root.
struct Relations<'a> {
    direct: std::collections::HashSet<&'a str>,
    reachable: std::collections::HashSet<&'a str>,
}

impl<'a> Relations<'a> {
    fn from_graph(graph: &std::collections::HashMap<&'a str, Vec<&'a str>>, root: &str) -> Self {
        let direct: std::collections::HashSet<&str> =
            graph.get(root).into_iter().flatten().copied().collect();
        let mut reachable = std::collections::HashSet::new();
        let mut todo: Vec<&str> = direct.iter().copied().collect();
        while let Some(node) = todo.pop() {
            if reachable.insert(node) {
                todo.extend(graph.get(node).into_iter().flatten().copied());
            }
        }
        Relations { direct, reachable }
    }

    /// Direct when the root lists it, transitive when reached through others, else unknown.
    fn of(&self, node: &str) -> Option<Relation> {
        if self.direct.contains(node) {
            Some(Relation::Direct)
        } else if self.reachable.contains(node) {
            Some(Relation::Transitive)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_requirements_give_pypi_components() {
        let text = b"# pip-compile output\nFlask==3.1.0 \\\n    --hash=sha256:abc\nrequests[socks]==2.32.3 ; python_version >= \"3.8\"\nzope.interface>=6\n-r dev.txt\n";
        let read = read("requirements.txt", text).unwrap();
        assert_eq!(read.format, Format::Requirements);
        let rows: Vec<(&str, Option<&str>, Option<&str>)> = read
            .entries
            .iter()
            .map(|e| {
                let c = &e.component;
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.purl.as_ref().map(PackageUrl::as_str),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("Flask", Some("3.1.0"), Some("pkg:pypi/flask@3.1.0")),
                ("requests", Some("2.32.3"), Some("pkg:pypi/requests@2.32.3")),
                ("zope.interface", None, Some("pkg:pypi/zope-interface")),
            ]
        );
        let w: Vec<String> = read.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "line 5: 'zope.interface' is not pinned ('>=6'); read without a version",
                "line 6: '-r dev.txt' names another file, which is not read",
            ]
        );
    }

    #[test]
    fn licence_strings_are_normalised_with_how() {
        let cases = [
            ("Apache-2.0", Some("Apache-2.0"), Normalisation::Spdx),
            ("Apache 2.0", Some("Apache-2.0"), Normalisation::Name),
            (
                "https://opensource.org/licenses/MIT",
                Some("MIT"),
                Normalisation::Url,
            ),
            ("NOASSERTION", None, Normalisation::NoAssertion),
            ("", None, Normalisation::NoAssertion),
            ("Proprietary, ask legal", None, Normalisation::Unmatched),
        ];
        for (raw, expected, how) in cases {
            let (licence, problem) = normalise_licence(raw);
            assert_eq!(
                licence.expression.as_ref().map(LicenceExpression::as_str),
                expected,
                "{raw}"
            );
            assert_eq!(licence.normalisation, how, "{raw}");
            assert_eq!(licence.raw, raw);
            assert_eq!(problem.is_some(), how == Normalisation::Unmatched, "{raw}");
        }
    }

    #[test]
    fn a_whole_licence_text_is_identified() {
        let mit = "Permission is hereby granted, free of charge, to any person obtaining a copy \
            of this software and associated documentation files (the \"Software\"), to deal in \
            the Software without restriction, including without limitation the rights to use, \
            copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the \
            Software, and to permit persons to whom the Software is furnished to do so, subject \
            to the following conditions:\n\nThe above copyright notice and this permission \
            notice shall be included in all copies or substantial portions of the Software.\n\n\
            THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR \
            IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS \
            FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR \
            COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN \
            AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION \
            WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.";
        let (licence, problem) = normalise_licence(mit);
        assert_eq!(licence.expression.unwrap(), "MIT");
        assert_eq!(licence.normalisation, Normalisation::Text);
        assert!(licence.confidence >= 80, "{}", licence.confidence);
        assert_eq!(problem, None);
    }

    #[test]
    fn a_byte_order_mark_and_trailing_text_are_tolerated_and_reported() {
        let bom = b"\xEF\xBB\xBF{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\n\"components\":[{\"name\":\"zlib\",\"version\":\"1.3\",\"licenses\":[{\"license\":{\"id\":\"Zlib\"}}]}]}\n<html>Contact us</html>";
        let read = read("bom.json", bom).unwrap();
        assert_eq!(read.entries.len(), 1);
        let locations: Vec<&str> = read.warnings.iter().map(|w| w.location.as_str()).collect();
        assert_eq!(locations, ["line 1", "line 3, column 1"]);
        let e = super::read(
            "bom.json",
            b"{\"bomFormat\":\"CycloneDX\",\n\"components\":[{\"name\":",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "bom.json:2:22: not valid JSON: EOF while parsing a value (the file is truncated)"
        );
    }

    #[test]
    fn components_without_a_name_are_skipped_with_a_warning() {
        let bom = br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
            {"version":"1"}, "junk", {"name":"ok","licenses":{"id":"MIT"}}]}"#;
        let read = read("bom.json", bom).unwrap();
        assert_eq!(read.entries.len(), 1);
        let w: Vec<String> = read.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            w,
            [
                "/components/0: a component without a name; skipped",
                "/components/1: a component must be an object; skipped",
                "/components/2/licenses: expected an array, found an object; ignored",
            ]
        );
    }
}
