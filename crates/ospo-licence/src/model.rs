//! The vocabulary of the engine: uses, verdicts, categories and the citations behind them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How the inbound component is combined with the work that carries the outbound licence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Use {
    /// Code merged into one combined work (OSADL's view).
    Merged,
    /// Linked statically into one executable.
    StaticLink,
    /// Linked dynamically (shared library, plugin loaded at run time).
    DynamicLink,
    /// Shipped side by side (an aggregate), or a tool used only at build time.
    Separate,
    /// Offered to users as a network service, not distributed.
    Network,
}

impl Use {
    /// All uses, in the order they are usually discussed.
    pub const ALL: [Use; 5] = [
        Use::Merged,
        Use::StaticLink,
        Use::DynamicLink,
        Use::Separate,
        Use::Network,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Use::Merged => "merged",
            Use::StaticLink => "static-link",
            Use::DynamicLink => "dynamic-link",
            Use::Separate => "separate",
            Use::Network => "network",
        }
    }

    /// Whether the combination is distributed to others (every use but `network`).
    pub fn is_distribution(self) -> bool {
        !matches!(self, Use::Network)
    }
}

impl fmt::Display for Use {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Use {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "merged" | "merge" | "snippet" | "combined" => Ok(Use::Merged),
            "static-link" | "static" | "static-linking" => Ok(Use::StaticLink),
            "dynamic-link" | "dynamic" | "dynamic-linking" => Ok(Use::DynamicLink),
            "separate" | "aggregate" | "tool" | "build-tool" => Ok(Use::Separate),
            "network" | "saas" | "network-service" => Ok(Use::Network),
            _ => Err(format!(
                "unknown use '{s}': expected one of merged, static-link, dynamic-link, separate, network"
            )),
        }
    }
}

/// The answer to "may these be combined under that licence for this use?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Compatible; any obligations are listed as conditions.
    Yes,
    /// Compatible only if the listed conditions hold.
    Depends,
    /// No basis to decide: neither a licence text nor published guidance settles it.
    Unknown,
    /// Incompatible.
    No,
}

impl Verdict {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Yes => "yes",
            Verdict::Depends => "depends",
            Verdict::Unknown => "unknown",
            Verdict::No => "no",
        }
    }

    /// Rank for choosing among OR branches: lower is better.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Verdict::Yes => 0,
            Verdict::Depends => 1,
            Verdict::Unknown => 2,
            Verdict::No => 3,
        }
    }

    /// Combination for AND: the worst of the two.
    pub fn and(self, other: Verdict) -> Verdict {
        if self.rank() >= other.rank() {
            self
        } else {
            other
        }
    }

    /// Combination for OR: the best of the two (the recipient chooses the branch).
    pub fn or(self, other: Verdict) -> Verdict {
        if self.rank() <= other.rank() {
            self
        } else {
            other
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Verdict {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" => Ok(Verdict::Yes),
            "no" => Ok(Verdict::No),
            "depends" => Ok(Verdict::Depends),
            "unknown" => Ok(Verdict::Unknown),
            _ => Err(format!(
                "unknown verdict '{s}': expected yes, no, depends or unknown"
            )),
        }
    }
}

/// What kind of obligations a licence places on combined works.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// A dedication to the public domain or an equivalent waiver.
    PublicDomain,
    /// Notice conditions only.
    Permissive,
    /// Copyleft limited to the licensed files; larger works may use other terms.
    WeakCopyleftFile,
    /// Copyleft limited to the library; works that use it may use other terms.
    WeakCopyleftLibrary,
    /// Copyleft over the whole combined work when distributed.
    StrongCopyleft,
    /// Strong copyleft that also applies when the work is offered over a network.
    NetworkCopyleft,
    /// Not a free or open-source licence (field-of-use or commercial restrictions, source-available).
    NonFree,
    /// Not reviewed: no basis to classify.
    Unknown,
}

