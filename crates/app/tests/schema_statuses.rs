//! Every status column's `CHECK` lists exactly its type's statuses, and the database itself
//! refuses any other value — whatever code writes to it.

use fucai_app::{App, Config};
use fucai_store::{
    DrawStatus, GrantStatus, ProgrammeStatus, StationStatus, TerminalStatus, TicketStatus,
    WinningStatus,
};

/// (table, the statuses its `status` column may hold).
fn status_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    fn texts<T: Copy>(all: &[T], text: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|s| text(*s)).collect()
    }
    vec![
        ("draws", texts(DrawStatus::ALL, DrawStatus::as_str)),
        ("tickets", texts(TicketStatus::ALL, TicketStatus::as_str)),
        (
            "ticket_winnings",
            texts(WinningStatus::ALL, WinningStatus::as_str),
        ),
        (
            "programmes",
            texts(ProgrammeStatus::ALL, ProgrammeStatus::as_str),
        ),
        ("grants", texts(GrantStatus::ALL, GrantStatus::as_str)),
        ("stations", texts(StationStatus::ALL, StationStatus::as_str)),
        (
            "terminals",
            texts(TerminalStatus::ALL, TerminalStatus::as_str),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_column_refuses_a_value_outside_its_type() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let app = App::open(&Config::new(path.display().to_string())).unwrap();
    // The demo fills every table that has a status: stations and terminals, draws, tickets
    // and their winnings (a rehearsed, settled draw), programmes and grants (the reference
    // year's welfare events).
    let credentials =
        fucai_app::demo::seed(&app, fucai_app::beijing_date(fucai_app::now_ms())).unwrap();
    fucai_app::demo::seed_reference_year(&app).await.unwrap();
    fucai_app::demo::rehearse_last_draw(&app, &credentials)
        .await
        .unwrap();

    let db = rusqlite::Connection::open(&path).unwrap();
    db.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    for (table, statuses) in status_columns() {
        let sql: String = db
            .query_row(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        let mut listed =
            check_list(&sql).unwrap_or_else(|| panic!("{table}.status has no CHECK: {sql}"));
        let mut expected: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
        listed.sort();
        expected.sort();
        assert_eq!(listed, expected, "{table}.status");

        let rows: i64 = db
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert!(rows > 0, "the demo leaves no row in {table}");
        let refused = db.execute(
            &format!("UPDATE {table} SET status = 'bogus' WHERE rowid = (SELECT MIN(rowid) FROM {table})"),
            [],
        );
        let why = refused
            .expect_err(&format!("{table}.status took 'bogus'"))
            .to_string();
        assert!(why.contains("CHECK constraint failed"), "{table}: {why}");
        for status in &statuses {
            // Every status of the type is accepted (rolled back: nothing changes).
            db.execute_batch("SAVEPOINT s").unwrap();
            db.execute(
                &format!(
                    "UPDATE {table} SET status = ?1 WHERE rowid = (SELECT MIN(rowid) FROM {table})"
                ),
                [status],
            )
            .unwrap_or_else(|e| panic!("{table}.status refused {status}: {e}"));
            db.execute_batch("ROLLBACK TO s; RELEASE s").unwrap();
        }
    }
}

/// The quoted values of `status ... CHECK (status IN (...))` in a CREATE TABLE statement.
fn check_list(sql: &str) -> Option<Vec<String>> {
    let at = sql.find("CHECK (status IN (")? + "CHECK (status IN (".len();
    let end = at + sql[at..].find(')')?;
    Some(
        sql[at..end]
            .split(',')
            .map(|v| v.trim().trim_matches('\'').to_string())
            .collect(),
    )
}
