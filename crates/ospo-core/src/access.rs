//! Who may do what: roles, actors and the one function, [`may`], that decides.
//!
//! The matrix (roles add up; an actor may hold several):
//!
//! | action                 | target                    | allowed for                         |
//! |------------------------|---------------------------|-------------------------------------|
//! | `read`                 | catalogue, project        | everyone, signed in or not          |
//! | `read`                 | inventory                 | any signed-in role (\*)             |
//! | `read`                 | disclosure                | its submitter, OSPO, KT reviewers   |
//! | `read`                 | contribution request      | its requester, OSPO members         |
//! | `read`                 | accounts                  | admins                              |
//! | `edit-project`         | project                   | its maintainers, OSPO members       |
//! | `create-project`, `delete-project`, `import-catalogue` | catalogue | OSPO members     |
//! | `manage-inventory`     | inventory                 | OSPO members                        |
//! | `submit-disclosure`    | disclosure                | maintainers, their own requests     |
//! | `review-disclosure`    | disclosure with the OSPO  | OSPO members                        |
//! | `review-disclosure`    | disclosure with KT        | KT reviewers                        |
//! | `publish-disclosure`   | disclosure                | OSPO members (they make the entry)  |
//! | `request-contribution` | contribution request      | any signed-in role, own requests    |
//! | `advise-contribution`  | contribution request      | OSPO members                        |
//! | `manage-tokens`, `manage-roles` | accounts         | admins                              |
//!
//! (\*) The inventory shows what critical services run, so it is not public.
//!
//! Admins are not implicitly curators: an admin who curates holds both roles.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::slug::Slug;

named_enum! {
    /// A role granted to an account. Everyone, signed in or not, has [`Role::Public`].
    pub enum Role("role") {
        /// Reads the public catalogue, licence pages and reports.
        Public => "public",
        /// Edits the projects they maintain; submits disclosures.
        Maintainer => "maintainer",
        /// A member of the OSPO: curates the whole catalogue and inventory, reviews disclosures.
        OspoMember => "ospo-member",
        /// A Knowledge Transfer reviewer: decides on disclosures sent to KT (all hardware).
        KtReviewer => "kt-reviewer",
        /// Manages accounts: API tokens and roles.
        Admin => "admin",
    }
}

/// Who is acting: a signed-in person, an API token's owner, or an anonymous visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Actor {
    /// A stable account id (the single sign-on subject or the token owner), recorded in the
    /// audit log.
    pub id: String,
    /// The display name.
    pub name: String,
    /// The roles granted; [`Role::Public`] is implied.
    #[serde(default)]
    pub roles: BTreeSet<Role>,
    /// The projects this actor maintains; counts only with the [`Role::Maintainer`] role.
    #[serde(default)]
    pub maintains: BTreeSet<Slug>,
}

impl Actor {
    /// An actor with `roles` and no maintained projects.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        roles: impl IntoIterator<Item = Role>,
    ) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            roles: roles.into_iter().collect(),
            maintains: BTreeSet::new(),
        }
    }

    /// A visitor who is not signed in.
    pub fn anonymous() -> Self {
        Self::new("anonymous", "anonymous visitor", [Role::Public])
    }

    /// The same actor, maintaining `projects` as well.
    #[must_use]
    pub fn maintaining(mut self, projects: impl IntoIterator<Item = Slug>) -> Self {
        self.maintains.extend(projects);
        self
    }

    /// Whether the actor holds `role` ([`Role::Public`] always).
    pub fn has_role(&self, role: Role) -> bool {
        role == Role::Public || self.roles.contains(&role)
    }

    /// Whether the actor holds any role beyond [`Role::Public`], i.e. is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.roles.iter().any(|&r| r != Role::Public)
    }

    /// Whether the actor is a maintainer of `project`.
    pub fn maintains(&self, project: &Slug) -> bool {
        self.has_role(Role::Maintainer) && self.maintains.contains(project)
    }
}

named_enum! {
    /// Something an actor wants to do; see the module's matrix.
    pub enum Action("action") {
        /// See the target.
        Read => "read",
        /// Add a project to the catalogue.
        CreateProject => "create-project",
        /// Change a project's fields.
        EditProject => "edit-project",
        /// Remove a project from the catalogue.
        DeleteProject => "delete-project",
        /// Import or re-sync manifests and registries in bulk.
        ImportCatalogue => "import-catalogue",
        /// Add services, ingest SBOMs and lockfiles, set policy review states.
        ManageInventory => "manage-inventory",
        /// Create, edit, submit or withdraw one's own disclosure.
        SubmitDisclosure => "submit-disclosure",
        /// Review, recommend and decide on a disclosure.
        ReviewDisclosure => "review-disclosure",
        /// Record a decided disclosure as published in the catalogue.
        PublishDisclosure => "publish-disclosure",
        /// Ask to contribute to an external project.
        RequestContribution => "request-contribution",
        /// Give the OSPO's advice on a contribution request.
        AdviseContribution => "advise-contribution",
        /// Issue and revoke API tokens.
        ManageTokens => "manage-tokens",
        /// Grant and remove roles.
        ManageRoles => "manage-roles",
    }
}

