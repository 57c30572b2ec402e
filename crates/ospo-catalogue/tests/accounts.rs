//! Accounts and API tokens on both backends: only admins grant roles and issue tokens, a
//! token acts as its account until revoked, and only its hash is stored.

mod support;

use ospo_catalogue::{Account, CatalogueError};
use ospo_core::{Actor, Role, Slug};
use support::{Backend, curator, fresh, now};

on_both_backends!(tokens_act_as_their_account_until_revoked);

fn admin() -> Actor {
    Actor::new("root", "Admin", [Role::Admin])
}

async fn tokens_act_as_their_account_until_revoked(b: Backend) {
    let (cat, _dir) = fresh(b).await;
    let dev = Account {
        id: "jdoe".into(),
        name: "J. Doe".into(),
        roles: [Role::Maintainer].into_iter().collect(),
        maintains: [Slug::parse("indico").unwrap()].into_iter().collect(),
    };
    let err = cat.put_account(&curator(), &dev, &now()).await.unwrap_err();
    assert!(
        matches!(err, CatalogueError::Denied(_)),
        "only admins grant roles: {err:?}"
    );
    cat.put_account(&admin(), &dev, &now()).await.unwrap();
    assert_eq!(cat.account("jdoe").await.unwrap(), Some(dev.clone()));
    assert!(
        cat.issue_token(&curator(), "jdoe", "ci", &now())
            .await
            .is_err(),
        "only admins issue tokens"
    );
    let issued = cat
        .issue_token(&admin(), "jdoe", "ci", &now())
        .await
        .unwrap();
    assert!(issued.token.starts_with("ospo_") && issued.token.len() == 69);
    let actor = cat
        .actor_for_token(&issued.token)
        .await
        .unwrap()
        .expect("the token is known");
    assert_eq!(actor.id, "jdoe");
    assert!(actor.maintains(&Slug::parse("indico").unwrap()));
    assert!(
        cat.actor_for_token(
            "ospo_0000000000000000000000000000000000000000000000000000000000000000"
        )
        .await
        .unwrap()
        .is_none()
    );
    assert!(cat.actor_for_token("not a token").await.unwrap().is_none());
    assert_eq!(
        cat.revoke_tokens(&admin(), "jdoe", "ci", &now())
            .await
            .unwrap(),
        1
    );
    assert!(
        cat.actor_for_token(&issued.token).await.unwrap().is_none(),
        "a revoked token no longer works"
    );
    let missing = cat.issue_token(&admin(), "nobody", "x", &now()).await;
    assert!(matches!(missing, Err(CatalogueError::NotFound(_))));
}
