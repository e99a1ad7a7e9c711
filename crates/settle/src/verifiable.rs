//! fucai's own verifiable draw. Before sales close the center commits to a secret by
//! publishing SHA-256(secret). After the draw is sealed an operator enters a public beacon value
//! (e.g. a stock index close) that nobody at the center could know at commit time. Then
//!
//! ```text
//! seed   = SHA-256("fucai-draw-v1" || 0x00 || secret (32 bytes) || seal SHA-256 (32 bytes) || beacon (UTF-8))
//! stream = ChaCha20 keyed by seed, nonce 0, counter from 0, read as little-endian u32 words
//! below(n): take words until one is < n·⌊2³²/n⌋, answer word mod n   (unbiased)
//! ```
//!
//! and numbers are taken without replacement: each pick is `below(remaining)` as an index into
//! the remaining numbers in ascending order. 双色球: 6 reds of 1–33 then 1 blue of 1–16; 七乐彩:
//! 7 of 1–30 then the special from the 23 left; 快乐8: 20 of 1–80; 福彩3D: three digits, each
//! `below(10)`. Neither side can steer the result: the secret is fixed before the seal and the
//! beacon, the beacon is unknown when the secret is committed.

use fucai_games::{DrawResult, Fc3dResult, Game, Kl8Result, NumberSet, QlcResult, SsqResult};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{SealError, SealResult};

pub const ALGORITHM: &str = "fucai-draw-v1";

/// The commitment published before cutoff: SHA-256 of the secret, hex.
pub fn commitment(secret: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(secret))
}

/// Draws the result; also returns the numbers in the order drawn.
pub fn draw(
    game: Game,
    secret: &[u8; 32],
    seal_sha256: &str,
    beacon: &str,
) -> SealResult<(DrawResult, Vec<u8>)> {
    let seal = decode_hash("seal SHA-256", seal_sha256)?;
    let mut hash = Sha256::new();
    hash.update(ALGORITHM.as_bytes());
    hash.update([0u8]);
    hash.update(secret);
    hash.update(seal);
    hash.update(beacon.as_bytes());
    let mut stream = ChaCha20Rng::from_seed(hash.finalize().into());
    let mut below = |n: u32| -> u32 {
        let limit = (1u64 << 32) / u64::from(n) * u64::from(n);
        loop {
            let word = stream.next_u32();
            if u64::from(word) < limit {
                return word % n;
            }
        }
    };
    let mut take = |pool: &mut Vec<u8>, count: usize| -> Vec<u8> {
        (0..count)
            .map(|_| pool.remove(below(pool.len() as u32) as usize))
            .collect()
    };
    let set = |numbers: &[u8]| numbers.iter().copied().collect::<NumberSet>();
    let (drawn, result) = match game {
        Game::Ssq => {
            let reds = take(&mut (1..=33).collect(), 6);
            let blue = take(&mut (1..=16).collect(), 1);
            let result = DrawResult::Ssq(SsqResult {
                red: set(&reds),
                blue: blue[0],
            });
            ([reds, blue].concat(), result)
        }
        Game::Qlc => {
            let mut pool: Vec<u8> = (1..=30).collect();
            let basic = take(&mut pool, 7);
            let special = take(&mut pool, 1);
            let result = DrawResult::Qlc(QlcResult {
                basic: set(&basic),
                special: special[0],
            });
            ([basic, special].concat(), result)
        }
        Game::Kl8 => {
            let numbers = take(&mut (1..=80).collect(), 20);
            let result = DrawResult::Kl8(Kl8Result(set(&numbers)));
            (numbers, result)
        }
        Game::Fc3d => {
            let digits = [0; 3].map(|_| below(10) as u8);
            (digits.to_vec(), DrawResult::Fc3d(Fc3dResult(digits)))
        }
    };
    Ok((result, drawn))
}

fn decode_hash(what: &str, text: &str) -> SealResult<[u8; 32]> {
    hex::decode(text)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| SealError::Result(format!("{what} must be 64 hex digits")))
}

/// Everything needed to recompute a verifiable draw, published with the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub algorithm: String,
    pub game: String,
    pub draw: String,
    /// SHA-256 of the secret, published before sales closed.
    pub commitment: String,
    pub committed_at: String,
    /// The secret, revealed with the result.
    pub secret: String,
    pub seal_sha256: String,
    pub beacon: String,
    /// The numbers in the order drawn.
    pub drawn: Vec<u8>,
    /// The result in the selection syntax.
    pub result: String,
}

impl Transcript {
    /// Recomputes the commitment and the result from the transcript's inputs; an error names
    /// the first thing that does not match.
    pub fn verify(&self) -> SealResult<DrawResult> {
        if self.algorithm != ALGORITHM {
            return Err(SealError::Mismatch(format!(
                "unknown algorithm {}",
                self.algorithm
            )));
        }
        let game: Game = self
            .game
            .parse()
            .map_err(|e| SealError::Mismatch(format!("{e}")))?;
        let secret = decode_hash("secret", &self.secret)?;
        if commitment(&secret) != self.commitment {
            return Err(SealError::Mismatch(
                "SHA-256 of the secret is not the published commitment".into(),
            ));
        }
        let (result, drawn) = draw(game, &secret, &self.seal_sha256, &self.beacon)?;
        if drawn != self.drawn || result.to_string() != self.result {
            return Err(SealError::Mismatch(format!(
                "the inputs give {result}, the transcript says {}",
                self.result
            )));
        }
        Ok(result)
    }
}
