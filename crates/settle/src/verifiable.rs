//! fucai's own verifiable draw. Before sales close the center commits to a secret by
//! publishing SHA-256(secret), together with one future round of drand's quicknet beacon
//! ([`crate::beacon`]): the first round after the sales cutoff plus a margin. After the draw is
//! sealed an operator supplies that round's signature (anyone can fetch it from any drand
//! relay); it is verified against quicknet's pinned public key, and its randomness — which
//! nobody could know when the secret was committed or when sales closed — seeds the draw:
//!
//! ```text
//! fucai-draw-v2:  seed = SHA-256("fucai-draw-v2" || 0x00 || secret (32 bytes) || seal SHA-256 (32 bytes) || round randomness (32 bytes))
//! fucai-draw-v1:  seed = SHA-256("fucai-draw-v1" || 0x00 || secret (32 bytes) || seal SHA-256 (32 bytes) || beacon (UTF-8))
//! stream = ChaCha20 keyed by seed, nonce 0, counter from 0, read as little-endian u32 words
//! below(n): take words until one is < n·⌊2³²/n⌋, answer word mod n   (unbiased)
//! ```
//!
//! and numbers are taken without replacement: each pick is `below(remaining)` as an index into
//! the remaining numbers in ascending order. 双色球: 6 reds of 1–33 then 1 blue of 1–16; 七乐彩:
//! 7 of 1–30 then the special from the 23 left; 快乐8: 20 of 1–80; 福彩3D: three digits, each
//! `below(10)`.
//!
//! `fucai-draw-v1` took a beacon value typed by an operator (e.g. an index close); the
//! operator also held the secret and could try values until the result suited them. New draws
//! use v2; v1 transcripts stay verifiable.

use fucai_games::{DrawResult, Fc3dResult, Game, Kl8Result, NumberSet, QlcResult, SsqResult};
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::beacon::{self, BeaconRound};
use crate::error::{SealError, SealResult};

/// The draw seeded by a verified drand quicknet round.
pub const DRAND_ALGORITHM: &str = "fucai-draw-v2";
/// The original draw, seeded by an operator's beacon text; kept so old transcripts verify.
pub const OPERATOR_ALGORITHM: &str = "fucai-draw-v1";

/// The public value mixed into a draw's seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Beacon {
    /// A verified quicknet round (`fucai-draw-v2`).
    Drand(BeaconRound),
    /// Text an operator typed (`fucai-draw-v1`, old draws only).
    Operator(String),
}

impl Beacon {
    pub fn algorithm(&self) -> &'static str {
        match self {
            Beacon::Drand(_) => DRAND_ALGORITHM,
            Beacon::Operator(_) => OPERATOR_ALGORITHM,
        }
    }

    /// What the transcript's `beacon` field shows: the round's randomness or the typed text.
    pub fn value(&self) -> String {
        match self {
            Beacon::Drand(round) => round.randomness.clone(),
            Beacon::Operator(text) => text.clone(),
        }
    }

    fn seed(&self, secret: &[u8; 32], seal: &[u8; 32]) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(self.algorithm().as_bytes());
        hash.update([0u8]);
        hash.update(secret);
        hash.update(seal);
        match self {
            Beacon::Drand(round) => hash.update(round.randomness_bytes()),
            Beacon::Operator(text) => hash.update(text.as_bytes()),
        }
        hash.finalize().into()
    }
}

/// The commitment published before cutoff: SHA-256 of the secret, hex.
pub fn commitment(secret: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(secret))
}

/// Draws the result; also returns the numbers in the order drawn.
pub fn draw(
    game: Game,
    secret: &[u8; 32],
    seal_sha256: &str,
    beacon: &Beacon,
) -> SealResult<(DrawResult, Vec<u8>)> {
    let seal = decode_hash("seal SHA-256", seal_sha256)?;
    let mut stream = ChaCha20Rng::from_seed(beacon.seed(secret, &seal));
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
    /// The round's randomness (v2), or the operator's text (v1).
    pub beacon: String,
    /// v2: the quicknet round, its signature and randomness, re-verified offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drand: Option<BeaconRound>,
    /// v2: when sales closed (RFC 3339); the round must come after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_closed_at: Option<String>,
    /// The numbers in the order drawn.
    pub drawn: Vec<u8>,
    /// The result in the selection syntax.
    pub result: String,
}

impl Transcript {
    /// Recomputes the commitment and the result from the transcript's inputs; an error names
    /// the first thing that does not match.
    pub fn verify(&self) -> SealResult<DrawResult> {
        let beacon = self.beacon()?;
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
        let (result, drawn) = draw(game, &secret, &self.seal_sha256, &beacon)?;
        if drawn != self.drawn || result.to_string() != self.result {
            return Err(SealError::Mismatch(format!(
                "the inputs give {result}, the transcript says {}",
                self.result
            )));
        }
        Ok(result)
    }

    /// The beacon the transcript's algorithm says was used, checked: for v2 the round's
    /// signature against quicknet's key, and the round's time after the commitment and the
    /// sales cutoff (so its randomness was unknown to both).
    fn beacon(&self) -> SealResult<Beacon> {
        match self.algorithm.as_str() {
            OPERATOR_ALGORITHM => Ok(Beacon::Operator(self.beacon.clone())),
            DRAND_ALGORITHM => {
                let round = self.drand.as_ref().ok_or_else(|| {
                    SealError::Mismatch("a fucai-draw-v2 transcript names no drand round".into())
                })?;
                round
                    .check()
                    .map_err(|e| SealError::Mismatch(e.to_string()))?;
                if round.randomness != self.beacon {
                    return Err(SealError::Mismatch(
                        "the beacon is not the round's randomness".into(),
                    ));
                }
                let signed_at = beacon::round_time_ms(round.round);
                for (what, at) in [
                    ("the commitment", Some(&self.committed_at)),
                    ("the sales cutoff", self.sales_closed_at.as_ref()),
                ] {
                    let at = at
                        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                        .ok_or_else(|| {
                            SealError::Mismatch(format!("the time of {what} is missing"))
                        })?;
                    if signed_at <= at.timestamp_millis() {
                        return Err(SealError::Mismatch(format!(
                            "round {} was signed before {what}: its randomness could be known",
                            round.round
                        )));
                    }
                }
                Ok(Beacon::Drand(round.clone()))
            }
            other => Err(SealError::Mismatch(format!("unknown algorithm {other}"))),
        }
    }
}
