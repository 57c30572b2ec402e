//! The disclosure and contribution workflow on both backends: every step goes through the
//! model, is written with its audit entry and notifications, and a refused step (wrong role,
//! impossible step, stale version) writes nothing.

mod support;

use ospo_catalogue::{
    CatalogueError, ContributionDraft, ContributionFilter, DisclosureDraft, DisclosureFilter,
    ReviewInput,
};
use ospo_core::disclosure::{Affiliation, Contributor};
use ospo_core::{
    Actor, AdviceVerdict, DisclosureAction, DisclosureState, ExternalProject, LicenceExpression,
    ProjectKind, ProjectLink, Recommendation, ReviewingUnit, Role, Slug, Timestamp,
    TransitionError, Url,
};
use support::{Backend, curator, fresh, now};

on_both_backends!(
    software_is_reviewed_recommended_approved_and_published,
    refused_steps_change_nothing,
    hardware_goes_to_kt_and_comes_back_to_an_existing_entry,
    contribution_requests_are_advised_by_the_ospo,
);

fn dev() -> Actor {
    Actor::new("dev1", "Dana Developer", [Role::Maintainer])
}

fn kt() -> Actor {
    Actor::new("kt1", "Kim (KT)", [Role::KtReviewer])
}

fn at(hour: u8) -> Timestamp {
    Timestamp::parse(&format!("2026-11-25T{hour:02}:00:00Z")).unwrap()
}

fn licence(s: &str) -> LicenceExpression {
    LicenceExpression::parse(s).unwrap()
}

fn draft(kind: ProjectKind) -> DisclosureDraft {
    let mut d = DisclosureDraft {
        title: "Fast track fitter".into(),
        kind: Some(kind),
        project: Some(ProjectLink::Repository(
            Url::parse("https://gitlab.example.org/dev1/fitter").unwrap(),
        )),
        ..DisclosureDraft::default()
    };
    d.ambitions.why = "Share the fitter with other experiments".into();
    d.contributors = vec![Contributor {
        name: "Dana Developer".into(),
        affiliation: Affiliation::Lab,
    }];
    d.dependencies.components = 12;
    d.dependencies.licences = [("MIT".to_owned(), 10), ("BSD-3-Clause".to_owned(), 2)].into();
    d
}

