//! People and terminals proving who they are: argon2id passwords, session tokens, terminal
//! secrets, and a limit on failed logins.

use std::collections::HashMap;
use std::sync::Mutex;

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
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    Argon2::default() // argon2id, v19
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
}

pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
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

/// Counts failed logins per key (account, address) in a sliding window.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<i64>>>,
}

impl LoginLimiter {
    pub fn check(&self, keys: &[String], now: i64) -> AppResult<()> {
        let mut failures = self.failures.lock().expect("limiter lock");
        for key in keys {
            if let Some(times) = failures.get_mut(key) {
                times.retain(|&t| now - t < LOGIN_WINDOW_MS);
                if times.len() >= LOGIN_FAILURES_ALLOWED {
                    let retry_after_ms = LOGIN_WINDOW_MS - (now - times[0]);
                    return Err(AppError::RateLimited {
                        retry_after_s: (retry_after_ms / 1000).max(1) as u64,
                    });
                }
            }
        }
        Ok(())
    }

    pub fn failed(&self, keys: &[String], now: i64) {
        let mut failures = self.failures.lock().expect("limiter lock");
        if failures.len() > 100_000 {
            failures.retain(|_, times| times.iter().any(|&t| now - t < LOGIN_WINDOW_MS));
        }
        for key in keys {
            failures.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn succeeded(&self, keys: &[String]) {
        let mut failures = self.failures.lock().expect("limiter lock");
        for key in keys {
            failures.remove(key);
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
        let keys = vec!["user:a".to_string()];
        for i in 0..5 {
            l.check(&keys, i).unwrap();
            l.failed(&keys, i);
        }
        assert!(matches!(
            l.check(&keys, 10),
            Err(AppError::RateLimited { .. })
        ));
        l.check(&keys, LOGIN_WINDOW_MS + 10).unwrap();
    }
}
