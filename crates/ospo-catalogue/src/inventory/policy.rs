//! Licence policy per service context: which licence categories are not allowed (or need a
//! look) in which services. Violations are findings with a stable code and a severity; their
//! review state (open, accepted with a reason, to fix) is stored and kept across snapshots.

use ospo_core::{Criticality, Exposure, Scope, Service};
use serde::{Deserialize, Serialize};

/// How serious a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Not allowed: the component must go, or the OSPO must accept it with a reason.
    Error,
    /// Needs a look by the OSPO.
    Warning,
}

/// One rule of a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// A stable code (`INV001`), used to set review states.
    pub code: String,
    /// What the rule says, in a few words.
    pub title: String,
    /// How serious a violation is.
    pub severity: Severity,
    /// The licence categories (`network-copyleft`, `strong-copyleft`, `non-free`, `unknown`,
    /// ...) the rule is about.
    pub categories: Vec<String>,
    /// Only in services with this exposure (any when absent).
    #[serde(default)]
    pub exposure: Option<Exposure>,
    /// Only in services with one of these criticalities (any when empty).
    #[serde(default)]
    pub criticality: Vec<Criticality>,
    /// Uses with these scopes are not looked at (development and test tools are not shipped).
    #[serde(default)]
    pub skip_scopes: Vec<Scope>,
    /// What to do about a violation, and why the rule exists.
    pub advice: String,
}

impl Rule {
    /// Whether the rule looks at a use of a component of `category`, with `scope`, in `service`.
    pub fn applies(&self, service: &Service, category: &str, scope: Scope) -> bool {
        self.categories.iter().any(|c| c == category)
            && self.exposure.is_none_or(|e| e == service.exposure)
            && (self.criticality.is_empty() || self.criticality.contains(&service.criticality))
            && !self.skip_scopes.contains(&scope)
    }
}

/// A licence policy: the rules, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The rules.
    pub rules: Vec<Rule>,
}

impl Default for Policy {
    /// The lab's default policy. Network copyleft (AGPL-3.0 §13) reaches users of a service
    /// over the network, so it is not allowed in externally exposed services; strong copyleft
    /// is a warning there (code served to browsers or clients handed out is distributed);
    /// non-free licences are not allowed anywhere; a component whose licence is unknown needs
    /// review.
    fn default() -> Self {
        let not_shipped = vec![Scope::Development, Scope::Test];
        Policy {
            rules: vec![
                Rule {
                    code: "INV001".into(),
                    title: "network copyleft in an externally exposed service".into(),
                    severity: Severity::Error,
                    categories: vec!["network-copyleft".into()],
                    exposure: Some(Exposure::External),
                    criticality: vec![],
                    skip_scopes: not_shipped.clone(),
                    advice: "AGPL-3.0 §13 (and similar clauses) oblige the service to offer its complete source to every user who interacts with it over the network; replace the component or accept with the OSPO's reasoning".into(),
                },
                Rule {
                    code: "INV002".into(),
                    title: "strong copyleft in an externally exposed service".into(),
                    severity: Severity::Warning,
                    categories: vec!["strong-copyleft".into()],
                    exposure: Some(Exposure::External),
                    criticality: vec![],
                    skip_scopes: not_shipped.clone(),
                    advice: "running the service is not distribution, but code served to browsers or clients handed out is: check whether this component is conveyed".into(),
                },
                Rule {
                    code: "INV003".into(),
                    title: "non-free licence".into(),
                    severity: Severity::Error,
                    categories: vec!["non-free".into()],
                    exposure: None,
                    criticality: vec![],
                    skip_scopes: vec![],
                    advice: "field-of-use or commercial restrictions: the OSPO must check the terms before the lab relies on it".into(),
                },
                Rule {
                    code: "INV004".into(),
                    title: "unknown licence".into(),
                    severity: Severity::Warning,
                    categories: vec!["unknown".into()],
                    exposure: None,
                    criticality: vec![Criticality::Critical],
                    skip_scopes: not_shipped,
                    advice: "the SBOM gives no licence the engine can classify (NOASSERTION, a LicenseRef, an unmatched text): find the licence and record it, or accept".into(),
                },
            ],
        }
    }
}

impl Policy {
    /// The licence categories some rule looks at.
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rules
            .iter()
            .flat_map(|r| r.categories.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Checks a policy read from a file: codes unique and categories known.
    pub fn check(&self) -> Result<(), String> {
        let mut codes: Vec<&str> = self.rules.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        if let Some(w) = codes.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("rule code {} is used twice", w[0]));
        }
        for r in &self.rules {
            for c in &r.categories {
                if c.parse::<ospo_licence::Category>().is_err() {
                    return Err(format!(
                        "rule {}: unknown licence category '{c}': use one of {}",
                        r.code,
                        ospo_licence::Category::ALL
                            .iter()
                            .map(|c| c.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        Ok(())
    }
}
