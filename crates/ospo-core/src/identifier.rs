//! Persistent identifiers of projects and releases: DOIs and Software Heritage IDs.

use crate::audit::{ToValue, Value};
use crate::error::ValidationError;

string_newtype!(
    /// A Digital Object Identifier, stored bare (`10.5281/zenodo.1234567`).
    ///
    /// [`Doi::parse`] also accepts the resolver forms people paste (`https://doi.org/10...`,
    /// `doi:10...`) and keeps only the DOI. Syntax: ISO 26324 / DOI Handbook §2.2, a `10.`
    /// directory indicator, a registrant code of dot-separated digits, `/`, a suffix.
    #[derive(PartialOrd, Ord)]
    Doi
);

const DOI_EXPECTED: &str = "a DOI like \"10.5281/zenodo.1234567\"";

impl Doi {
    /// Accepts a DOI, bare or behind `doi:` or a doi.org resolver URL.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: &str| {
            Err(ValidationError::malformed(
                "doi",
                text,
                problem,
                DOI_EXPECTED,
            ))
        };
        let lower = text.to_ascii_lowercase();
        let prefix = [
            "https://doi.org/",
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
            "doi:",
        ]
        .into_iter()
        .find(|p| lower.starts_with(p))
        .map_or(0, str::len);
        let doi = &text[prefix..];
        if doi.is_empty() {
            return Err(ValidationError::Empty {
                field: "doi".into(),
                expected: DOI_EXPECTED,
            });
        }
        if doi.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains whitespace");
        }
        let Some(rest) = doi.strip_prefix("10.") else {
            return bad("it does not start with \"10.\"");
        };
        let Some((registrant, suffix)) = rest.split_once('/') else {
            return bad("it has no '/' between prefix and suffix");
        };
        let registrant_ok = !registrant.is_empty()
            && registrant
                .split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
        if !registrant_ok {
            return bad("the registrant code after \"10.\" must be dot-separated digits");
        }
        if suffix.is_empty() {
            return bad("the suffix after '/' is empty");
        }
        Ok(Self(doi.to_owned()))
    }

    /// The DOI as a link through the doi.org resolver.
    pub fn url(&self) -> String {
        format!("https://doi.org/{}", self.0)
    }
}

string_newtype!(
    /// A SoftWare Heritage persistent IDentifier (`swh:1:dir:<40 hex digits>`, optionally
    /// with `;origin=...` and other qualifiers), as specified in the SWHID v1 specification
    /// (ISO/IEC 18670).
    #[derive(PartialOrd, Ord)]
    Swhid
);

const SWHID_EXPECTED: &str = "a SWHID like \"swh:1:dir:d198bc9d7a6bcf6db04f476d29314f157507d505\", optionally with ;qualifiers";

impl Swhid {
    /// The object types of SWHID v1: content, directory, revision, release, snapshot.
    pub const OBJECT_TYPES: [&'static str; 5] = ["cnt", "dir", "rev", "rel", "snp"];
    /// The qualifiers of SWHID v1.
    pub const QUALIFIERS: [&'static str; 5] = ["origin", "visit", "anchor", "path", "lines"];

    /// Accepts `swh:1:<type>:<40 lowercase hex>[;key=value...]`.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let bad = |problem: String| {
            Err(ValidationError::malformed(
                "swhid",
                text,
                problem,
                SWHID_EXPECTED,
            ))
        };
        if text.is_empty() {
            return Err(ValidationError::Empty {
                field: "swhid".into(),
                expected: SWHID_EXPECTED,
            });
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return bad("it contains whitespace".into());
        }
        let mut parts = text.split(';');
        let core = parts.next().unwrap_or_default();
        let fields: Vec<&str> = core.split(':').collect();
        if fields.len() != 4 || fields[0] != "swh" {
            return bad("it is not four ':'-separated parts starting with \"swh\"".into());
        }
        if fields[1] != "1" {
            return bad(format!(
                "scheme version {:?} is not supported (only 1)",
                fields[1]
            ));
        }
        if !Self::OBJECT_TYPES.contains(&fields[2]) {
            return bad(format!(
                "object type {:?} is not one of {}",
                fields[2],
                Self::OBJECT_TYPES.join(", ")
            ));
        }
        let hash = fields[3];
        if hash.len() != 40 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return bad("the hash is not 40 lowercase hexadecimal digits".into());
        }
        for qualifier in parts {
            match qualifier.split_once('=') {
                Some((key, value)) if Self::QUALIFIERS.contains(&key) && !value.is_empty() => {}
                Some((key, _)) if !Self::QUALIFIERS.contains(&key) => {
                    return bad(format!(
                        "qualifier {key:?} is not one of {}",
                        Self::QUALIFIERS.join(", ")
                    ));
                }
                _ => return bad(format!("qualifier {qualifier:?} is not key=value")),
            }
        }
        Ok(Self(text.to_owned()))
    }

    /// The object type: `cnt`, `dir`, `rev`, `rel` or `snp`.
    pub fn object_type(&self) -> &str {
        &self.0[6..9]
    }

    /// The identifier without qualifiers (`swh:1:<type>:<hash>`).
    pub fn core(&self) -> &str {
        self.0.split(';').next().unwrap_or(&self.0)
    }

    /// A link to the object in the Software Heritage archive.
    pub fn url(&self) -> String {
        format!("https://archive.softwareheritage.org/{}", self.0)
    }
}

