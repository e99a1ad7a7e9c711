//! A real server on loopback over a real database file, seeded with the demo district.

#![allow(dead_code)]

pub mod browser;
pub mod draws;
pub mod instant;

use std::sync::Arc;

use fucai_app::demo::DemoCredentials;
use fucai_app::{App, Config, Role};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};

/// A 1×1 PNG (an image to upload).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub struct Server {
    pub base: String,
    pub app: Arc<App>,
    pub credentials: DemoCredentials,
    pub client: Client,
    pub dir: tempfile::TempDir,
}

/// A signed-in person: cookie and CSRF token.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub const OWN_STATION: &str = "32041201001";
pub const OTHER_STATION: &str = "32041202001";

pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// A server whose configuration `adjust` changes first.
pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().unwrap();
    start_serving(dir, adjust, fucai_web::ServeOptions::default()).await
}

/// A server with these connection limits.
pub async fn start_limited(limits: fucai_web::ServeOptions) -> Server {
    let dir = tempfile::tempdir().unwrap();
    start_serving(dir, |_| {}, limits).await
}

/// A server whose database (and seal directory) live in `dir`.
pub async fn start_in(dir: tempfile::TempDir) -> Server {
    start_serving(dir, |_| {}, fucai_web::ServeOptions::default()).await
}

async fn start_serving(
    dir: tempfile::TempDir,
    adjust: impl FnOnce(&mut Config),
    limits: fucai_web::ServeOptions,
) -> Server {
    let url = dir.path().join("test.db").display().to_string();
    let mut config = Config::new(&url);
    adjust(&mut config);
    let app = Arc::new(App::open(&config).unwrap());
    // The demo calendar is laid around the real date, whatever the process clock says.
    let today = fucai_app::beijing_date(chrono::Utc::now().timestamp_millis());
    let credentials = fucai_app::demo::seed(&app, today).unwrap();
    // Draws on sale whatever the time of day (the demo calendar's own draws close at 20:00
    // and reopen at 21:30 Beijing time): 2098001…2098005 of every game.
    for game in fucai_games::Game::ALL {
        fucai_app::demo::add_practice_draws(&app, game, 2098, 5).unwrap();
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fucai_web::serve_with(
        app.clone(),
        listener,
        Default::default(),
        limits,
    ));
    Server {
        base,
        app,
        credentials,
        client: Client::new(),
        dir,
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn password(&self, role: Role) -> (String, String) {
        let (u, _, p) = self
            .credentials
            .users
            .iter()
            .find(|(_, r, _)| *r == role)
            .unwrap();
        (u.clone(), p.clone())
    }

    /// `Authorization` header of a station's terminal.
    pub fn terminal(&self, station: &str) -> HeaderMap {
        let (code, _, secret) = self
            .credentials
            .terminals
            .iter()
            .find(|(_, s, _)| s == station)
            .unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            AUTHORIZATION,
            HeaderValue::from_str(&format!("Terminal {code}:{secret}")).unwrap(),
        );
        h
    }

    pub async fn login(&self, role: Role) -> Session {
        let (username, password) = self.password(role);
        let r = self
            .client
            .post(self.url("/api/v1/session"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = r
            .headers()
            .get(SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let body: Value = r.json().await.unwrap();
        Session {
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    pub fn session_headers(&self, s: &Session) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_str(&s.cookie).unwrap());
        h.insert("x-csrf-token", HeaderValue::from_str(&s.csrf).unwrap());
        h
    }

    /// GET as a signed-in person.
    async fn get_signed_in(&self, path: &str, session: &Session) -> Response {
        self.client
            .get(self.url(path))
            .headers(self.session_headers(session))
            .send()
            .await
            .unwrap()
    }

    /// GET as a signed-in person, the body as JSON.
    pub async fn get_json(&self, path: &str, session: &Session) -> Value {
        self.get_signed_in(path, session)
            .await
            .json()
            .await
            .unwrap()
    }

    /// GET as a signed-in person, the body as bytes (an XLSX export).
    pub async fn get_bytes(&self, path: &str, session: &Session) -> Vec<u8> {
        let r = self.get_signed_in(path, session).await;
        r.bytes().await.unwrap().to_vec()
    }

    /// GET without signing in, the body as text.
    pub async fn get_public_text(&self, path: &str) -> String {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// GET without signing in, the body as JSON.
    pub async fn get_public_json(&self, path: &str) -> Value {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// GET as a signed-in person, the body as text.
    pub async fn get_text(&self, path: &str, session: &Session) -> String {
        self.get_signed_in(path, session)
            .await
            .text()
            .await
            .unwrap()
    }

    /// POST a file (CSV or XLSX) as a signed-in person.
    pub async fn upload(
        &self,
        path: &str,
        session: &Session,
        body: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .headers(self.session_headers(session))
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A draw of `game` on sale now (and four more after it).
    pub async fn open_draw(&self, game: &str) -> String {
        let draws: Value = self
            .client
            .get(self.url(&format!("/api/v1/draws?game={game}&limit=200")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let listed = draws
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["number"] == "2098001");
        assert!(listed, "the open-draw listing shows the test draw");
        "2098001".to_string()
    }

    pub async fn sell(&self, station: &str, body: Value) -> Response {
        self.client
            .post(self.url("/api/v1/tickets"))
            .headers(self.terminal(station))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub fn ticket_count(&self) -> i64 {
        self.app.store().read(|r| r.ticket_count()).unwrap()
    }

    pub fn entry_count(&self) -> i64 {
        self.app
            .store()
            .read(|r| r.verify_ledger())
            .unwrap()
            .entries
    }

    /// The status a sign-in with these credentials gets.
    pub async fn sign_in_status(&self, username: &str, password: &str) -> StatusCode {
        self.client
            .post(self.url("/api/v1/session"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
            .status()
    }

    /// Imports upstream daily sales (date, station, game, 元; 2元 a bet) as `who`, asserting
    /// the file is taken whole.
    pub async fn daily_sales(&self, who: &Session, rows: &[(&str, &str, &str, i64)]) {
        let mut file = String::from("date,station,game,amount,bets\n");
        for (date, station, game, yuan) in rows {
            file.push_str(&format!("{date},{station},{game},{yuan},{}\n", yuan / 2));
        }
        let r = self.upload("/api/v1/daily-sales/import", who, file).await;
        assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    }

    /// An account's balance as `GET /api/v1/ledger/balances` shows it to `who`.
    pub async fn balance(&self, account: &str, who: &Session) -> Value {
        let balances = self.get_json("/api/v1/ledger/balances", who).await;
        balances
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["account"] == account)
            .map_or(Value::Null, |b| b["balance_fen"].clone())
    }

    pub fn ledger_ok(&self) -> bool {
        self.app
            .store()
            .read(|r| r.verify_ledger())
            .unwrap()
            .is_ok()
    }
}

/// The JSON error body's code, asserting the shape.
pub async fn error_code(r: Response) -> (StatusCode, String, String) {
    let status = r.status();
    let body: Value = r.json().await.expect("error bodies are JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_string();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_string();
    (status, code, message)
}
