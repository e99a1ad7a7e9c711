//! drand's quicknet, the public randomness beacon a verifiable draw commits to.
//!
//! quicknet is run by the League of Entropy: every 3 seconds its nodes jointly sign the round
//! number (scheme `bls-unchained-g1-rfc9380`: BLS12-381, signatures on G1, the group key on
//! G2), and the round's randomness is SHA-256 of that signature. Nobody — least of all the
//! center — can know a round's signature before its time, and anyone can check it against the
//! group key below. The constants are the network's published chain info
//! (`https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/info`,
//! also listed in the drand documentation, "quicknet"); they never change for the network's
//! lifetime, so they are pinned here rather than configured.

use drand_verify::{derive_randomness, G2PubkeyRfc, Pubkey};
use serde::{Deserialize, Serialize};

/// quicknet's chain hash: SHA-256 of its chain info, the network's identity.
pub const QUICKNET_CHAIN_HASH: &str =
    "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
/// quicknet's group public key (G2, compressed, 96 bytes).
pub const QUICKNET_PUBLIC_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
/// Round 1's time, Unix seconds (2023-08-23 15:09:27 UTC).
pub const QUICKNET_GENESIS_S: i64 = 1_692_803_367;
/// Seconds between rounds.
pub const QUICKNET_PERIOD_S: i64 = 3;
/// The scheme's name, as drand's chain info gives it.
pub const QUICKNET_SCHEME: &str = "bls-unchained-g1-rfc9380";

/// A quicknet signature is a compressed G1 point.
const SIGNATURE_BYTES: usize = 48;

/// Why a beacon round is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BeaconError {
    #[error("the signature must be hex digits")]
    NotHex,
    #[error(
        "a {0}-byte signature is not from quicknet (its signatures are 48 bytes; 96 bytes is a \
         chained, mainnet-style beacon)"
    )]
    OtherNetwork(usize),
    #[error("round {0}: the signature does not verify against quicknet's public key")]
    BadSignature(u64),
    #[error("round {round}: the beacon is from chain {chain}, not quicknet")]
    WrongChain { round: u64, chain: String },
    #[error("round {round}: the randomness is not SHA-256 of the signature")]
    WrongRandomness { round: u64 },
}

/// A verified quicknet round: what a transcript keeps so that anyone can check it offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeaconRound {
    /// The network: [`QUICKNET_CHAIN_HASH`].
    pub chain_hash: String,
    pub round: u64,
    /// The round's BLS signature, hex.
    pub signature: String,
    /// SHA-256 of the signature, hex: the round's public randomness.
    pub randomness: String,
}

impl BeaconRound {
    /// Verifies `signature` (hex) as quicknet's signature of `round`.
    pub fn verify(round: u64, signature: &str) -> Result<Self, BeaconError> {
        let bytes = hex::decode(signature.trim()).map_err(|_| BeaconError::NotHex)?;
        if bytes.len() != SIGNATURE_BYTES {
            return Err(BeaconError::OtherNetwork(bytes.len()));
        }
        let key: [u8; 96] = hex::decode(QUICKNET_PUBLIC_KEY)
            .ok()
            .and_then(|k| k.try_into().ok())
            .expect("the pinned key is 96 bytes of hex");
        let key = G2PubkeyRfc::from_fixed(key).expect("the pinned key is a G2 point");
        // An invalid point is as much a bad signature as a valid point that fails the pairing.
        if !key.verify(round, b"", &bytes).unwrap_or(false) {
            return Err(BeaconError::BadSignature(round));
        }
        Ok(Self {
            chain_hash: QUICKNET_CHAIN_HASH.into(),
            round,
            signature: hex::encode(&bytes),
            randomness: hex::encode(derive_randomness(&bytes)),
        })
    }

    /// Re-checks a stored round (from a transcript): its network, signature and randomness.
    pub fn check(&self) -> Result<[u8; 32], BeaconError> {
        if self.chain_hash != QUICKNET_CHAIN_HASH {
            return Err(BeaconError::WrongChain {
                round: self.round,
                chain: self.chain_hash.clone(),
            });
        }
        let verified = Self::verify(self.round, &self.signature)?;
        if verified.randomness != self.randomness.to_ascii_lowercase() {
            return Err(BeaconError::WrongRandomness { round: self.round });
        }
        Ok(self.randomness_bytes())
    }

    /// The randomness as bytes (it was checked to be 32 bytes of hex when verified).
    pub fn randomness_bytes(&self) -> [u8; 32] {
        hex::decode(&self.randomness)
            .ok()
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 32])
    }
}

/// When `round` is signed, Unix milliseconds.
pub fn round_time_ms(round: u64) -> i64 {
    let index = i64::try_from(round.max(1) - 1).unwrap_or(i64::MAX / 4_000);
    (QUICKNET_GENESIS_S + index * QUICKNET_PERIOD_S) * 1000
}

/// The first round signed strictly after `at_ms` (Unix milliseconds).
pub fn first_round_after(at_ms: i64) -> u64 {
    let since_genesis = (at_ms - QUICKNET_GENESIS_S * 1000).max(-1);
    // Round r is signed at genesis + (r − 1)·period; the next after t is ⌊(t − genesis)/period⌋ + 2.
    (since_genesis.div_euclid(QUICKNET_PERIOD_S * 1000) + 2).max(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_follow_the_genesis_time_and_period() {
        assert_eq!(round_time_ms(1), QUICKNET_GENESIS_S * 1000);
        assert_eq!(round_time_ms(657_413), 1_694_775_603_000);
        assert_eq!(first_round_after(1_694_775_600_000), 657_413);
        assert_eq!(first_round_after(1_694_775_602_999), 657_413);
        assert_eq!(first_round_after(1_694_775_603_000), 657_414);
        assert_eq!(first_round_after(0), 1);
        for t in [1_700_000_000_123, 1_800_000_000_000, 1_692_803_367_000] {
            let r = first_round_after(t);
            assert!(round_time_ms(r) > t && round_time_ms(r - 1) <= t, "{t}");
        }
    }
}
