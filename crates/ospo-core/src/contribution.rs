//! Contribution requests: a lab developer asks to contribute to an external project; the OSPO
//! advises and records its answer; significant contributions count in the yearly report.

use serde::{Deserialize, Serialize};

use crate::access::{Action, Actor, Denied, Target, may};
use crate::address::Url;
use crate::date::Timestamp;
use crate::error::{ValidationError, optional_text, require_text};
use crate::project::LicenceExpression;

/// The project the developer wants to contribute to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExternalProject {
    /// Its name.
    pub name: String,
    /// Its repository or home page.
    pub url: Url,
    /// Whether it serves fields other than physics (such contributions are reported apart).
    #[serde(default)]
    pub outside_physics: bool,
}

/// What the external project asks contributors to agree to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Agreement {
    /// Nothing beyond the licence ("inbound = outbound").
    #[default]
    None,
    /// The Developer Certificate of Origin: a `Signed-off-by` line per commit.
    Dco,
    /// A Contributor Licence Agreement.
    Cla {
        /// True for a corporate CLA, which the lab, not the developer, would have to sign.
        #[serde(default)]
        corporate: bool,
        /// The agreement's text.
        #[serde(default)]
        url: Option<Url>,
    },
}

named_enum! {
    /// The OSPO's answer to a request.
    pub enum AdviceVerdict("verdict") {
        /// Go ahead.
        Go => "go",
        /// Go ahead once the conditions in the advice are met.
        GoWithConditions => "go-with-conditions",
        /// Do not contribute.
        NoGo => "no-go",
    }
}

/// The advice recorded on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Advice {
    /// The advising OSPO member's actor id.
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// The answer.
    pub verdict: AdviceVerdict,
    /// The explanation and any conditions; required unless the verdict is a plain go.
    #[serde(default)]
    pub text: String,
}

/// A request to contribute to an external open-source project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContributionRequest {
    /// The catalogue's number for the request; 0 before it is stored.
    #[serde(default)]
    pub id: u64,
    /// The requesting developer's actor id.
    pub requester: String,
    /// Where the contribution goes.
    pub project: ExternalProject,
    /// The external project's licence.
    #[serde(default)]
    pub licence: Option<LicenceExpression>,
    /// What contributors must agree to.
    #[serde(default)]
    pub agreement: Agreement,
    /// Whether the project asks contributors to assign their copyright.
    #[serde(default)]
    pub copyright_assignment: bool,
    /// The hosting platform's terms that apply (`GitHub Terms of Service`), if relevant.
    #[serde(default)]
    pub platform_terms: Option<String>,
    /// What the developer wants to contribute.
    #[serde(default)]
    pub description: String,
    /// Whether the contribution is significant (a feature, sustained work), as opposed to a
    /// typo fix; significant ones are counted in the yearly report.
    #[serde(default)]
    pub significant: bool,
    /// The OSPO's advice, once given.
    #[serde(default)]
    pub advice: Option<Advice>,
    /// When the request was made.
    pub created_at: Timestamp,
    /// Incremented by the catalogue on every stored change (optimistic concurrency).
    #[serde(default)]
    pub version: u64,
}

impl ContributionRequest {
    /// Every rule the request breaks; empty when valid.
    pub fn problems(&self) -> Vec<ValidationError> {
        let mut results = vec![
            require_text("project.name", &self.project.name, 200),
            optional_text("description", &self.description, 10_000),
        ];
        if let Some(terms) = &self.platform_terms {
            results.push(require_text("platform_terms", terms, 500));
        }
        if let Some(advice) = &self.advice {
            results.push(match advice.verdict {
                AdviceVerdict::Go => optional_text("advice.text", &advice.text, 10_000),
                _ => require_text("advice.text", &advice.text, 10_000),
            });
        }
        results.into_iter().filter_map(Result::err).collect()
    }

    /// Records `actor`'s advice at `at`, replacing earlier advice. Only OSPO members may advise.
    pub fn advise(
        &mut self,
        verdict: AdviceVerdict,
        text: impl Into<String>,
        actor: &Actor,
        at: Timestamp,
    ) -> Result<(), Denied> {
        may(
            actor,
            Action::AdviseContribution,
            &Target::Contribution {
                requester: &self.requester,
            },
        )?;
        self.advice = Some(Advice {
            by: actor.id.clone(),
            at,
            verdict,
            text: text.into(),
        });
        Ok(())
    }

    /// Whether the request counts as a contribution in the yearly report: significant, and
    /// advised to go ahead.
    pub fn counts_for_report(&self) -> bool {
        self.significant
            && self
                .advice
                .as_ref()
                .is_some_and(|a| a.verdict != AdviceVerdict::NoGo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn request() -> ContributionRequest {
        ContributionRequest {
            id: 1,
            requester: "dev1".into(),
            project: ExternalProject {
                name: "scikit-image".into(),
                url: Url::parse("https://github.com/scikit-image/scikit-image").unwrap(),
                outside_physics: true,
            },
            licence: Some(LicenceExpression::parse("BSD-3-Clause").unwrap()),
            agreement: Agreement::Cla {
                corporate: true,
                url: None,
            },
            copyright_assignment: false,
            platform_terms: Some("GitHub Terms of Service".into()),
            description: "A faster watershed segmentation".into(),
            significant: true,
            advice: None,
            created_at: Timestamp::parse("2026-02-01T09:00:00Z").unwrap(),
            version: 0,
        }
    }

    #[test]
    fn only_ospo_members_advise_and_advice_counts_in_the_report() {
        let mut r = request();
        let at = Timestamp::parse("2026-02-03T09:00:00Z").unwrap();
        let developer = Actor::new("dev1", "Developer", [Role::Maintainer]);
        let e = r
            .advise(AdviceVerdict::Go, "", &developer, at.clone())
            .unwrap_err();
        assert!(e.to_string().contains("only OSPO members may"), "{e}");
        assert!(!r.counts_for_report());

        let ospo = Actor::new("ospo1", "OSPO", [Role::OspoMember]);
        r.advise(AdviceVerdict::GoWithConditions, "", &ospo, at.clone())
            .unwrap();
        assert_eq!(
            r.problems()[0].to_string(),
            "advice.text is empty; expected some text"
        );
        r.advise(
            AdviceVerdict::GoWithConditions,
            "The lab signs the CLA first.",
            &ospo,
            at,
        )
        .unwrap();
        assert!(r.problems().is_empty());
        assert!(r.counts_for_report());
    }

    #[test]
    fn agreements_serialise_with_a_type() {
        let json = serde_json::to_value(request()).unwrap();
        assert_eq!(
            json["agreement"],
            serde_json::json!({"type": "cla", "corporate": true, "url": null})
        );
        let dco: Agreement = serde_json::from_str(r#"{"type":"dco"}"#).unwrap();
        assert_eq!(dco, Agreement::Dco);
        assert_eq!(
            serde_json::from_value::<ContributionRequest>(json).unwrap(),
            request()
        );
    }
}