/// Which office a disclosure is with: software goes to the OSPO, hardware to Knowledge
/// Transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Office {
    /// The Open Source Programme Office.
    Ospo,
    /// Knowledge Transfer.
    Kt,
}

/// What the action is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The catalogue as a whole (listing, search, creating, importing).
    Catalogue,
    /// One catalogue project.
    Project(&'a Slug),
    /// The open-source inventory of the lab's services.
    Inventory,
    /// One disclosure request.
    Disclosure {
        /// The submitter's actor id.
        submitter: &'a str,
        /// The office currently handling it.
        office: Office,
    },
    /// One contribution request.
    Contribution {
        /// The requester's actor id.
        requester: &'a str,
    },
    /// Accounts, tokens and roles.
    Accounts,
}

impl std::fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Catalogue => f.write_str("the catalogue"),
            Self::Project(slug) => write!(f, "project {:?}", slug.as_str()),
            Self::Inventory => f.write_str("the inventory"),
            Self::Disclosure { submitter, .. } => {
                write!(f, "a disclosure submitted by {submitter}")
            }
            Self::Contribution { requester } => write!(f, "a contribution request by {requester}"),
            Self::Accounts => f.write_str("accounts"),
        }
    }
}

/// A refusal: who was refused what, and what would be needed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{actor} may not {action} on {target}: {reason}")]
pub struct Denied {
    /// The refused actor's id.
    pub actor: String,
    /// What they tried.
    pub action: Action,
    /// The target, described in words.
    pub target: String,
    /// Why, and who may.
    pub reason: String,
    /// True if the actor was not signed in (an HTTP frontend answers 401 rather than 403).
    pub anonymous: bool,
}

/// Decides whether `actor` may do `action` on `target`, following the module's matrix.
pub fn may(actor: &Actor, action: Action, target: &Target<'_>) -> Result<(), Denied> {
    let signed_in = actor.is_signed_in();
    let ospo = actor.has_role(Role::OspoMember);
    let kt = actor.has_role(Role::KtReviewer);
    let admin = actor.has_role(Role::Admin);
    let own = |owner: &str| signed_in && actor.id == owner;
    let unless = |allowed: bool, reason: &str| (!allowed).then(|| reason.to_owned());
    let reason = match (action, target) {
        (Action::Read, Target::Catalogue | Target::Project(_)) => None,
        (Action::Read, Target::Inventory) => unless(
            signed_in,
            "the inventory is visible to signed-in lab staff only",
        ),
        (Action::Read, Target::Disclosure { submitter, .. }) => unless(
            own(submitter) || ospo || kt,
            "only its submitter, OSPO members and KT reviewers may",
        ),
        (Action::Read, Target::Contribution { requester }) => unless(
            own(requester) || ospo,
            "only its requester and OSPO members may",
        ),
        (Action::EditProject, Target::Project(slug)) => {
            unless(ospo || actor.maintains(slug), &edit_refusal(actor))
        }
        (
            Action::CreateProject | Action::DeleteProject | Action::ImportCatalogue,
            Target::Catalogue | Target::Project(_),
        )
        | (Action::ManageInventory, Target::Inventory)
        | (Action::PublishDisclosure, Target::Disclosure { .. })
        | (Action::AdviseContribution, Target::Contribution { .. }) => {
            unless(ospo, "only OSPO members may")
        }
        (Action::SubmitDisclosure, Target::Disclosure { submitter, .. }) => {
            if actor.has_role(Role::Maintainer) {
                unless(own(submitter), "only its submitter may change it")
            } else {
                Some("only maintainers may submit disclosures".into())
            }
        }
        (Action::ReviewDisclosure, Target::Disclosure { office, .. }) => match office {
            Office::Ospo => unless(ospo, "while it is with the OSPO, only OSPO members may"),
            Office::Kt => unless(
                kt,
                "while it is with Knowledge Transfer, only KT reviewers may",
            ),
        },
        (Action::RequestContribution, Target::Contribution { requester }) => unless(
            own(requester),
            "signed-in staff may file requests in their own name only",
        ),
        (Action::Read | Action::ManageTokens | Action::ManageRoles, Target::Accounts) => {
            unless(admin, "only admins may")
        }
        (action, target) => Some(format!("{action} does not apply to {target}")),
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(Denied {
            actor: actor.id.clone(),
            action,
            target: target.to_string(),
            reason,
            anonymous: !signed_in,
        }),
    }
}

