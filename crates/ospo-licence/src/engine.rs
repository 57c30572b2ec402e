//! The compatibility engine: may these inbound licences be combined into a work under that
//! outbound licence, for this use, and why.
//!
//! Verdicts are computed cheaply as a `(Verdict, Why)` pair; explanations, sources and
//! conditions are rendered from the `Why` only when a report is asked for.

use crate::LicenceError;
use crate::expr::{
    ExceptionId, ExceptionName, Expression, LicenceId, LicenceName, Mode, Term, Warning,
};
use crate::kb::{Disputed, KnowledgeBase};
use crate::model::{Category, Citation, Source, Use, Verdict};
use crate::osadl::{Matrix, OsadlValue};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// Why a pair got its verdict; rendered into words and citations on demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    Osadl { out: u16, inb: u16 },
    Rule(u32),
    Same,
    InboundRef,
    OrLater { chosen: LicenceId },
    Permissive,
    Copyleft,
    NonFree,
    Uncategorised,
    Aggregate,
    NetworkNoConveying,
    NetworkAsMerged,
    LinkLibrary,
    LinkFile,
    LinkAsMerged,
    LinkingException(ExceptionId),
    ExceptionOutOfScope(ExceptionId),
    ExceptionNotModelled(ExceptionId),
    OtherTermsOutbound,
    LinkIntoCopyleft,
    NetworkOutboundCopyleft,
    PermissiveIntoCopyleft,
}

/// Exceptions whose purpose is to let the licensed code be linked into programs under any terms.
const LINKING_EXCEPTIONS: &[&str] = &[
    "Classpath-exception-2.0",
    "GCC-exception-2.0",
    "GCC-exception-3.1",
    "GNAT-exception",
    "LGPL-3.0-linking-exception",
    "LLVM-exception",
    "OCaml-LGPL-linking-exception",
    "Qt-LGPL-exception-1.1",
    "Universal-FOSS-exception-1.0",
    "WxWindows-exception-3.1",
    "eCos-exception-2.0",
    "FLTK-exception",
    "mif-exception",
];

/// Linking exceptions that only cover linking with free or open-source software.
const FOSS_ONLY_EXCEPTIONS: &[&str] = &["Universal-FOSS-exception-1.0"];

/// One inbound licence judged against one outbound licence.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// The inbound term.
    pub inbound: String,
    /// The outbound licence.
    pub outbound: String,
    /// The verdict for this pair.
    pub verdict: Verdict,
    /// Why, in plain words.
    pub explanation: String,
    /// What the verdict rests on.
    pub basis: Vec<Citation>,
    /// Conditions (for `depends`) or obligations that come with `yes`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// A published view that disagrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disputed: Option<Disputed>,
    /// OSADL's own value where the verdict is OSADL's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub osadl: Option<OsadlValue>,
}

/// The branch chosen in an OR.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Choice {
    /// The OR expression.
    pub expression: String,
    /// The branch taken.
    pub chosen: String,
    /// Every branch with its verdict.
    pub branches: Vec<(String, Verdict)>,
    /// Why this branch.
    pub reason: String,
}

/// A change that would make the combination work.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fix {
    /// `outbound` (choose another outbound licence) or `branch` (take another OR branch).
    pub kind: &'static str,
    /// The licence or branch to take.
    pub take: String,
    /// The verdict it would give.
    pub verdict: Verdict,
    /// Why.
    pub reason: String,
}

/// A full compatibility report.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Check {
    /// The overall verdict.
    pub verdict: Verdict,
    /// The inbound expressions, normalised.
    pub inbound: Vec<Expression>,
    /// The outbound licence, normalised.
    pub outbound: Expression,
    /// The use judged.
    #[serde(rename = "use")]
    pub use_: Use,
    /// A summary of the verdict and its reasons, naming its sources.
    pub explanation: String,
    /// Each inbound term that decided the verdict, judged against each outbound licence.
    pub findings: Vec<Finding>,
    /// The OR branches chosen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// The inbound terms that make the combination fail (no or unknown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<String>,
    /// Conditions and obligations that come with the verdict.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Other outbound licences or branches that would work.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    /// How lenient input was read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// Every source cited, with its version.
    pub sources: Vec<Source>,
}

