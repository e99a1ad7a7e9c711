//! Sign-in under attack, sessions, and the secrets a listing must not show.

mod common;

use std::time::{Duration, Instant};

use common::*;
use fucai_app::{Role, LOGIN_FAILURES_ALLOWED};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn forty_simultaneous_wrong_passwords_get_exactly_five_checked() {
    let s = start().await;
    let (user, _) = s.password(Role::Finance);
    let attempts = (0..40).map(|i| {
        let (s, user) = (&s, user.clone());
        async move { s.sign_in_status(&user, &format!("wrong-{i}")).await }
    });
    let statuses = futures::future::join_all(attempts).await;
    let checked = statuses
        .iter()
        .filter(|&&st| st == StatusCode::UNAUTHORIZED)
        .count();
    let limited = statuses
        .iter()
        .filter(|&&st| st == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked, LOGIN_FAILURES_ALLOWED, "{statuses:?}");
    assert_eq!(limited, 40 - LOGIN_FAILURES_ALLOWED, "{statuses:?}");
}

#[tokio::test]
async fn one_locked_account_leaves_the_others_signing_in_from_the_same_address() {
    let s = start().await;
    let (victim, right) = s.password(Role::Welfare);
    for _ in 0..LOGIN_FAILURES_ALLOWED {
        assert_eq!(
            s.sign_in_status(&victim, "wrong password").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        s.sign_in_status(&victim, &right).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Everyone else, from the same address, still signs in.
    for role in [
        Role::Admin,
        Role::Finance,
        Role::Auditor,
        Role::StationClerk,
    ] {
        let (user, password) = s.password(role);
        assert_eq!(
            s.sign_in_status(&user, &password).await,
            StatusCode::OK,
            "{role:?}"
        );
    }
    // Guessing at names that do not exist is counted per name too.
    for i in 0..LOGIN_FAILURES_ALLOWED {
        assert_eq!(
            s.sign_in_status(&format!("nobody{i}"), "whatever-pass")
                .await,
            StatusCode::UNAUTHORIZED
        );
    }
    let (user, password) = s.password(Role::Operations);
    assert_eq!(s.sign_in_status(&user, &password).await, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_user_costs_the_same_password_check_as_a_known_one() {
    let s = start().await;
    let (known, _) = s.password(Role::Auditor);
    // Warm up (the decoy hash is made on first use).
    s.sign_in_status("warm-up-user", "x").await;
    let median = |name: String| {
        let s = &s;
        async move {
            let mut times = Vec::new();
            for i in 0..3 {
                let started = Instant::now();
                let st = s.sign_in_status(&name, &format!("wrong-{i}")).await;
                assert_eq!(st, StatusCode::UNAUTHORIZED);
                times.push(started.elapsed());
            }
            times.sort();
            times[1]
        }
    };
    let known_time = median(known).await;
    let unknown_time = median("no-such-user".to_string()).await;
    // Both pay for argon2id (tens of milliseconds); an unchecked unknown name answers in
    // well under a millisecond.
    assert!(
        unknown_time * 3 > known_time && unknown_time > Duration::from_millis(3),
        "unknown {unknown_time:?} vs known {known_time:?}"
    );
}

#[tokio::test]
async fn signing_out_needs_the_csrf_token_and_the_session_names_the_station() {
    let s = start().await;
    let clerk = s.login(Role::StationClerk).await;
    let me = s.get_json("/api/v1/session", &clerk).await;
    assert_eq!(me["role"], "station_clerk");
    assert_eq!(me["station"], OWN_STATION);
    let admin = s.login(Role::Admin).await;
    assert_eq!(
        s.get_json("/api/v1/session", &admin).await["station"],
        Value::Null
    );

    let without_token = s
        .client
        .delete(s.url("/api/v1/session"))
        .header("cookie", &clerk.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(without_token).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        s.get_json("/api/v1/session", &clerk).await["role"],
        "station_clerk"
    );
    let with_token = s
        .client
        .delete(s.url("/api/v1/session"))
        .headers(s.session_headers(&clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(with_token.status(), StatusCode::NO_CONTENT);
    let after = s
        .client
        .get(s.url("/api/v1/session"))
        .headers(s.session_headers(&clerk))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn verification_codes_are_only_in_the_sale_answer() {
    let s = start().await;
    let sell = || async {
        let r = s
            .sell(
                OWN_STATION,
                json!({"request_id": "codes-1", "game": "ssq", "draw": "2098001",
                    "selections": ["01 02 03 04 05 06 + 07"]}),
            )
            .await;
        r.json::<Value>().await.unwrap()
    };
    let sold = sell().await;
    let serial = sold["serial"].as_str().unwrap().to_string();
    let code = sold["verification_code"]
        .as_str()
        .expect("the sale shows its code");
    assert!(!code.is_empty());

    let mut answers: Vec<(String, String)> = Vec::new();
    for role in Role::ALL {
        let session = s.login(role).await;
        let text = s
            .get_text(&format!("/api/v1/stations/{OWN_STATION}/tickets"), &session)
            .await;
        answers.push((format!("listing as {}", role.code()), text));
    }
    let lookup = s
        .get_public_text(&format!("/api/v1/tickets/{serial}?code={code}"))
        .await;
    answers.push(("lookup".into(), lookup.clone()));
    assert!(lookup.contains(&serial), "{lookup}");
    // The same request again (a retry) repeats the sale to its own terminal.
    let retry = sell().await;
    assert_eq!(retry["verification_code"], code);
    let cancelled = s
        .client
        .post(s.url(&format!("/api/v1/tickets/{serial}/cancel")))
        .headers(s.terminal(OWN_STATION))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    answers.push(("cancel".into(), cancelled));
    let mut listed_somewhere = false;
    for (what, text) in &answers {
        assert!(!text.contains("verification_code"), "{what}: {text}");
        assert!(!text.contains(code), "{what} shows the code");
        listed_somewhere |= text.contains(&serial);
    }
    assert!(listed_somewhere, "the listings show the ticket itself");
}
