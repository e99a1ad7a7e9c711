//! Centers and user accounts as files: import all rows or none, export, round trip by XLSX.

mod common;

use common::{start, OWN_STATION};
use fucai_app::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn centers_import_checks_the_hierarchy_and_round_trips_through_xlsx() {
    let s = start().await;
    let ops = s.login(Role::Operations).await;
    let before = s.get_text("/api/v1/centers/export", &ops).await;
    assert!(before.starts_with("code,name,level,parent\n"), "{before}");
    assert!(before.contains("320412,"), "{before}");

    // A district under a province, an unknown level, a repeated code: nothing is imported.
    let bad = "code,name,level,parent\n3213,宿迁市福利彩票发行中心,city,32\n321302,宿城区,district,32\n321303,宿豫区,county,3213\n3213,again,city,32\n";
    let r = s.upload("/api/v1/centers/import", &ops, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    let errors: Vec<(i64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (2, "parent".to_string()),
            (3, "level".to_string()),
            (4, "code".to_string())
        ],
        "{report}"
    );
    assert_eq!(s.get_text("/api/v1/centers/export", &ops).await, before);

    // Moving an existing center is refused; a new city with its district and a rename import.
    let moved = "code,name,level,parent\n320412,武进区,district,3213\n";
    assert_eq!(
        s.upload("/api/v1/centers/import", &ops, moved)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let good = "code,name,level,parent\n321302,宿城区福利彩票发行中心,district,3213\n3213,宿迁市福利彩票发行中心,city,32\n3204,常州市福彩中心,city,32\n";
    let r = s.upload("/api/v1/centers/import", &ops, good).await;
    assert_eq!(r.status(), StatusCode::OK);
    let after = s.get_text("/api/v1/centers/export", &ops).await;
    assert!(
        after.contains("321302,宿城区福利彩票发行中心,district,3213"),
        "{after}"
    );
    assert!(after.contains("3204,常州市福彩中心,city,32"), "{after}");

    // The XLSX export imports back unchanged.
    let xlsx = s
        .get_bytes("/api/v1/centers/export?format=xlsx", &ops)
        .await;
    let r = s.upload("/api/v1/centers/import", &ops, xlsx).await;
    let status = r.status();
    let report: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["imported"], 5);
    assert_eq!(s.get_text("/api/v1/centers/export", &ops).await, after);

    // Stations can be registered under the new district's towns.
    let town = "code,name,center\n32130201,幸福街道,321302\n";
    assert_eq!(
        s.upload("/api/v1/towns/import", &ops, town).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn users_import_gives_first_passwords_or_imports_nothing() {
    let s = start().await;
    let admin = s.login(Role::Admin).await;
    let (taken, _) = s.password(Role::Finance);
    let bad = format!(
        "username,display_name,role,station\nzhang.wei,张伟,finance,\n{taken},重名,finance,\nli.na,李娜,station_clerk,\nwang.fang,王芳,cashier,\n"
    );
    let r = s.upload("/api/v1/users/import", &admin, bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let report: Value = r.json().await.unwrap();
    let columns: Vec<&str> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["column"].as_str().unwrap())
        .collect();
    assert_eq!(columns, ["username", "station", "role"], "{report}");
    let login = |u: &str, p: &str| {
        s.client
            .post(s.url("/api/v1/session"))
            .json(&json!({"username": u, "password": p}))
            .send()
    };
    assert_eq!(
        login("zhang.wei", "whatever").await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "nothing imported"
    );

    let good = format!("username,display_name,role,station\nzhang.wei,张伟,finance,\nli.na,李娜,station_clerk,{OWN_STATION}\n");
    let r = s.upload("/api/v1/users/import", &admin, good.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 2);
    for pair in report["passwords"].as_array().unwrap() {
        let (u, p) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        assert_eq!(login(u, p).await.unwrap().status(), StatusCode::OK, "{u}");
    }
    // Importing the same people again is refused whole.
    assert_eq!(
        s.upload("/api/v1/users/import", &admin, good)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let csv = s.get_text("/api/v1/users/export", &admin).await;
    assert!(
        csv.starts_with("username,display_name,role,station,active\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("li.na,李娜,station_clerk,{OWN_STATION},true")),
        "{csv}"
    );
    assert!(!csv.contains("argon2"), "no password hashes");
}