/// The engine; cheap to create (the data is shared and built once).
#[derive(Clone, Copy)]
pub struct Engine {
    kb: &'static KnowledgeBase,
    osadl: &'static Matrix,
    later: &'static Later,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// Later versions of each licence, for `-or-later` and `+`.
struct Later {
    by_index: HashMap<usize, Vec<LicenceId>>,
}

fn split_version(name: &str) -> Option<(&str, &str, &str)> {
    let (stem, suffix) = if let Some(s) = name.strip_suffix("-or-later") {
        (s, "-or-later")
    } else if let Some(s) = name.strip_suffix("-only") {
        (s, "-only")
    } else {
        (name, "")
    };
    let (prefix, version) = stem.rsplit_once('-')?;
    (!version.is_empty() && version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
        .then_some((prefix, version, suffix))
}

fn version_key(v: &str) -> Vec<u32> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// A licence with its version parsed for ordering.
type Versioned = (Vec<u32>, LicenceId);

fn later_table() -> &'static Later {
    static LATER: OnceLock<Later> = OnceLock::new();
    LATER.get_or_init(|| {
        let mut families: HashMap<(&str, &str), Vec<Versioned>> = HashMap::new();
        for id in LicenceId::all().filter(|id| !id.is_deprecated()) {
            if let Some((prefix, version, suffix)) = split_version(id.name()) {
                if suffix == "-or-later" {
                    continue;
                }
                families
                    .entry((prefix, suffix))
                    .or_default()
                    .push((version_key(version), id));
            }
        }
        let mut by_index = HashMap::new();
        for id in LicenceId::all() {
            let Some((prefix, version, suffix)) = split_version(id.name()) else {
                continue;
            };
            let family_suffix = if suffix == "-or-later" {
                "-only"
            } else {
                suffix
            };
            let Some(members) = families.get(&(prefix, family_suffix)) else {
                continue;
            };
            let v = version_key(version);
            let mut later: Vec<Versioned> =
                members.iter().filter(|(mv, _)| *mv >= v).cloned().collect();
            later.sort_by(|a, b| a.0.cmp(&b.0));
            by_index.insert(id.index(), later.into_iter().map(|(_, id)| id).collect());
        }
        Later { by_index }
    })
}

fn is_linking_exception(e: ExceptionId) -> bool {
    LINKING_EXCEPTIONS.contains(&e.name()) || FOSS_ONLY_EXCEPTIONS.contains(&e.name())
}

/// Whether a linking exception covers linking into a work under `out`.
fn exception_covers(e: ExceptionId, out: &Term) -> bool {
    if FOSS_ONLY_EXCEPTIONS.contains(&e.name()) {
        return out
            .spdx()
            .is_some_and(|id| id.0.is_osi_approved() || id.0.is_fsf_free_libre());
    }
    LINKING_EXCEPTIONS.contains(&e.name())
}

impl Engine {
    /// The engine over the embedded knowledge.
    pub fn new() -> Engine {
        Engine {
            kb: KnowledgeBase::get(),
            osadl: Matrix::get(),
            later: later_table(),
        }
    }

    /// The knowledge base the engine uses.
    pub fn knowledge(&self) -> &'static KnowledgeBase {
        self.kb
    }