impl Category {
    /// All categories.
    pub const ALL: [Category; 8] = [
        Category::PublicDomain,
        Category::Permissive,
        Category::WeakCopyleftFile,
        Category::WeakCopyleftLibrary,
        Category::StrongCopyleft,
        Category::NetworkCopyleft,
        Category::NonFree,
        Category::Unknown,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::PublicDomain => "public-domain",
            Category::Permissive => "permissive",
            Category::WeakCopyleftFile => "weak-copyleft-file",
            Category::WeakCopyleftLibrary => "weak-copyleft-library",
            Category::StrongCopyleft => "strong-copyleft",
            Category::NetworkCopyleft => "network-copyleft",
            Category::NonFree => "non-free",
            Category::Unknown => "unknown",
        }
    }

    /// Whether the licence has any copyleft (weak, strong or network).
    pub fn is_copyleft(self) -> bool {
        matches!(
            self,
            Category::WeakCopyleftFile
                | Category::WeakCopyleftLibrary
                | Category::StrongCopyleft
                | Category::NetworkCopyleft
        )
    }

    /// Whether the licence only asks for notices (or nothing at all).
    pub fn is_permissive(self) -> bool {
        matches!(self, Category::PublicDomain | Category::Permissive)
    }

    /// The broader family shown in facets: permissive, weak copyleft, strong copyleft, other.
    pub fn family(self) -> &'static str {
        match self {
            Category::PublicDomain | Category::Permissive => "permissive",
            Category::WeakCopyleftFile | Category::WeakCopyleftLibrary => "weak-copyleft",
            Category::StrongCopyleft | Category::NetworkCopyleft => "strong-copyleft",
            Category::NonFree => "non-free",
            Category::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Category {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == wanted)
            .or(match wanted.as_str() {
                "weak-copyleft" => Some(Category::WeakCopyleftFile),
                "copyleft" => Some(Category::StrongCopyleft),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "unknown category '{s}': expected one of {}",
                    Category::ALL.map(Category::as_str).join(", ")
                )
            })
    }
}

/// Whether a licence grants patent rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PatentGrant {
    /// An express patent licence.
    Express,
    /// The licence says nothing about patents.
    None,
    /// The licence expressly keeps patent rights out (e.g. CC0-1.0 §4(a)).
    Excluded,
    /// Implied or disputed.
    Unclear,
    /// Not reviewed.
    Unknown,
}

/// Whether later versions of the licence may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OrLater {
    /// The licence text itself lets the recipient use later versions (e.g. MPL-2.0 §10.2).
    LicenseeMayChooseLater,
    /// Later versions apply only when the licensor says so (the GNU "or any later version").
    OnlyIfStated,
    /// The licence has no versioning provision.
    None,
    /// Versioning does not apply (e.g. a public-domain dedication).
    NotApplicable,
    /// Not reviewed.
    Unknown,
}

/// A published text that a fact or verdict rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Source {
    /// Stable key, e.g. `osadl-matrix`.
    pub key: String,
    /// Title of the text.
    pub title: String,
    /// Who publishes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher: String,
    /// Where to read it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Which version or date was used.
    pub version: String,
}

/// A reference to a source, down to the clause.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// Key of the [`Source`].
    pub source: String,
    /// The clause, section or entry within the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// A short quotation or paraphrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Citation {
    /// A citation of a source, optionally with a clause.
    pub fn new(source: &str, clause: Option<&str>) -> Citation {
        Citation {
            source: source.to_owned(),
            clause: clause.map(str::to_owned),
            note: None,
        }
    }
}

/// A value together with what it rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(rename = "Fact_{T}")
)]
pub struct Fact<T> {
    /// The value.
    pub value: T,
    /// Its basis; empty only for `unknown` values.
    pub basis: Vec<Citation>,
}

impl<T> Fact<T> {
    /// A value resting on the given citations.
    pub fn new(value: T, basis: Vec<Citation>) -> Fact<T> {
        Fact { value, basis }
    }
}