/// A persistent identifier of a project, serialised as `{"scheme": "doi", "value": "10..."}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(tag = "scheme", content = "value", rename_all = "kebab-case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Identifier {
    /// A DOI, usually of a release archived on Zenodo or of a paper describing the project.
    Doi(Doi),
    /// A Software Heritage ID of archived source code.
    Swhid(Swhid),
}

impl Identifier {
    /// The identifier's text, without its scheme.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Doi(doi) => doi.as_str(),
            Self::Swhid(swhid) => swhid.as_str(),
        }
    }

    /// A link that resolves the identifier.
    pub fn url(&self) -> String {
        match self {
            Self::Doi(doi) => doi.url(),
            Self::Swhid(swhid) => swhid.url(),
        }
    }
}

impl std::fmt::Display for Identifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Doi(doi) => write!(f, "doi:{doi}"),
            Self::Swhid(swhid) => f.write_str(swhid.as_str()),
        }
    }
}

impl ToValue for Identifier {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "d198bc9d7a6bcf6db04f476d29314f157507d505";

    #[test]
    fn dois_are_stored_bare() {
        for input in [
            "10.5281/zenodo.1234567",
            "https://doi.org/10.5281/zenodo.1234567",
            "DOI:10.5281/zenodo.1234567",
        ] {
            assert_eq!(
                Doi::parse(input).unwrap().as_str(),
                "10.5281/zenodo.1234567"
            );
        }
        assert_eq!(
            Doi::parse("10.1016/j.nima.2016.06.125").unwrap().url(),
            "https://doi.org/10.1016/j.nima.2016.06.125"
        );
    }

    #[test]
    fn doi_syntax_errors_say_what_is_wrong() {
        let cases = [
            ("11.5281/zenodo.1", "does not start with \"10.\""),
            ("10.5281", "no '/'"),
            ("10.abc/x", "dot-separated digits"),
            ("10.5281/", "suffix after '/' is empty"),
            ("10.5281/a b", "whitespace"),
        ];
        for (input, problem) in cases {
            let e = Doi::parse(input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
        }
        assert!(matches!(
            Doi::parse("doi:"),
            Err(ValidationError::Empty { .. })
        ));
    }

    #[test]
    fn swhids_are_checked() {
        let core = format!("swh:1:dir:{HASH}");
        let swhid = Swhid::parse(&core).unwrap();
        assert_eq!(swhid.object_type(), "dir");
        let qualified =
            format!("{core};origin=https://github.com/root-project/root;visit=swh:1:snp:{HASH}");
        let swhid = Swhid::parse(&qualified).unwrap();
        assert_eq!(swhid.core(), core);

        let cases = [
            (format!("swh:2:dir:{HASH}"), "scheme version \"2\""),
            (format!("swh:1:file:{HASH}"), "object type \"file\""),
            ("swh:1:dir:ABC".to_owned(), "40 lowercase hexadecimal"),
            (format!("swh:1:dir:{}", HASH.to_uppercase()), "40 lowercase"),
            (format!("{core};colour=red"), "qualifier \"colour\""),
            (format!("{core};origin"), "not key=value"),
            ("doi:10.1/x".to_owned(), "four ':'-separated parts"),
        ];
        for (input, problem) in cases {
            let e = Swhid::parse(&input).unwrap_err().to_string();
            assert!(e.contains(problem), "{input}: {e}");
        }
    }

    #[test]
    fn identifiers_serialise_with_their_scheme() {
        let id = Identifier::Doi(Doi::parse("10.5281/zenodo.1").unwrap());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#"{"scheme":"doi","value":"10.5281/zenodo.1"}"#);
        assert_eq!(serde_json::from_str::<Identifier>(&json).unwrap(), id);
        let bad = r#"{"scheme":"swhid","value":"swh:1:dir:xyz"}"#;
        assert!(serde_json::from_str::<Identifier>(bad).is_err());
    }
}