    fn or_later_versions(&self, t: &Term) -> Option<&'static [LicenceId]> {
        let id = t.spdx()?;
        if !(t.or_later || id.name().ends_with("-or-later")) {
            return None;
        }
        self.later
            .by_index
            .get(&id.index())
            .map(Vec::as_slice)
            .filter(|v| !v.is_empty())
    }

    /// Judges one inbound term against one outbound term: the verdict and why (no text).
    pub(crate) fn judge(&self, inb: &Term, out: &Term, use_: Use) -> (Verdict, Why) {
        if use_ == Use::Merged
            && !inb.or_later
            && !out.or_later
            && let Some(cell) = self.osadl_pair(inb, out)
        {
            return cell;
        }
        if let Some(out_id) = out.spdx()
            && let Some((i, r)) = self.kb.rule(inb, out_id, use_)
        {
            return (r.verdict, Why::Rule(i));
        }
        if let Some(exc) = &inb.exception {
            let base = Term {
                exception: None,
                ..inb.clone()
            };
            let (v, _) = self.judge(&base, out, use_);
            let ExceptionName::Spdx(exc) = exc else {
                // An AdditionRef only adds permissions: a `yes` for the base stays `yes`.
                let v = if v == Verdict::Yes {
                    v
                } else {
                    Verdict::Unknown
                };
                return (v, Why::InboundRef);
            };
            if is_linking_exception(*exc) {
                if matches!(use_, Use::StaticLink | Use::DynamicLink) && exception_covers(*exc, out)
                {
                    return (Verdict::Yes, Why::LinkingException(*exc));
                }
                // The exception is about linking; for other uses the base licence decides.
                return (v, Why::ExceptionOutOfScope(*exc));
            }
            // Exceptions only add permissions: `yes` for the base licence stays `yes`; anything
            // else depends on the exception's text, which ospo does not model.
            let v = if v == Verdict::Yes {
                v
            } else {
                Verdict::Unknown
            };
            return (v, Why::ExceptionNotModelled(*exc));
        }
        let Some(out_id) = out.spdx() else {
            return self.judge_other_terms(inb, out, use_);
        };
        let Some(in_id) = inb.spdx() else {
            return (Verdict::Unknown, Why::InboundRef);
        };
        if let Some((i, r)) = self.kb.rule(inb, out_id, use_) {
            return (r.verdict, Why::Rule(i));
        }
        if in_id == out_id && !inb.or_later && out.exception.is_none() && use_ != Use::Merged {
            return (Verdict::Yes, Why::Same);
        }
        match use_ {
            Use::Merged => self.judge_merged(inb, in_id, out, out_id),
            Use::StaticLink | Use::DynamicLink
                if self.kb.category(in_id).is_copyleft()
                    && matches!(
                        self.kb.category(out_id),
                        Category::WeakCopyleftLibrary
                            | Category::StrongCopyleft
                            | Category::NetworkCopyleft
                    ) =>
            {
                // A library or strong copyleft outbound covers the whole linked work.
                (self.judge(inb, out, Use::Merged).0, Why::LinkIntoCopyleft)
            }
            Use::StaticLink | Use::DynamicLink => match self.kb.category(in_id) {
                // Static linking obliges the distributor to enable relinking: a condition.
                Category::WeakCopyleftLibrary if use_ == Use::StaticLink => {
                    (Verdict::Depends, Why::LinkLibrary)
                }
                Category::WeakCopyleftLibrary => (Verdict::Yes, Why::LinkLibrary),
                Category::WeakCopyleftFile => (Verdict::Yes, Why::LinkFile),
                _ => (self.judge(inb, out, Use::Merged).0, Why::LinkAsMerged),
            },
            Use::Separate => match self.kb.category(in_id) {
                Category::NonFree => (Verdict::Unknown, Why::NonFree),
                Category::Unknown => (Verdict::Unknown, Why::Uncategorised),
                _ => (Verdict::Yes, Why::Aggregate),
            },
            Use::Network if self.kb.category(out_id) == Category::NetworkCopyleft => (
                self.judge(inb, out, Use::Merged).0,
                Why::NetworkOutboundCopyleft,
            ),
            Use::Network => match self.kb.category(in_id) {
                Category::NetworkCopyleft => {
                    (self.judge(inb, out, Use::Merged).0, Why::NetworkAsMerged)
                }
                Category::NonFree => (Verdict::Unknown, Why::NonFree),
                Category::Unknown => (Verdict::Unknown, Why::Uncategorised),
                _ => (Verdict::Yes, Why::NetworkNoConveying),
            },
        }
    }

    /// OSADL's cell for a pair, if both are in the matrix.
    #[inline]
    fn osadl_pair(&self, inb: &Term, out: &Term) -> Option<(Verdict, Why)> {
        let position = |t: &Term| match (&t.licence, &t.exception) {
            (LicenceName::Spdx(id), None) => self.osadl.position_of_index(id.index()),
            _ => self.osadl.position(&t.to_string()),
        };
        let o = position(out)?;
        let i = position(inb)?;
        Some(self.osadl_cell(o, i))
    }

    fn osadl_cell(&self, o: usize, i: usize) -> (Verdict, Why) {
        let v = match self.osadl.value(o, i) {
            OsadlValue::Same | OsadlValue::Yes => Verdict::Yes,
            OsadlValue::No => Verdict::No,
            OsadlValue::Unknown => Verdict::Unknown,
            OsadlValue::CheckDependency => Verdict::Depends,
        };
        (
            v,
            Why::Osadl {
                out: o as u16,
                inb: i as u16,
            },
        )
    }

    fn judge_merged(
        &self,
        inb: &Term,
        in_id: LicenceId,
        out: &Term,
        out_id: LicenceId,
    ) -> (Verdict, Why) {
        if in_id == out_id && !inb.or_later {
            return (Verdict::Yes, Why::Same);
        }
        if let Some(versions) = self.or_later_versions(inb) {
            let mut best: Option<(Verdict, LicenceId)> = None;
            for &v in versions {
                let (verdict, _) = self.judge(&Term::licence(v), out, Use::Merged);
                if best.is_none_or(|(b, _)| verdict.rank() < b.rank()) {
                    best = Some((verdict, v));
                }
            }
            if let Some((verdict, chosen)) = best {
                return (verdict, Why::OrLater { chosen });
            }
        }
        match self.kb.category(in_id) {
            Category::PublicDomain | Category::Permissive
                if self.kb.category(out_id).is_copyleft() =>
            {
                (Verdict::Depends, Why::PermissiveIntoCopyleft)
            }
            Category::PublicDomain | Category::Permissive => (Verdict::Yes, Why::Permissive),
            Category::NonFree => (Verdict::Unknown, Why::NonFree),
            Category::Unknown => (Verdict::Unknown, Why::Uncategorised),
            _ => (Verdict::No, Why::Copyleft),
        }
    }

    /// Outbound terms that are not on the SPDX list (`LicenseRef-…`): the lab's own or
    /// proprietary terms. Only what the inbound licence itself allows under any terms passes.
    fn judge_other_terms(&self, inb: &Term, out: &Term, use_: Use) -> (Verdict, Why) {
        if inb.licence == out.licence && inb.exception == out.exception {
            return (Verdict::Yes, Why::Same);
        }
        let Some(in_id) = inb.spdx() else {
            return (Verdict::Unknown, Why::InboundRef);
        };
        if let Some(ExceptionName::Spdx(e)) = &inb.exception
            && is_linking_exception(*e)
            && exception_covers(*e, out)
            && matches!(use_, Use::StaticLink | Use::DynamicLink)
        {
            return (Verdict::Yes, Why::LinkingException(*e));
        }
        let v = match (self.kb.category(in_id), use_) {
            (Category::NonFree, _) => return (Verdict::Unknown, Why::NonFree),
            (Category::Unknown, _) => return (Verdict::Unknown, Why::Uncategorised),
            (Category::PublicDomain | Category::Permissive, _) => {
                return (Verdict::Yes, Why::Permissive);
            }
            (_, Use::Separate) => return (Verdict::Yes, Why::Aggregate),
            (Category::WeakCopyleftLibrary, Use::StaticLink) => {
                return (Verdict::Depends, Why::LinkLibrary);
            }
            (Category::WeakCopyleftLibrary, Use::DynamicLink) => {
                return (Verdict::Yes, Why::LinkLibrary);
            }
            (Category::WeakCopyleftFile, Use::StaticLink | Use::DynamicLink) => {
                return (Verdict::Yes, Why::LinkFile);
            }
            (Category::NetworkCopyleft, Use::Network) => Verdict::No,
            (_, Use::Network) => return (Verdict::Yes, Why::NetworkNoConveying),
            _ => Verdict::No,
        };
        (v, Why::OtherTermsOutbound)
    }

    /// Verdict only, for one inbound expression against one outbound licence (the fast path).
    pub fn verdict(&self, inbound: &Expression, outbound: &Term, use_: Use) -> Verdict {
        match inbound {
            Expression::Term(t) => self.judge(t, outbound, use_).0,
            Expression::And(v) => v
                .iter()
                .map(|e| self.verdict(e, outbound, use_))
                .fold(Verdict::Yes, Verdict::and),
            Expression::Or(v) => v
                .iter()
                .map(|e| self.verdict(e, outbound, use_))
                .fold(Verdict::No, Verdict::or),
        }
    }

    /// Verdict only, for inbound expressions against an outbound expression (every outbound
    /// term must accept every inbound expression: recipients may take any outbound choice).
    pub fn verdict_all(&self, inbound: &[Expression], outbound: &Expression, use_: Use) -> Verdict {
        let mut v = Verdict::Yes;
        for out in outbound.terms() {
            for e in inbound {
                v = v.and(self.verdict(e, out, use_));
                if v == Verdict::No {
                    return v;
                }
            }
        }
        v
    }

    /// Parses the inputs and produces a full report.
    pub fn check(
        &self,
        inbound: &[&str],
        outbound: &str,
        use_: Use,
        mode: Mode,
    ) -> Result<Check, LicenceError> {
        if inbound.is_empty() {
            return Err(LicenceError::NoInbound);
        }
        let mut warnings = Vec::new();
        let mut parsed = Vec::with_capacity(inbound.len());
        for s in inbound {
            let (e, w) = Expression::parse_with(s, mode)?;
            warnings.extend(w);
            parsed.push(e);
        }
        let (out, w) = Expression::parse_with(outbound, mode)?;
        warnings.extend(w);
        Ok(self.report(parsed, out, use_, warnings))
    }

    /// A full report for parsed expressions.
    pub fn report(
        &self,
        inbound: Vec<Expression>,
        outbound: Expression,
        use_: Use,
        warnings: Vec<Warning>,
    ) -> Check {
        self.report_with(inbound, outbound, use_, warnings, true)
    }

    /// A report, with or without the search for fixes (which itself runs checks).
    pub(crate) fn report_with(
        &self,
        inbound: Vec<Expression>,
        outbound: Expression,
        use_: Use,
        warnings: Vec<Warning>,
        with_fixes: bool,
    ) -> Check {
        let mut acc = Acc::default();
        let mut verdict = Verdict::Yes;
        for out in outbound.terms() {
            for e in &inbound {
                verdict = verdict.and(self.eval(e, out, use_, &mut acc));
            }
        }
        let mut findings = Vec::new();
        let mut seen = BTreeSet::new();
        for (inb, out, v, why) in &acc.judged {
            let key = (inb.to_string(), out.to_string());
            if seen.insert(key) {
                findings.push(self.render(inb, out, use_, *v, *why));
            }
        }
        let failing: Vec<String> = findings
            .iter()
            .filter(|f| {
                matches!(f.verdict, Verdict::No | Verdict::Unknown)
                    || (verdict == Verdict::Depends && f.verdict == Verdict::Depends)
            })
            .map(|f| f.inbound.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut conditions = Vec::new();
        for f in &findings {
            for c in &f.conditions {
                let c = if findings.len() > 1 {
                    format!("{}: {c}", f.inbound)
                } else {
                    c.clone()
                };
                if !conditions.contains(&c) {
                    conditions.push(c);
                }
            }
        }
        let mut cited = BTreeSet::new();
        for f in &findings {
            for c in &f.basis {
                cited.insert(c.source.clone());
            }
            if let Some(d) = &f.disputed {
                for c in &d.basis {
                    cited.insert(c.source.clone());
                }
            }
        }
        let sources: Vec<Source> = cited
            .iter()
            .filter_map(|k| self.kb.source(k).cloned())
            .collect();
        let fixes = if verdict == Verdict::Yes || !with_fixes {
            Vec::new()
        } else {
            self.fixes(&inbound, &outbound, use_, &acc)
        };
        let explanation = summary(
            verdict,
            &inbound,
            &outbound,
            use_,
            &findings,
            &acc.choices,
            &sources,
        );
        Check {
            verdict,
            inbound,
            outbound,
            use_,
            explanation,
            findings,
            choices: acc.choices,
            failing,
            conditions,
            fixes,
            warnings,
            sources,
        }
    }

    fn eval(&self, e: &Expression, out: &Term, use_: Use, acc: &mut Acc) -> Verdict {
        match e {
            Expression::Term(t) => {
                let (v, why) = self.judge(t, out, use_);
                acc.judged.push((t.clone(), out.clone(), v, why));
                v
            }
            Expression::And(items) => items
                .iter()
                .map(|i| self.eval(i, out, use_, acc))
                .fold(Verdict::Yes, Verdict::and),
            Expression::Or(items) => {
                let mut branches = Vec::with_capacity(items.len());
                for item in items {
                    let mut sub = Acc::default();
                    let v = self.eval(item, out, use_, &mut sub);
                    branches.push((item, v, sub));
                }
                let best = branches
                    .iter()
                    .enumerate()
                    .min_by_key(|(i, (_, v, sub))| (v.rank(), sub.conditions_weight(self), *i))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                let listing: Vec<(String, Verdict)> = branches
                    .iter()
                    .map(|(e, v, _)| (e.to_string(), *v))
                    .collect();
                let (chosen_expr, chosen_v, chosen_acc) = branches.swap_remove(best);
                let others: Vec<String> = listing
                    .iter()
                    .filter(|(b, _)| *b != chosen_expr.to_string())
                    .map(|(b, v)| format!("{b} ({v})"))
                    .collect();
                let reason = if listing.iter().all(|(_, v)| *v == chosen_v) {
                    format!(
                        "every branch gives '{chosen_v}' against {out}; {chosen_expr} is taken as the first with the fewest obligations"
                    )
                } else {
                    format!(
                        "{chosen_expr} gives '{chosen_v}' against {out}, better than {}",
                        others.join(", ")
                    )
                };
                acc.choices.push(Choice {
                    expression: e.to_string(),
                    chosen: chosen_expr.to_string(),
                    branches: listing,
                    reason,
                });
                acc.judged.extend(chosen_acc.judged);
                acc.choices.extend(chosen_acc.choices);
                chosen_v
            }
        }
    }

    fn fixes(
        &self,
        inbound: &[Expression],
        outbound: &Expression,
        use_: Use,
        acc: &Acc,
    ) -> Vec<Fix> {
        let mut fixes = Vec::new();
        for c in &acc.choices {
            for (b, v) in &c.branches {
                if *b != c.chosen
                    && v.rank() < Verdict::Unknown.rank()
                    && !fixes.iter().any(|f: &Fix| f.take == *b)
                {
                    fixes.push(Fix {
                        kind: "branch",
                        take: b.clone(),
                        verdict: *v,
                        reason: format!("take {b} from '{}'", c.expression),
                    });
                }
            }
        }
        let current: Vec<String> = outbound.terms().iter().map(|t| t.to_string()).collect();
        for rec in crate::recommend::recommend_parsed(self, inbound, use_, None, None)
            .into_iter()
            .filter(|r| !current.contains(&r.licence))
            .take(3)
        {
            fixes.push(Fix {
                kind: "outbound",
                take: rec.licence.clone(),
                verdict: rec.verdict,
                reason: rec.reason,
            });
        }
        fixes
    }

    /// Judges a pair and renders it: the inner question of an explanation.
    fn judged(&self, inb: &Term, out: &Term, use_: Use) -> Finding {
        let (v, why) = self.judge(inb, out, use_);
        self.render(inb, out, use_, v, why)
    }

    /// Renders a judged pair into words and citations.
    pub(crate) fn render(
        &self,
        inb: &Term,
        out: &Term,
        use_: Use,
        verdict: Verdict,
        why: Why,
    ) -> Finding {
        let mut f = Finding {
            inbound: inb.to_string(),
            outbound: out.to_string(),
            verdict,
            explanation: String::new(),
            basis: Vec::new(),
            conditions: Vec::new(),
            disputed: None,
            osadl: None,
        };
        let in_name = inb.to_string();
        let out_name = out.to_string();
        let profile = inb.spdx().map(|id| self.kb.profile(id));
        let category_basis = || {
            profile
                .map(|p| p.category.basis.clone())
                .unwrap_or_default()
        };
        let category = profile
            .map(|p| p.category.value)
            .unwrap_or(Category::Unknown);
        let obligations = || profile.map(|p| p.obligations.clone()).unwrap_or_default();
        match why {
            Why::Osadl { out: o, inb: i } => {
                let value = self.osadl.value(o as usize, i as usize);
                f.explanation = self.osadl.explanation(o as usize, i as usize);
                if value == OsadlValue::Same {
                    f.explanation = format!("Same licence (OSADL: {}).", f.explanation);
                }
                f.basis.push(Citation {
                    source: "osadl-matrix".into(),
                    clause: Some(format!(
                        "leading licence {}, subordinate licence {}",
                        self.osadl.names()[o as usize],
                        self.osadl.names()[i as usize]
                    )),
                    note: Some(format!("OSADL: {}", value.as_str())),
                });
                if value == OsadlValue::CheckDependency {
                    f.conditions
                        .push(format!("OSADL's condition: {}", f.explanation));
                }
                f.osadl = Some(value);
                if let Some((_, r)) = out.spdx().and_then(|o| self.kb.rule(inb, o, Use::Merged))
                    && r.verdict != verdict
                {
                    f.disputed = Some(Disputed {
                        explanation: format!("{} (verdict: {})", r.explanation, r.verdict),
                        basis: r.basis.clone(),
                    });
                }
            }
            Why::Rule(i) => {
                let r = self.kb.rule_at(i);
                f.explanation = r.explanation.clone();
                f.basis = r.basis.clone();
                f.conditions = r.conditions.clone();
                f.disputed = r.disputed.clone();
            }
            Why::Same => {
                f.explanation = format!("{in_name} and {out_name} are the same licence.");
                f.basis.push(Citation::new("spdx-list", Some(&out_name)));
                f.conditions = obligations();
            }
            Why::InboundRef => {
                f.explanation = format!(
                    "{in_name} is not on the SPDX list: its terms are unknown to ospo, so there is no basis for a verdict; review the licence text."
                );
            }
            Why::OrLater { chosen } => {
                let inner_t = Term::licence(chosen);
                let inner = self.judged(&inner_t, out, use_);
                let v = inner.verdict;
                f.explanation = format!(
                    "{in_name} lets the recipient use version {} ({}): {}",
                    chosen.name(),
                    v,
                    inner.explanation
                );
                if let Some(p) = profile {
                    f.basis.extend(p.or_later.basis.iter().cloned());
                }
                f.basis.extend(inner.basis);
                f.conditions = inner.conditions;
                f.disputed = inner.disputed;
                f.osadl = inner.osadl;
            }
            Why::Permissive => {
                f.explanation = format!(
                    "{in_name} is a {category} licence: it asks only for notices, so it can be part of a work under {out_name}. OSADL's general principle: non-copyleft licences are generally considered mutually compatible."
                );
                f.basis = category_basis();
                f.basis.push(Citation {
                    source: "osadl-matrix".into(),
                    clause: Some("general principle for non-copyleft pairs".into()),
                    note: Some(
                        "Non-copyleft licenses ... are generally considered mutually compatible."
                            .into(),
                    ),
                });
                f.conditions = obligations();
            }
            Why::Copyleft => {
                f.explanation = format!(
                    "{in_name} is a {category} licence: a work that contains it must be distributed under {in_name}, and neither licence, nor guidance known to ospo, permits distributing it under {out_name}. OSADL's general principle: copyleft software normally cannot be redistributed under another licence unless the licences explicitly permit it."
                );
                f.basis = category_basis();
                f.basis.push(Citation {
                    source: "osadl-matrix".into(),
                    clause: Some("general principle for copyleft pairs".into()),
                    note: Some("Software under a copyleft license ... normally cannot be redistributed under another license ..., except if it were explicitly permitted in the licenses.".into()),
                });
            }
            Why::NonFree => {
                f.explanation = format!(
                    "{in_name} is not a free or open-source licence: whether it permits this combination depends on its own terms, which ospo does not judge; review the licence text."
                );
                f.basis = category_basis();
            }
            Why::Uncategorised => {
                f.explanation = format!(
                    "ospo has no reviewed classification of {in_name} (not in OSADL's matrix, the curated knowledge or ScanCode's LicenseDB): no basis for a verdict; review the licence text."
                );
            }
            Why::Aggregate => {
                f.explanation = format!(
                    "Shipped side by side, or used only as a build tool, {in_name} and the work under {out_name} stay separate works: each keeps its own licence. Copyleft licences reach works based on the licensed code, not mere aggregates (GPL-3.0 §5, GPL-2.0 §2)."
                );
                f.basis = vec![
                    Citation::new("gpl-3.0-text", Some("§5, last paragraph (aggregate)")),
                    Citation::new(
                        "gpl-2.0-text",
                        Some("§2, last paragraph (mere aggregation)"),
                    ),
                    Citation::new("gpl-faq", Some("MereAggregation")),
                ];
                f.basis.extend(category_basis());
                f.conditions.push(format!(
                    "Distribute {in_name}'s component under its own licence, with its notices"
                ));
                if category.is_copyleft() {
                    f.conditions.push(format!(
                        "Provide the source of the {in_name} component as {in_name} requires"
                    ));
                }
            }
            Why::NetworkNoConveying => {
                f.explanation = format!(
                    "Offered only over a network, the work is not distributed: {in_name} attaches its conditions to distribution (conveying), so it places none on the work under {out_name} here. Judge again with a distribution use if copies are handed out."
                );
                f.basis = vec![Citation::new(
                    "gpl-3.0-text",
                    Some(
                        "§0: 'Mere interaction with a user through a computer network, with no transfer of a copy, is not conveying.'",
                    ),
                )];
                f.basis.extend(category_basis());
            }
            Why::NetworkAsMerged => {
                let inner = self.judged(inb, out, Use::Merged);
                f.explanation = format!(
                    "{in_name} is a network copyleft licence: offering a modified or combined work over a network triggers its source obligations, so the combination is judged as one merged work: {}",
                    inner.explanation
                );
                f.basis = vec![Citation::new(
                    "agpl-3.0-text",
                    Some("§13 Remote Network Interaction"),
                )];
                f.basis.extend(category_basis());
                f.basis.extend(inner.basis);
                f.conditions = inner.conditions;
                f.osadl = inner.osadl;
            }
            Why::LinkLibrary => {
                let v3 = in_name.starts_with("LGPL-3.0");
                let v2 = in_name.starts_with("LGPL-2");
                f.explanation = format!(
                    "{in_name} is a library copyleft: a program that links the library may be distributed under terms of its own choice, here {out_name}, provided users can modify the library and relink the program with their version."
                );
                if v3 {
                    f.basis
                        .push(Citation::new("lgpl-3.0-text", Some("§4 Combined Works")));
                } else if v2 {
                    f.basis.push(Citation::new("lgpl-2.1-text", Some("§6")));
                }
                f.basis.extend(category_basis());
                f.conditions.push(format!(
                    "Keep {in_name}'s notices and ship its licence text with the program"
                ));
                f.conditions.push(format!("Provide the source of the {in_name} library, with any changes to it, under {in_name}"));
                if use_ == Use::StaticLink {
                    f.conditions.push(if v3 {
                        "Provide the program's object files (or source) so users can relink it with a modified library (LGPL-3.0 §4(d)(0))".to_owned()
                    } else {
                        "Provide the program's object files (or source) so users can relink it with a modified library (LGPL-2.1 §6(a))".to_owned()
                    });
                } else {
                    f.conditions.push(if v3 {
                        "Link through a shared-library mechanism that uses the copy on the user's system (LGPL-3.0 §4(d)(1))".to_owned()
                    } else {
                        "Link through a shared-library mechanism that uses the copy on the user's system (LGPL-2.1 §6(b))".to_owned()
                    });
                }
                f.conditions.push(format!(
                    "{out_name} must permit modification for the user's own use and reverse engineering to debug such modifications"
                ));
            }
            Why::LinkFile => {
                f.explanation = format!(
                    "{in_name} is a file-scoped copyleft: a larger work that links it may be distributed under {out_name} while the {in_name}-covered files stay under {in_name}."
                );
                let clause = match in_name.as_str() {
                    "MPL-2.0" | "MPL-2.0-no-copyleft-exception" => {
                        Some(("mpl-2.0-text", "§3.3 Distribution of a Larger Work"))
                    }
                    _ => None,
                };
                if let Some((s, c)) = clause {
                    f.basis.push(Citation::new(s, Some(c)));
                }
                f.basis.extend(category_basis());
                f.conditions.push(format!(
                    "Keep the {in_name}-covered files under {in_name}, with their notices"
                ));
                f.conditions.push(format!(
                    "Make the source of the {in_name}-covered files available as {in_name} requires"
                ));
            }
            Why::LinkAsMerged => {
                let inner = self.judged(inb, out, Use::Merged);
                if category.is_copyleft() {
                    f.explanation = format!(
                        "Linking {in_name} code, statically or dynamically, makes one combined work based on it, so the combination is judged as merged: {}",
                        inner.explanation
                    );
                    f.basis
                        .push(Citation::new("gpl-faq", Some("GPLStaticVsDynamic")));
                    if use_ == Use::DynamicLink {
                        f.disputed = Some(Disputed {
                            explanation: "Some lawyers argue that linking alone, and dynamic linking in particular, does not make a derivative work, so the copyleft would not reach the linking program; no court has settled this for the GPL.".to_owned(),
                            basis: vec![Citation::new("rosen-infection", None)],
                        });
                    }
                } else {
                    f.explanation = format!(
                        "Linking {in_name} code is judged as merging it: {}",
                        inner.explanation
                    );
                }
                f.basis.extend(inner.basis);
                f.conditions = inner.conditions;
                f.osadl = inner.osadl;
            }
            Why::LinkingException(e) => {
                f.explanation = format!(
                    "{} grants extra permission to link the covered code into a program under terms of its own choice, here {out_name}; the covered code itself stays under its licence.",
                    e.name()
                );
                f.basis.push(Citation::new("spdx-list", Some(e.name())));
                f.conditions.push(format!("Keep the covered code under {in_name}, with its notices and source as that licence requires"));
            }
            Why::ExceptionOutOfScope(e) => {
                let base = Term {
                    exception: None,
                    ..inb.clone()
                };
                let inner = self.judged(&base, out, use_);
                f.explanation = format!(
                    "{} grants its extra permission for linking{}; for this use it changes nothing, so {} decides: {}",
                    e.name(),
                    if FOSS_ONLY_EXCEPTIONS.contains(&e.name()) {
                        " with free and open-source software only"
                    } else {
                        ""
                    },
                    base,
                    inner.explanation
                );
                f.basis = inner.basis;
                f.basis.push(Citation::new("spdx-list", Some(e.name())));
                f.conditions = inner.conditions;
                f.disputed = inner.disputed;
                f.osadl = inner.osadl;
            }
            Why::LinkIntoCopyleft => {
                let inner = self.judged(inb, out, Use::Merged);
                f.explanation = format!(
                    "{out_name} is a copyleft licence that covers the whole work linking {in_name}, so the combination is judged as merged: {}",
                    inner.explanation
                );
                f.basis
                    .push(Citation::new("gpl-faq", Some("GPLStaticVsDynamic")));
                f.basis.extend(inner.basis);
                f.conditions = inner.conditions;
                f.disputed = inner.disputed;
                f.osadl = inner.osadl;
            }
            Why::NetworkOutboundCopyleft => {
                let inner = self.judged(inb, out, Use::Merged);
                f.explanation = format!(
                    "{out_name} reaches users over a network: the whole work offered as a service must be available under {out_name}, so the combination is judged as merged: {}",
                    inner.explanation
                );
                f.basis.push(Citation::new(
                    "agpl-3.0-text",
                    Some("§13 Remote Network Interaction"),
                ));
                f.basis.extend(inner.basis);
                f.conditions = inner.conditions;
                f.osadl = inner.osadl;
            }
            Why::PermissiveIntoCopyleft => {
                f.explanation = format!(
                    "{in_name} is classified {category}, but neither OSADL's matrix nor a curated rule judges it against {out_name}. A copyleft licence forbids further restrictions on the combined work (GPL-3.0 §7 and §10, GPL-2.0 §6), so the combination holds only if {in_name} asks for nothing beyond keeping notices; an advertising clause, for instance, would conflict."
                );
                f.basis = category_basis();
                f.basis.push(Citation::new("gpl-3.0-text", Some("§7, §10")));
                f.basis.push(Citation::new("gpl-2.0-text", Some("§6")));
                f.conditions.push(format!(
                    "{in_name} imposes no condition beyond keeping its copyright and licence notices: read its text"
                ));
                f.conditions.extend(obligations());
            }
            Why::ExceptionNotModelled(e) => {
                let base = Term {
                    exception: None,
                    ..inb.clone()
                };
                let inner = self.judged(&base, out, use_);
                let v = inner.verdict;
                f.explanation = format!(
                    "{} adds permissions that ospo does not model; {} alone gives '{}'{}: {}",
                    e.name(),
                    base,
                    v,
                    if v == Verdict::Yes {
                        ", which an exception can only widen"
                    } else {
                        ", and whether the exception changes that depends on its text"
                    },
                    inner.explanation
                );
                f.basis = inner.basis;
                f.basis.push(Citation::new("spdx-list", Some(e.name())));
                f.conditions = inner.conditions;
                if v != Verdict::Yes {
                    f.conditions.push(format!(
                        "{} must itself permit this combination: read its text",
                        e.name()
                    ));
                }
            }
            Why::OtherTermsOutbound => {
                f.explanation = format!(
                    "{out_name} is not on the SPDX list: ospo treats it as other (e.g. proprietary) terms. {in_name} is a {category} licence whose terms must then govern the combined work, so it cannot be offered under {out_name}."
                );
                f.basis = category_basis();
            }
        }
        f
    }
}

