//! The licence recommendation for a disclosure, computed by the licence engine from the
//! dependency licences and the submitter's ambitions, with reasons and sources.

use ospo_core::disclosure::Disclosure;
use ospo_core::{LicencePreference, ProjectKind};
use ospo_licence::{
    Domain, Engine, Expression, Mode, OSADL_VERSION, Preference, Source, Use, Verdict,
    spdx_list_version,
};
use serde::Serialize;

/// What the engine recommends for a disclosure, and why.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EngineAdvice {
    /// The recommended outbound licence; none when no candidate accepts every dependency.
    pub licence: Option<String>,
    /// Why, one reason per line: the dependencies seen, the ambitions weighed, the engine's
    /// verdict.
    pub reasons: Vec<String>,
    /// Conditions that come with the recommended licence (notices to keep, sources to offer).
    pub conditions: Vec<String>,
    /// Other licences that would also work, best first.
    pub alternatives: Vec<String>,
    /// The dependency licences judged, as the engine read them.
    pub inbound: Vec<String>,
    /// Dependency licences the engine could not read (to be checked by hand).
    pub unreadable: Vec<String>,
    /// How combination was judged: `merged` (one combined work, OSADL's view).
    #[serde(rename = "use")]
    pub use_: Use,
    /// Every source the verdicts rest on, with its version.
    pub sources: Vec<Source>,
}

impl EngineAdvice {
    /// The reasons as the recommendation's text, one per line.
    pub fn reason_lines(&self) -> Vec<String> {
        let mut lines = self.reasons.clone();
        if !self.sources.is_empty() {
            let names: Vec<String> = self
                .sources
                .iter()
                .map(|s| format!("{} ({})", s.title, s.version))
                .collect();
            lines.push(format!("sources: {}", names.join("; ")));
        }
        lines
    }
}

