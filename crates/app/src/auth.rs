//! People and terminals proving who they are: argon2id passwords, session tokens, terminal
//! secrets, and a limit on failed logins.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// Failed logins allowed per account and per address inside the window.
pub const LOGIN_FAILURES_ALLOWED: usize = 5;
pub const LOGIN_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AppError::internal(format!("salt: {e}")))?;
    Argon2::default() // argon2id, v19
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("password hashing: {e}")))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// What an unknown user name's password is checked against, so that it costs the same
/// argon2 work as a known one and names cannot be found by timing.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&random_token(16)).expect("hashing the decoy password"));

/// Checks a password against an account's stored hash, or against the decoy when there is
/// no such account (always false then, after the same work).
pub fn verify_password_of(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(hash) => verify_password(password, hash),
        None => {
            let _ = verify_password(password, &DECOY_HASH);
            false
        }
    }
}

/// A random secret as hex (session tokens, CSRF tokens, terminal secrets, keys).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// Tokens and terminal secrets are high-entropy, so a plain SHA-256 is the right storage
/// hash (and cheap enough to check on every sale).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison of two hex digests.
pub fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The key a sign-in attempt is counted under.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttemptKey {
    /// The account asked for (known or not).
    Account(String),
    /// Where the attempt came from: an address, or `cli`.
    Source(String),
}

impl AttemptKey {
    /// Failed attempts allowed under this key inside the window. A source (one address; a
    /// reverse proxy's is every member of staff's) gets many more than an account, so one
    /// guessed-at account never locks the others out.
    fn allowed(&self) -> usize {
        match self {
            AttemptKey::Account(_) => LOGIN_FAILURES_ALLOWED,
            AttemptKey::Source(_) => SOURCE_FAILURES_ALLOWED,
        }
    }
}

/// Failed logins allowed from one source inside the window, over all accounts.
pub const SOURCE_FAILURES_ALLOWED: usize = 50;

/// Counts failed logins per account and per source in a sliding window. An attempt is
/// counted as failed when it starts ([`LoginLimiter::begin`]: the check and the count under
/// one lock), and taken back if the password was right, so concurrent attempts cannot slip
/// past the limit while the password hash is being checked.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<AttemptKey, Vec<i64>>>,
}

/// An attempt under way, already counted as a failure.
#[must_use = "an attempt is settled by `succeeded`; dropping it leaves it counted as failed"]
pub struct Attempt<'a> {
    limiter: &'a LoginLimiter,
    keys: [AttemptKey; 2],
    at: i64,
}

impl LoginLimiter {
    /// Refuses when either key has used its failures in the window; otherwise counts this
    /// attempt as one more failure under both.
    pub fn begin(&self, account: &str, source: &str, now: i64) -> AppResult<Attempt<'_>> {
        let keys = [
            AttemptKey::Account(account.to_string()),
            AttemptKey::Source(source.to_string()),
        ];
        let mut failures = self.failures.lock().expect("limiter lock");
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.iter().any(|&t| now - t < LOGIN_WINDOW_MS));
        }
        for key in &keys {
            if let Some(times) = failures.get_mut(key) {
                times.retain(|&t| now - t < LOGIN_WINDOW_MS);
                if times.len() >= key.allowed() {
                    let retry_after_ms = LOGIN_WINDOW_MS - (now - times[0]);
                    return Err(AppError::RateLimited {
                        retry_after_s: (retry_after_ms / 1000).max(1) as u64,
                    });
                }
            }
        }
        for key in &keys {
            failures.entry(key.clone()).or_default().push(now);
        }
        Ok(Attempt {
            limiter: self,
            keys,
            at: now,
        })
    }
}

impl Attempt<'_> {
    /// The password was right: the account's failures are forgotten and this attempt is no
    /// longer counted against its source.
    pub fn succeeded(self) {
        let mut failures = self.limiter.failures.lock().expect("limiter lock");
        let [account, source] = &self.keys;
        failures.remove(account);
        if let Some(times) = failures.get_mut(source) {
            if let Some(i) = times.iter().position(|&t| t == self.at) {
                times.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
    }

    #[test]
    fn the_limiter_locks_after_five_failures_and_forgets_after_the_window() {
        let l = LoginLimiter::default();
        for i in 0..5 {
            drop(l.begin("a", "10.0.0.1", i).unwrap());
        }
        assert!(matches!(
            l.begin("a", "10.0.0.1", 10),
            Err(AppError::RateLimited { .. })
        ));
        // Another account from the same source is not locked out.
        l.begin("b", "10.0.0.1", 10).unwrap().succeeded();
        drop(l.begin("a", "10.0.0.1", LOGIN_WINDOW_MS + 10).unwrap());
    }

    #[test]
    fn a_source_is_locked_after_its_own_larger_limit() {
        let l = LoginLimiter::default();
        for i in 0..SOURCE_FAILURES_ALLOWED {
            drop(l.begin(&format!("user{i}"), "proxy", 1).unwrap());
        }
        assert!(matches!(
            l.begin("someone", "proxy", 2),
            Err(AppError::RateLimited { .. })
        ));
        l.begin("someone", "elsewhere", 2).unwrap().succeeded();
    }

    #[test]
    fn a_successful_attempt_is_taken_back() {
        let l = LoginLimiter::default();
        for i in 0..4 {
            drop(l.begin("a", "x", i).unwrap());
        }
        l.begin("a", "x", 5).unwrap().succeeded();
        for i in 0..5 {
            drop(l.begin("a", "x", 6 + i).unwrap());
        }
        assert!(l.begin("a", "x", 20).is_err());
    }
}