#[derive(Default)]
struct Acc {
    judged: Vec<(Term, Term, Verdict, Why)>,
    choices: Vec<Choice>,
}

impl Acc {
    /// Prefers, among equal verdicts, the branch whose licences ask least (permissive first).
    fn conditions_weight(&self, engine: &Engine) -> u32 {
        self.judged
            .iter()
            .map(
                |(t, _, _, _)| match t.spdx().map(|id| engine.kb.category(id)) {
                    Some(Category::PublicDomain) => 0,
                    Some(Category::Permissive) => 1,
                    Some(Category::WeakCopyleftFile | Category::WeakCopyleftLibrary) => 3,
                    Some(Category::StrongCopyleft) => 5,
                    Some(Category::NetworkCopyleft) => 6,
                    _ => 8,
                },
            )
            .sum()
    }
}

fn summary(
    verdict: Verdict,
    inbound: &[Expression],
    outbound: &Expression,
    use_: Use,
    findings: &[Finding],
    choices: &[Choice],
    sources: &[Source],
) -> String {
    let inb = Expression::join_and(inbound);
    let mut s = match verdict {
        Verdict::Yes => {
            format!("Compatible: {inb} may be used in a work under {outbound} ({use_}).")
        }
        Verdict::No => {
            format!("Incompatible: {inb} cannot be used in a work under {outbound} ({use_}).")
        }
        Verdict::Depends => {
            format!("Compatible only under conditions: {inb} in a work under {outbound} ({use_}).")
        }
        Verdict::Unknown => format!(
            "Unknown: no basis to decide whether {inb} may be used in a work under {outbound} ({use_})."
        ),
    };
    for c in choices {
        s.push_str(&format!(" Choosing {} from '{}'.", c.chosen, c.expression));
    }
    let deciding: Vec<&Finding> = findings.iter().filter(|f| f.verdict == verdict).collect();
    let shown = if deciding.is_empty() {
        findings.iter().collect()
    } else {
        deciding
    };
    for f in shown.iter().take(3) {
        if findings.len() > 1 {
            s.push_str(&format!(
                " {} → {}: {}",
                f.inbound, f.outbound, f.explanation
            ));
        } else {
            s.push(' ');
            s.push_str(&f.explanation);
        }
    }
    if shown.len() > 3 {
        s.push_str(&format!(" (and {} more)", shown.len() - 3));
    }
    if !sources.is_empty() {
        let names: Vec<String> = sources
            .iter()
            .map(|x| format!("{} ({})", x.title, x.version))
            .collect();
        s.push_str(&format!(" Sources: {}.", names.join("; ")));
    }
    s
}

/// Whether the engine accepts an outbound licence string as such.
pub(crate) fn outbound_term(s: &str) -> Result<Term, LicenceError> {
    match Expression::parse_with(s, Mode::Lenient)? {
        (Expression::Term(t), _) => Ok(t),
        _ => Err(LicenceError::UnknownOutbound(s.to_owned())),
    }
}

#[allow(dead_code)]
fn _assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Engine>();
    is::<LicenceName>();
}