/// Why `actor` may not edit a project, listing what they do maintain.
fn edit_refusal(actor: &Actor) -> String {
    let reason = "only its maintainers and OSPO members may";
    if !actor.has_role(Role::Maintainer) {
        return reason.to_owned();
    }
    let list: Vec<&str> = actor.maintains.iter().map(Slug::as_str).collect();
    let list = if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    };
    format!("{reason} ({} maintains: {list})", actor.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> Slug {
        Slug::parse(s).unwrap()
    }

    fn actors() -> [Actor; 5] {
        [
            Actor::anonymous(),
            Actor::new("m1", "Maintainer", [Role::Maintainer]).maintaining([slug("root")]),
            Actor::new("o1", "Curator", [Role::OspoMember]),
            Actor::new("k1", "KT", [Role::KtReviewer]),
            Actor::new("a1", "Admin", [Role::Admin]),
        ]
    }

    /// Runs `action` on `target` for [anonymous, maintainer of root, OSPO, KT, admin].
    fn row(action: Action, target: Target<'_>) -> [bool; 5] {
        actors().map(|actor| may(&actor, action, &target).is_ok())
    }

    #[test]
    fn role_matrix_for_projects() {
        let root = slug("root");
        let geant4 = slug("geant4");
        assert_eq!(row(Action::Read, Target::Project(&geant4)), [true; 5]);
        assert_eq!(
            row(Action::EditProject, Target::Project(&root)),
            [false, true, true, false, false]
        );
        assert_eq!(
            row(Action::EditProject, Target::Project(&geant4)),
            [false, false, true, false, false]
        );
        assert_eq!(
            row(Action::DeleteProject, Target::Project(&root)),
            [false, false, true, false, false]
        );
        assert_eq!(
            row(Action::ImportCatalogue, Target::Catalogue),
            [false, false, true, false, false]
        );
        assert_eq!(
            row(Action::Read, Target::Inventory),
            [false, true, true, true, true]
        );
        assert_eq!(
            row(Action::ManageInventory, Target::Inventory),
            [false, false, true, false, false]
        );
        assert_eq!(
            row(Action::ManageRoles, Target::Accounts),
            [false, false, false, false, true]
        );
        assert_eq!(
            row(Action::ManageTokens, Target::Accounts),
            [false, false, false, false, true]
        );
    }

    #[test]
    fn role_matrix_for_disclosures_and_contributions() {
        let own = Target::Disclosure {
            submitter: "m1",
            office: Office::Ospo,
        };
        let other = Target::Disclosure {
            submitter: "m2",
            office: Office::Ospo,
        };
        let at_kt = Target::Disclosure {
            submitter: "m1",
            office: Office::Kt,
        };
        assert_eq!(
            row(Action::SubmitDisclosure, own),
            [false, true, false, false, false]
        );
        assert_eq!(row(Action::SubmitDisclosure, other), [false; 5]);
        assert_eq!(row(Action::Read, own), [false, true, true, true, false]);
        assert_eq!(row(Action::Read, other), [false, false, true, true, false]);
        assert_eq!(
            row(Action::ReviewDisclosure, own),
            [false, false, true, false, false]
        );
        assert_eq!(
            row(Action::ReviewDisclosure, at_kt),
            [false, false, false, true, false]
        );
        assert_eq!(
            row(Action::PublishDisclosure, at_kt),
            [false, false, true, false, false]
        );
        let request = Target::Contribution { requester: "m1" };
        assert_eq!(
            row(Action::RequestContribution, request),
            [false, true, false, false, false]
        );
        assert_eq!(
            row(Action::AdviseContribution, request),
            [false, false, true, false, false]
        );
    }

    #[test]
    fn maintainer_needs_the_role_as_well_as_the_project() {
        let former =
            Actor::new("x", "Former maintainer", [Role::Public]).maintaining([slug("root")]);
        assert!(!former.maintains(&slug("root")));
        assert!(
            may(
                &former,
                Action::EditProject,
                &Target::Project(&slug("root"))
            )
            .is_err()
        );
    }

    #[test]
    fn refusals_explain_themselves() {
        let [anonymous, maintainer, ..] = actors();
        let geant4 = slug("geant4");
        let denied = may(&maintainer, Action::EditProject, &Target::Project(&geant4)).unwrap_err();
        assert_eq!(
            denied.to_string(),
            "m1 may not edit-project on project \"geant4\": only its maintainers and OSPO members may (m1 maintains: root)"
        );
        assert!(!denied.anonymous);
        let denied = may(&anonymous, Action::EditProject, &Target::Project(&geant4)).unwrap_err();
        assert!(denied.anonymous);
        let denied = may(&maintainer, Action::EditProject, &Target::Inventory).unwrap_err();
        assert!(
            denied
                .reason
                .contains("edit-project does not apply to the inventory"),
            "{denied}"
        );
    }

    #[test]
    fn roles_serialise_in_kebab_case() {
        let actor = Actor::new("o1", "Curator", [Role::OspoMember, Role::KtReviewer]);
        let json = serde_json::to_value(&actor).unwrap();
        assert_eq!(
            json["roles"],
            serde_json::json!(["ospo-member", "kt-reviewer"])
        );
        assert_eq!("ospo-member".parse::<Role>().unwrap(), Role::OspoMember);
        assert_eq!(
            serde_json::to_value(Action::EditProject).unwrap(),
            "edit-project"
        );
    }
}
