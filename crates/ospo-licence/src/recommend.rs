//! Outbound licence recommendation: which licences a work with these inbound licences can be
//! released under, best first, each with why.

use crate::LicenceError;
use crate::engine::{Engine, outbound_term};
use crate::expr::{Expression, LicenceId, Mode};
use crate::model::{Category, PatentGrant, Use, Verdict};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What the authors prefer for their own work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Preference {
    /// As few obligations as possible for re-users.
    Permissive,
    /// Changes to the work itself stay open; larger works may use other terms.
    WeakCopyleft,
    /// Every derived work stays open.
    StrongCopyleft,
}

impl FromStr for Preference {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "permissive" => Ok(Preference::Permissive),
            "weak-copyleft" | "weak" => Ok(Preference::WeakCopyleft),
            "strong-copyleft" | "strong" | "copyleft" => Ok(Preference::StrongCopyleft),
            _ => Err(format!(
                "unknown preference '{s}': expected permissive, weak-copyleft or strong-copyleft"
            )),
        }
    }
}

/// Whether the work is software or a hardware design.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Domain {
    /// Source code.
    Software,
    /// Hardware design sources (schematics, HDL, layouts, mechanical drawings).
    Hardware,
}

impl FromStr for Domain {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "software" => Ok(Domain::Software),
            "hardware" => Ok(Domain::Hardware),
            _ => Err(format!("unknown kind '{s}': expected software or hardware")),
        }
    }
}

/// Candidate outbound licences for software, in the order recommended when all else is equal:
/// permissive with an express patent grant first, then weak and strong copyleft.
pub const SOFTWARE_CANDIDATES: &[&str] = &[
    "Apache-2.0",
    "MIT",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "MPL-2.0",
    "EUPL-1.2",
    "LGPL-3.0-or-later",
    "LGPL-2.1-or-later",
    "GPL-3.0-or-later",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-2.0-only",
    "AGPL-3.0-or-later",
    "AGPL-3.0-only",
];

/// Candidate outbound licences for hardware designs: the CERN Open Hardware Licences first.
pub const HARDWARE_CANDIDATES: &[&str] = &[
    "CERN-OHL-P-2.0",
    "CERN-OHL-W-2.0",
    "CERN-OHL-S-2.0",
    "SHL-2.1",
    "TAPR-OHL-1.0",
];

/// One recommended outbound licence.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recommendation {
    /// SPDX id.
    pub licence: String,
    /// Its category.
    pub category: Category,
    /// `yes`, or `depends` with conditions.
    pub verdict: Verdict,
    /// Why it is recommended, and at what rank.
    pub reason: String,
    /// Conditions that come with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
}

fn matches_preference(c: Category, p: Preference) -> bool {
    match p {
        Preference::Permissive => c.is_permissive(),
        Preference::WeakCopyleft => matches!(
            c,
            Category::WeakCopyleftFile | Category::WeakCopyleftLibrary
        ),
        Preference::StrongCopyleft => {
            matches!(c, Category::StrongCopyleft | Category::NetworkCopyleft)
        }
    }
}

/// Recommends outbound licences for inbound expressions (lenient parsing).
pub fn recommend(
    inbound: &[&str],
    use_: Use,
    preference: Option<Preference>,
    domain: Option<Domain>,
) -> Result<(Vec<Recommendation>, Vec<crate::Warning>), LicenceError> {
    if inbound.is_empty() {
        return Err(LicenceError::NoInbound);
    }
    let mut parsed = Vec::new();
    let mut warnings = Vec::new();
    for s in inbound {
        let (e, w) = Expression::parse_with(s, Mode::Lenient)?;
        parsed.push(e);
        warnings.extend(w);
    }
    Ok((
        recommend_parsed(&Engine::new(), &parsed, use_, preference, domain),
        warnings,
    ))
}

/// Recommends outbound licences for parsed inbound expressions.
pub fn recommend_parsed(
    engine: &Engine,
    inbound: &[Expression],
    use_: Use,
    preference: Option<Preference>,
    domain: Option<Domain>,
) -> Vec<Recommendation> {
    let kb = engine.knowledge();
    let hardware = domain == Some(Domain::Hardware)
        || (domain.is_none()
            && inbound
                .iter()
                .flat_map(|e| e.terms())
                .any(|t| t.spdx().is_some_and(|id| kb.profile(id).hardware.is_some())));
    let candidates: Vec<&str> = if hardware {
        HARDWARE_CANDIDATES
            .iter()
            .chain(SOFTWARE_CANDIDATES)
            .copied()
            .collect()
    } else {
        SOFTWARE_CANDIDATES.to_vec()
    };
    let mut out: Vec<(u8, usize, Recommendation)> = Vec::new();
    for (rank, cand) in candidates.iter().enumerate() {
        let Ok(term) = outbound_term(cand) else {
            continue;
        };
        let Some(id) = LicenceId::find(cand) else {
            continue;
        };
        let profile = kb.profile(id);
        let out_expr = Expression::Term(term);
        let verdict = engine.verdict_all(inbound, &out_expr, use_);
        if !matches!(verdict, Verdict::Yes | Verdict::Depends) {
            continue;
        }
        let category = profile.category.value;
        let preferred = preference.is_none_or(|p| matches_preference(category, p));
        let mut reason = format!(
            "{cand} ({category}) accepts every inbound licence for {use_}{}",
            if verdict == Verdict::Depends {
                ", under conditions"
            } else {
                ""
            }
        );
        if profile.patent_grant.value == PatentGrant::Express {
            reason.push_str("; it grants patent rights expressly");
        }
        if let Some(h) = &profile.hardware {
            reason.push_str(&format!("; covers {}", h.value));
        }
        if let Some(p) = preference
            && !preferred
        {
            reason.push_str(&format!("; not of the preferred kind ({p:?})"));
        }
        let conditions = if verdict == Verdict::Depends {
            engine
                .report_with(inbound.to_vec(), out_expr, use_, Vec::new(), false)
                .conditions
        } else {
            Vec::new()
        };
        let key = u8::from(!preferred) * 2 + u8::from(verdict != Verdict::Yes);
        out.push((
            key,
            rank,
            Recommendation {
                licence: (*cand).to_owned(),
                category,
                verdict,
                reason,
                conditions,
            },
        ));
    }
    out.sort_by_key(|(k, r, _)| (*k, *r));
    out.into_iter().map(|(_, _, r)| r).collect()
}
