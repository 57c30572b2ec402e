//! A compatibility question as the frontends receive it (a batch line, an HTTP body or query,
//! a JavaScript or Python call): one place reads it and runs it.

use crate::LicenceError;
use crate::engine::{Check, Engine};
use crate::expr::Mode;
use crate::model::Use;
use serde::{Deserialize, Serialize};

/// `{"inbound": "..." | ["...", ...], "outbound": "...", "use": "...", "strict": false}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// One inbound expression, or several that all apply.
    pub inbound: Inbound,
    /// The outbound licence.
    pub outbound: String,
    /// The use (`merged`, `static-link`, `dynamic-link`, `separate`, `network`); the caller's
    /// default when absent.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    /// Accept only exact SPDX expressions.
    #[serde(default)]
    pub strict: bool,
}

/// One inbound expression or several.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Inbound {
    /// A single expression.
    One(String),
    /// Several expressions, all of which apply.
    Many(Vec<String>),
}

impl CheckRequest {
    /// Runs the question; `default_use` applies when the request names none, and
    /// `force_strict` makes every request strict (a caller's `--strict`).
    pub fn run(
        &self,
        engine: &Engine,
        default_use: Use,
        force_strict: bool,
    ) -> Result<Check, LicenceError> {
        let use_ = match &self.use_ {
            Some(u) => u.parse::<Use>().map_err(LicenceError::InvalidUse)?,
            None => default_use,
        };
        let inbound: Vec<&str> = match &self.inbound {
            Inbound::One(s) => vec![s.as_str()],
            Inbound::Many(v) => v.iter().map(String::as_str).collect(),
        };
        let mode = if self.strict || force_strict {
            Mode::Strict
        } else {
            Mode::Lenient
        };
        engine.check(&inbound, &self.outbound, use_, mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_or_many_inbound_and_a_default_use() {
        let engine = Engine::new();
        let r: CheckRequest =
            serde_json::from_str(r#"{"inbound": "LGPL-2.1-only", "outbound": "MIT"}"#).unwrap();
        assert_eq!(
            r.run(&engine, Use::DynamicLink, false).unwrap().verdict,
            crate::Verdict::Yes
        );
        assert_eq!(
            r.run(&engine, Use::Merged, false).unwrap().verdict,
            crate::Verdict::No
        );
        let r: CheckRequest = serde_json::from_str(
            r#"{"inbound": ["MIT", "Apache 2.0"], "outbound": "GPL-3.0-only", "use": "merged"}"#,
        )
        .unwrap();
        assert_eq!(
            r.run(&engine, Use::DynamicLink, false).unwrap().verdict,
            crate::Verdict::Yes
        );
        assert!(
            r.run(&engine, Use::Merged, true).is_err(),
            "strict refuses 'Apache 2.0'"
        );
        let bad: CheckRequest =
            serde_json::from_str(r#"{"inbound": "MIT", "outbound": "MIT", "use": "linked"}"#)
                .unwrap();
        let err = bad
            .run(&engine, Use::Merged, false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown use 'linked'"), "{err}");
        assert!(
            serde_json::from_str::<CheckRequest>(
                r#"{"inbound": "MIT", "outbound": "MIT", "usage": "x"}"#
            )
            .is_err()
        );
    }
}
