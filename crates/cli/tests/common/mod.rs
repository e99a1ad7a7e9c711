//! A demo database made by `fucai demo --no-serve`, with its people's passwords.

#![allow(dead_code)]

use std::collections::HashMap;
use std::process::{Command, Output};

pub struct DemoDb {
    pub dir: tempfile::TempDir,
    pub url: String,
    pub passwords: HashMap<String, String>,
}

impl DemoDb {
    pub fn new() -> DemoDb {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("demo.db").display().to_string();
        let seeded = Command::new(env!("CARGO_BIN_EXE_fucai"))
            .args(["demo", "--no-serve", "--database-url", &url])
            .output()
            .unwrap();
        assert!(seeded.status.success(), "{}", text(&seeded));
        let credentials = std::fs::read_to_string(format!("{url}.credentials.txt")).unwrap();
        let passwords = credentials
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let parts: Vec<&str> = l.split(' ').collect();
                (parts.len() == 3 && !parts[0].starts_with('T'))
                    .then(|| (parts[0].to_string(), parts[2].to_string()))
            })
            .collect();
        DemoDb {
            dir,
            url,
            passwords,
        }
    }

    /// (username, password) of a demo user.
    pub fn user(&self, name: &str) -> Option<(&str, &str)> {
        self.passwords
            .get_key_value(name)
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `fucai ARGS --database-url DB`, signed in as `user` when given.
    pub fn run(&self, user: Option<(&str, &str)>, args: &[&str]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_fucai"));
        c.args(args).args(["--database-url", &self.url]);
        if let Some((name, password)) = user {
            c.args(["--user", name]).env("FUCAI_PASSWORD", password);
        }
        c.output().unwrap()
    }
}

/// Standard output and error together.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}