async fn software_is_reviewed_recommended_approved_and_published(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let d = cat
        .create_disclosure(&dev(), draft(ProjectKind::Software), &at(9))
        .await
        .unwrap();
    assert_eq!((d.id, d.version, d.state), (1, 1, DisclosureState::Draft));
    let (d, t) = cat
        .disclosure_step(&dev(), d.id, 1, DisclosureAction::Submit, &at(10))
        .await
        .unwrap();
    assert_eq!(
        (t.from, t.to),
        (DisclosureState::Draft, DisclosureState::Submitted)
    );
    assert_eq!(d.version, 2);
    let queue = cat
        .disclosures(
            &curator(),
            DisclosureFilter {
                queue: true,
                ..DisclosureFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].state, "submitted");
    assert!(
        cat.disclosures(
            &kt(),
            DisclosureFilter {
                queue: true,
                ..DisclosureFilter::default()
            }
        )
        .await
        .unwrap()
        .is_empty(),
        "software is not in KT's queue"
    );
    cat.disclosure_step(&curator(), d.id, 2, DisclosureAction::StartReview, &at(11))
        .await
        .unwrap();
    let d = cat
        .review_disclosure(
            &curator(),
            d.id,
            3,
            ReviewInput {
                unit: ReviewingUnit::Legal,
                checklist: None,
                comment: "third-party code checked".into(),
            },
            &at(11),
        )
        .await
        .unwrap();
    assert_eq!(d.reviews[0].checklist.len(), 3);
    assert_eq!(d.version, 4);
    // The reviewer accepts the engine's licence: its reasons and sources are recorded.
    let advice = ospo_catalogue::engine_advice(&d);
    assert_eq!(advice.licence.as_deref(), Some("Apache-2.0"));
    let (d, _) = cat
        .disclosure_step(
            &curator(),
            d.id,
            4,
            DisclosureAction::Recommend(Recommendation {
                licence: licence("Apache-2.0"),
                reasons: vec![],
                computed: Some(licence("GPL-3.0-only")),
                override_reason: None,
            }),
            &at(12),
        )
        .await
        .unwrap();
    let r = d.recommendation.as_ref().unwrap();
    assert_eq!(
        r.computed.as_ref().map(|c| c.as_str()),
        Some("Apache-2.0"),
        "computed is the engine's, not the caller's"
    );
    assert!(r.reasons.iter().any(|x| x.contains("MIT (10)")), "{r:?}");
    assert!(
        r.reasons.iter().any(|x| x.starts_with("sources: ")),
        "{r:?}"
    );
    // Overriding needs a reason.
    let e = cat
        .disclosure_step(
            &curator(),
            d.id,
            5,
            DisclosureAction::Recommend(Recommendation {
                licence: licence("EUPL-1.2"),
                reasons: vec![],
                computed: None,
                override_reason: None,
            }),
            &at(12),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CatalogueError::Refused(TransitionError::Incomplete { .. })
        ),
        "{e}"
    );
    assert!(e.to_string().contains("override_reason"), "{e}");
    let (d, _) = cat
        .disclosure_step(
            &curator(),
            d.id,
            5,
            DisclosureAction::Recommend(Recommendation {
                licence: licence("EUPL-1.2"),
                reasons: vec![],
                computed: None,
                override_reason: Some("the partner institutes require the EUPL".into()),
            }),
            &at(13),
        )
        .await
        .unwrap();
    let r = d.recommendation.as_ref().unwrap();
    assert_eq!(r.licence.as_str(), "EUPL-1.2");
    assert_eq!(r.computed.as_ref().unwrap().as_str(), "Apache-2.0");
    cat.disclosure_step(
        &curator(),
        d.id,
        6,
        DisclosureAction::Approve {
            licence: licence("EUPL-1.2"),
        },
        &at(14),
    )
    .await
    .unwrap();
    let (d, _) = cat
        .disclosure_step(
            &curator(),
            d.id,
            7,
            DisclosureAction::Publish {
                project: Slug::parse("fitter").unwrap(),
                licence: None,
            },
            &at(15),
        )
        .await
        .unwrap();
    assert_eq!(d.state, DisclosureState::Published);
    let p = cat
        .get("fitter")
        .await
        .unwrap()
        .expect("the catalogue entry is created");
    assert_eq!(p.licence.as_ref().unwrap().as_str(), "EUPL-1.2");
    assert_eq!(
        p.repository.as_ref().unwrap().as_str(),
        "https://gitlab.example.org/dev1/fitter"
    );
    let hits = cat
        .search(&ospo_catalogue::Query {
            text: "fitter".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(hits.total, 1, "the new entry is searchable at once");
    assert_eq!(d.seconds_to_decision(), Some(4 * 3600));

    let audit = cat.disclosure_audit(&dev(), d.id).await.unwrap();
    let steps: Vec<String> = audit
        .iter()
        .map(|e| format!("{} {}", e.action, e.comment.lines().next().unwrap_or("")))
        .collect();
    assert_eq!(audit.len(), 8, "{steps:#?}");
    assert_eq!(audit[0].action.as_str(), "create");
    assert_eq!(
        audit[1].change("state").unwrap().to_string(),
        "state: \"draft\" → \"submitted\""
    );
    assert_eq!(audit[1].actor, "dev1");
    assert!(
        audit[7]
            .comment
            .starts_with("publish: catalogue entry: fitter")
    );
    let project_audit = cat.audit(Some("fitter")).await.unwrap();
    assert_eq!(project_audit[0].comment, "published from disclosure 1");

    let outbox = cat
        .outbox(&curator(), Some(("disclosure", d.id)))
        .await
        .unwrap();
    let lines: Vec<(String, String)> = outbox
        .iter()
        .map(|n| {
            (
                n.recipient.clone(),
                n.payload["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("account:dev1", "submitted"),
        ("office:ospo", "submitted"),
        ("account:dev1", "in-review"),
        ("account:dev1", "recommendation"),
        ("account:dev1", "recommendation"),
        ("account:dev1", "approved"),
        ("account:dev1", "published"),
        ("office:ospo", "published"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    assert_eq!(lines, expected);
    assert!(outbox[0].subject.contains("Fast track fitter"));
    assert!(outbox[0].webhook_at.is_none() && outbox[0].email_at.is_none());
    assert!(
        cat.outbox(&dev(), None).await.is_err(),
        "maintainers do not read the outbox"
    );
}

async fn refused_steps_change_nothing(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let d = cat
        .create_disclosure(&dev(), draft(ProjectKind::Software), &at(9))
        .await
        .unwrap();
    let other = Actor::new("dev2", "Other", [Role::Maintainer]);
    let before = cat.disclosure(&dev(), d.id).await.unwrap();
    let audit_before = cat.audit(None).await.unwrap().len();

    // A wrong role.
    let e = cat
        .disclosure_step(&other, d.id, 1, DisclosureAction::Submit, &at(10))
        .await
        .unwrap_err();
    assert!(
        matches!(e, CatalogueError::Refused(TransitionError::Denied { .. })),
        "{e}"
    );
    assert!(matches!(
        cat.disclosure(&other, d.id).await,
        Err(CatalogueError::Denied(_))
    ));
    // An impossible step.
    let e = cat
        .disclosure_step(
            &curator(),
            d.id,
            1,
            DisclosureAction::Approve {
                licence: licence("MIT"),
            },
            &at(10),
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot approve a disclosure that is draft; allowed from draft: submit, withdraw"
    );
    // A stale version.
    let e = cat
        .disclosure_step(&dev(), d.id, 7, DisclosureAction::Submit, &at(10))
        .await
        .unwrap_err();
    assert!(
        matches!(
            e,
            CatalogueError::Conflict {
                expected: 7,
                current: 1,
                ..
            }
        ),
        "{e}"
    );
    // An invalid draft names its field.
    let mut bad = draft(ProjectKind::Software);
    bad.title = " ".into();
    let e = cat
        .edit_disclosure(&dev(), d.id, 1, bad, &at(10))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("title is empty"), "{e}");
    // An incomplete draft cannot be submitted.
    let mut thin = draft(ProjectKind::Software);
    thin.contributors.clear();
    cat.edit_disclosure(&dev(), d.id, 1, thin, &at(10))
        .await
        .unwrap();
    let e = cat
        .disclosure_step(&dev(), d.id, 2, DisclosureAction::Submit, &at(10))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("contributors is empty"), "{e}");

    let after = cat.disclosure(&dev(), d.id).await.unwrap();
    assert_eq!(after.state, DisclosureState::Draft);
    assert_eq!(
        after.version,
        before.version + 1,
        "only the edit was stored"
    );
    assert!(after.history.is_empty());
    assert_eq!(cat.audit(None).await.unwrap().len(), audit_before + 1);
    assert!(cat.outbox(&curator(), None).await.unwrap().is_empty());
    assert!(matches!(
        cat.disclosure(&dev(), 99).await,
        Err(CatalogueError::NoSuch { id: 99, .. })
    ));
    // Withdrawn is final.
    cat.disclosure_step(
        &dev(),
        d.id,
        2,
        DisclosureAction::Withdraw {
            reason: "not ready".into(),
        },
        &at(11),
    )
    .await
    .unwrap();
    let e = cat
        .edit_disclosure(&dev(), d.id, 3, draft(ProjectKind::Software), &at(12))
        .await
        .unwrap_err();
    assert!(matches!(e, CatalogueError::NotEditable { .. }), "{e}");
}

async fn hardware_goes_to_kt_and_comes_back_to_an_existing_entry(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let mut existing = support::project("babywr", "Baby White Rabbit", ProjectKind::Hardware);
    existing.summary = "A small White Rabbit node".into();
    cat.create(&curator(), existing, &now()).await.unwrap();
    let mut hw = draft(ProjectKind::Hardware);
    hw.title = "Baby White Rabbit".into();
    hw.project = Some(ProjectLink::Catalogue(Slug::parse("babywr").unwrap()));
    hw.dependencies = Default::default();
    let d = cat.create_disclosure(&dev(), hw, &at(9)).await.unwrap();
    let (d, t) = cat
        .disclosure_step(&dev(), d.id, 1, DisclosureAction::Submit, &at(10))
        .await
        .unwrap();
    assert_eq!(t.to, DisclosureState::SentToKt);
    let kt_queue = cat
        .disclosures(
            &kt(),
            DisclosureFilter {
                queue: true,
                ..DisclosureFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(kt_queue.len(), 1);
    assert_eq!(kt_queue[0].office, "kt");
    // KT records its review; the OSPO may not decline for KT.
    let e = cat
        .disclosure_step(
            &curator(),
            d.id,
            2,
            DisclosureAction::Decline {
                reason: "no".into(),
            },
            &at(11),
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("only KT reviewers may"), "{e}");
    let (d, _) = cat
        .disclosure_step(
            &curator(),
            d.id,
            2,
            DisclosureAction::Publish {
                project: Slug::parse("babywr").unwrap(),
                licence: Some(licence("CERN-OHL-S-2.0")),
            },
            &at(12),
        )
        .await
        .unwrap();
    assert_eq!(d.catalogue_entry.as_ref().unwrap().as_str(), "babywr");
    let p = cat.get("babywr").await.unwrap().unwrap();
    assert_eq!(p.version, 1, "an existing entry is linked, not replaced");
    let outbox = cat
        .outbox(&curator(), Some(("disclosure", d.id)))
        .await
        .unwrap();
    let to: Vec<&str> = outbox.iter().map(|n| n.recipient.as_str()).collect();
    assert_eq!(
        to,
        [
            "account:dev1",
            "office:kt",
            "account:dev1",
            "office:ospo",
            "office:kt"
        ]
    );
}

async fn contribution_requests_are_advised_by_the_ospo(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let req = ContributionDraft {
        project: ExternalProject {
            name: "scikit-image".into(),
            url: Url::parse("https://github.com/scikit-image/scikit-image").unwrap(),
            outside_physics: true,
        },
        licence: Some(licence("BSD-3-Clause")),
        agreement: Default::default(),
        copyright_assignment: false,
        platform_terms: None,
        description: "A faster watershed".into(),
        significant: true,
    };
    let r = cat.request_contribution(&dev(), req, &at(9)).await.unwrap();
    assert_eq!((r.id, r.version), (1, 1));
    let e = cat
        .advise_contribution(&dev(), r.id, 1, AdviceVerdict::Go, "", &at(10))
        .await
        .unwrap_err();
    assert!(matches!(e, CatalogueError::Denied(_)), "{e}");
    let e = cat
        .advise_contribution(&curator(), r.id, 1, AdviceVerdict::NoGo, " ", &at(10))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("advice.text is empty"), "{e}");
    let r = cat
        .advise_contribution(
            &curator(),
            r.id,
            1,
            AdviceVerdict::GoWithConditions,
            "Sign off every commit (DCO).",
            &at(11),
        )
        .await
        .unwrap();
    assert!(r.counts_for_report());
    assert_eq!(r.version, 2);
    let pending = cat
        .contributions(
            &curator(),
            ContributionFilter {
                pending: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(pending.is_empty());
    let other = Actor::new("dev2", "Other", [Role::Maintainer]);
    assert!(
        cat.contributions(&other, ContributionFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        cat.contributions(&dev(), ContributionFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    let outbox = cat
        .outbox(&curator(), Some(("contribution", r.id)))
        .await
        .unwrap();
    assert_eq!(outbox.len(), 2);
    assert_eq!(outbox[0].recipient, "office:ospo");
    assert_eq!(outbox[1].recipient, "account:dev1");
    assert_eq!(outbox[1].payload["advice"]["verdict"], "go-with-conditions");
    let audit = cat.contribution_audit(&dev(), r.id).await.unwrap();
    assert_eq!(audit.len(), 2);
}
