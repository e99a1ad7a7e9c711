//! A demo district on a real database file, and the people and terminal that act in it.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use fucai_app::demo::DemoCredentials;
use fucai_app::{now_ms, App, Config, Principal, Role, SaleRequest};

pub struct District {
    pub app: Arc<App>,
    pub credentials: DemoCredentials,
    pub dir: tempfile::TempDir,
}

impl District {
    /// The demo district, seeded today.
    pub fn new() -> District {
        District::with(|_| {})
    }

    /// The demo district with its configuration changed by `adjust` first.
    pub fn with(adjust: impl FnOnce(&mut Config)) -> District {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("d.db").display().to_string();
        let mut config = Config::new(url);
        adjust(&mut config);
        let app = Arc::new(App::open(&config).unwrap());
        let credentials = fucai_app::demo::seed(&app, fucai_app::beijing_date(now_ms())).unwrap();
        District {
            app,
            credentials,
            dir,
        }
    }

    pub fn person(&self, role: Role) -> Principal {
        let (user, _, password) = self
            .credentials
            .users
            .iter()
            .find(|(_, r, _)| *r == role)
            .unwrap();
        self.app.authenticate(user, password).unwrap()
    }

    /// The first demo station's terminal.
    pub fn terminal(&self) -> Principal {
        let (code, _, secret) = &self.credentials.terminals[0];
        self.app.terminal(code, secret).unwrap()
    }

    /// 双色球 draws `numbers`, on sale now and closing in 1.5 s.
    pub fn short_draws(&self, numbers: &[String]) -> i64 {
        let cutoff = now_ms() + 1_500;
        self.app
            .store()
            .write(|tx| {
                for n in numbers {
                    tx.insert_draw("ssq", n, cutoff - 3_600_000, cutoff, cutoff + 60_000)?;
                }
                Ok(())
            })
            .unwrap();
        cutoff
    }

    /// Sells one 双色球 ticket of `lines` × `multiple` on `draw`; its (serial, code).
    pub async fn sell(
        &self,
        id: &str,
        draw: &str,
        lines: &[&str],
        multiple: u32,
    ) -> (String, String) {
        let sale = SaleRequest {
            request_id: id.into(),
            game: "ssq".into(),
            draw: draw.into(),
            draws: 1,
            multiple,
            selections: lines.iter().map(|l| l.to_string()).collect(),
        };
        let t = self.app.sell(&self.terminal(), sale).await.unwrap().ticket;
        (t.serial, t.verification_code)
    }

    /// Waits out the cutoff, then seals each draw and records `result` by two people.
    pub async fn seal_and_result(&self, cutoff: i64, numbers: &[String], result: &str) {
        tokio::time::sleep(Duration::from_millis(
            (cutoff - now_ms()).max(0) as u64 + 100,
        ))
        .await;
        let (ops, admin) = (self.person(Role::Operations), self.person(Role::Admin));
        for n in numbers {
            self.app.seal_draw(&ops, "ssq", n).await.unwrap();
            self.app.enter_result(&ops, "ssq", n, result).await.unwrap();
            self.app
                .enter_result(&admin, "ssq", n, result)
                .await
                .unwrap();
        }
    }
}