/// The engine's recommendation for `d`: its dependency licences are the inbound licences,
/// judged as one merged work (the conservative reading); the preference in its ambitions
/// ranks licences of that kind first; its intended licence is kept when it accepts every
/// dependency; hardware gets the open-hardware licences first.
pub fn engine_advice(d: &Disclosure) -> EngineAdvice {
    let engine = Engine::new();
    let use_ = Use::Merged;
    let deps = &d.dependencies;
    let mut inbound = Vec::new();
    let mut unreadable = Vec::new();
    for text in deps.licences.keys() {
        match Expression::parse_with(text, Mode::Lenient) {
            Ok((e, _)) => inbound.push(e),
            Err(_) => unreadable.push(text.clone()),
        }
    }
    let mut reasons = Vec::new();
    if deps.licences.is_empty() && deps.components == 0 {
        reasons.push(
            "no dependencies are recorded: every candidate licence is open to the work".to_owned(),
        );
    } else {
        let counts: Vec<String> = deps
            .licences
            .iter()
            .map(|(l, n)| format!("{l} ({n})"))
            .collect();
        reasons.push(format!(
            "dependencies{}: {} component(s); licences: {}",
            deps.source
                .as_deref()
                .map(|s| format!(" from {s}"))
                .unwrap_or_default(),
            deps.components,
            if counts.is_empty() {
                "none recorded".to_owned()
            } else {
                counts.join(", ")
            }
        ));
    }
    if deps.unknown_licences > 0 {
        reasons.push(format!(
            "{} component(s) have no known licence: they must be cleared before publishing",
            deps.unknown_licences
        ));
    }
    if !unreadable.is_empty() {
        reasons.push(format!(
            "not a licence expression the engine can read, left out of the verdict: {}",
            unreadable.join(", ")
        ));
    }
    let preference = d.ambitions.preference.map(|p| match p {
        LicencePreference::Permissive => Preference::Permissive,
        LicencePreference::WeakCopyleft => Preference::WeakCopyleft,
        LicencePreference::StrongCopyleft => Preference::StrongCopyleft,
    });
    if let Some(p) = d.ambitions.preference {
        reasons.push(format!("the submitter prefers a {p} licence"));
    }
    let domain = match d.kind {
        ProjectKind::Software => Domain::Software,
        _ => Domain::Hardware,
    };
    let ranked = ospo_licence::recommend_parsed(&engine, &inbound, use_, preference, Some(domain));
    let intended = d
        .intended_licence
        .as_ref()
        .and_then(|l| Expression::parse_with(l.as_str(), Mode::Lenient).ok())
        .map(|(e, _)| e);
    let intended_fits = intended.as_ref().is_some_and(|e| {
        matches!(
            engine.verdict_all(&inbound, e, use_),
            Verdict::Yes | Verdict::Depends
        )
    });
    let chosen: Option<Expression> = if intended_fits {
        let e = intended.clone().expect("checked above");
        reasons.push(format!(
            "the submitter intends {e}, and it accepts every dependency licence"
        ));
        Some(e)
    } else {
        if let Some(e) = &intended {
            reasons.push(format!(
                "the intended licence {e} does not accept every dependency licence"
            ));
        }
        ranked.first().and_then(|r| {
            reasons.push(r.reason.clone());
            Expression::parse(&r.licence).ok()
        })
    };
    if !d.ambitions.commercial_interest.trim().is_empty() {
        reasons.push(
            "a commercial interest is recorded: Knowledge Transfer should see the request before it is approved"
                .to_owned(),
        );
    }
    let (conditions, mut sources) = match &chosen {
        Some(out) => {
            let report = engine.report(inbound.clone(), out.clone(), use_, Vec::new());
            (report.conditions, report.sources)
        }
        None => {
            reasons.push(
                "no candidate licence accepts every dependency licence: remove or replace the dependencies named above, or ask the OSPO"
                    .to_owned(),
            );
            (Vec::new(), Vec::new())
        }
    };
    if sources.is_empty() {
        sources.push(Source {
            key: "spdx-license-list".into(),
            title: "SPDX License List".into(),
            publisher: "The Linux Foundation".into(),
            url: "https://spdx.org/licenses/".into(),
            version: spdx_list_version().to_owned(),
        });
    }
    reasons.push(format!(
        "judged as one merged work (OSADL matrix {OSADL_VERSION}, SPDX licence list {})",
        spdx_list_version()
    ));
    let chosen_text = chosen.as_ref().map(ToString::to_string);
    EngineAdvice {
        alternatives: ranked
            .iter()
            .map(|r| r.licence.clone())
            .filter(|l| Some(l) != chosen_text.as_ref())
            .take(4)
            .collect(),
        licence: chosen_text,
        reasons,
        conditions,
        inbound: inbound.iter().map(ToString::to_string).collect(),
        unreadable,
        use_,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ospo_core::{LicenceExpression, Timestamp};

    fn disclosure(kind: ProjectKind, deps: &[(&str, u32)]) -> Disclosure {
        let mut d = Disclosure::new(
            "Fitter",
            kind,
            "dev1",
            Timestamp::parse("2026-03-01T10:00:00Z").unwrap(),
        );
        for (l, n) in deps {
            d.dependencies.licences.insert((*l).to_owned(), *n);
            d.dependencies.components += n;
        }
        d
    }

    #[test]
    fn permissive_dependencies_give_a_permissive_licence_with_sources() {
        let a = engine_advice(&disclosure(
            ProjectKind::Software,
            &[("MIT", 10), ("BSD-3-Clause", 2)],
        ));
        assert_eq!(a.licence.as_deref(), Some("Apache-2.0"));
        assert!(a.reasons[0].contains("MIT (10)"), "{:?}", a.reasons);
        assert!(
            a.sources.iter().any(|s| s.key == "osadl-matrix"),
            "{:?}",
            a.sources
        );
        assert!(a.alternatives.contains(&"MIT".to_owned()));
    }

    #[test]
    fn a_gpl_dependency_leads_to_the_gpl_and_the_intended_licence_is_checked() {
        let mut d = disclosure(
            ProjectKind::Software,
            &[("GPL-3.0-or-later", 1), ("MIT", 3)],
        );
        d.intended_licence = Some(LicenceExpression::parse("Apache-2.0").unwrap());
        let a = engine_advice(&d);
        assert!(
            a.licence
                .as_deref()
                .is_some_and(|l| l.starts_with("GPL-3.0")),
            "{a:?}"
        );
        assert!(
            a.reasons
                .iter()
                .any(|r| r.contains("intended licence Apache-2.0 does not accept")),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn ambitions_weigh_in_and_hardware_gets_cern_ohl() {
        let mut d = disclosure(ProjectKind::Software, &[("MIT", 1)]);
        d.ambitions.preference = Some(LicencePreference::StrongCopyleft);
        d.ambitions.commercial_interest = "a spin-off".into();
        let a = engine_advice(&d);
        // The engine ranks copyleft candidates first: the EUPL, then the GPL family.
        assert_eq!(a.licence.as_deref(), Some("EUPL-1.2"), "{a:?}");
        assert!(a.alternatives.contains(&"GPL-3.0-or-later".to_owned()));
        assert!(a.reasons.iter().any(|r| r.contains("Knowledge Transfer")));
        let hw = engine_advice(&disclosure(ProjectKind::Hardware, &[]));
        assert_eq!(hw.licence.as_deref(), Some("CERN-OHL-P-2.0"), "{hw:?}");
        assert!(hw.reasons[0].contains("no dependencies"));
    }
}
