//! The verifiable draw: drand quicknet rounds verified against published test vectors, both
//! transcript algorithms recomputed, tampering found.

use fucai_games::{DrawResult, Game};
use fucai_settle::beacon::{first_round_after, round_time_ms};
use fucai_settle::verifiable::{self, Beacon, DRAND_ALGORITHM, OPERATOR_ALGORITHM};
use fucai_settle::{BeaconError, BeaconRound, Transcript};

/// Published quicknet rounds (`https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/657413`
/// and `…/public/123`), with the randomness drand publishes beside the signature.
const ROUND_657413: (u64, &str, &str) = (
    657_413,
    "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b",
    "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587",
);
const ROUND_123: (u64, &str) = (
    123,
    "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92",
);
/// League of Entropy's chained mainnet, round 72785 (`https://drand.cloudflare.com/public/72785`):
/// a real beacon, but of another network and scheme.
const MAINNET_72785: &str = "82f5d3d2de4db19d40a6980e8aa37842a0e55d1df06bd68bddc8d60002e8e959eb9cfa368b3c1b77d18f02a54fe047b80f0989315f83b12a74fd8679c4f12aae86eaf6ab5690b34f1fddd50ee3cc6f6cdf59e95526d5a5d82aaa84fa6f181e42";

#[test]
fn a_published_quicknet_round_verifies_and_gives_the_published_randomness() {
    let (round, signature, randomness) = ROUND_657413;
    let verified = BeaconRound::verify(round, signature).unwrap();
    assert_eq!(verified.randomness, randomness);
    assert_eq!(verified.round, round);
    assert_eq!(
        verified.check().unwrap().to_vec(),
        hex::decode(randomness).unwrap()
    );
    let (round, signature) = ROUND_123;
    assert!(BeaconRound::verify(round, signature).is_ok());
}

#[test]
fn a_flipped_bit_another_round_or_another_network_is_refused() {
    let (round, signature, _) = ROUND_657413;
    let mut bytes = hex::decode(signature).unwrap();
    for bit in [0usize, 7, 100, 383] {
        let mut flipped = bytes.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        assert!(
            BeaconRound::verify(round, &hex::encode(&flipped)).is_err(),
            "bit {bit} flipped"
        );
    }
    assert_eq!(
        BeaconRound::verify(round + 1, signature),
        Err(BeaconError::BadSignature(round + 1))
    );
    assert_eq!(
        BeaconRound::verify(ROUND_123.0, signature),
        Err(BeaconError::BadSignature(ROUND_123.0))
    );
    assert_eq!(
        BeaconRound::verify(72_785, MAINNET_72785),
        Err(BeaconError::OtherNetwork(96))
    );
    assert_eq!(
        BeaconRound::verify(round, "not hex"),
        Err(BeaconError::NotHex)
    );
    bytes.truncate(47);
    assert!(BeaconRound::verify(round, &hex::encode(bytes)).is_err());
}

fn drand_transcript(game: Game, secret: [u8; 32], closes_at: &str) -> Transcript {
    let (round, signature, _) = ROUND_657413;
    let beacon = Beacon::Drand(BeaconRound::verify(round, signature).unwrap());
    let seal = "ab".repeat(32);
    let (result, drawn) = verifiable::draw(game, &secret, &seal, &beacon).unwrap();
    Transcript {
        algorithm: DRAND_ALGORITHM.into(),
        game: game.code().into(),
        draw: "2023108".into(),
        commitment: verifiable::commitment(&secret),
        committed_at: "2023-09-15T18:00:00+08:00".into(),
        secret: hex::encode(secret),
        seal_sha256: seal,
        beacon: beacon.value(),
        drand: match beacon {
            Beacon::Drand(round) => Some(round),
            Beacon::Operator(_) => None,
        },
        sales_closed_at: Some(closes_at.into()),
        drawn,
        result: result.to_string(),
    }
}

#[test]
fn a_drand_transcript_is_checked_from_itself_alone() {
    // Round 657413 was signed at 2023-09-15 19:00:03 Beijing time.
    assert_eq!(first_round_after(round_time_ms(657_413) - 3_000), 657_413);
    for game in [Game::Ssq, Game::Fc3d, Game::Qlc, Game::Kl8] {
        let t = drand_transcript(game, [42; 32], "2023-09-15T18:59:00+08:00");
        assert_eq!(t.verify().unwrap().to_string(), t.result, "{game:?}");

        let mut other_round = t.clone();
        other_round.drand.as_mut().unwrap().round += 1;
        assert!(other_round
            .verify()
            .unwrap_err()
            .to_string()
            .contains("does not verify"));
        let mut other_chain = t.clone();
        other_chain.drand.as_mut().unwrap().chain_hash = "8990e7a9".repeat(8);
        assert!(other_chain
            .verify()
            .unwrap_err()
            .to_string()
            .contains("not quicknet"));
        let mut forged_result = t.clone();
        forged_result.result = "01 02 03 04 05 06 + 01".into();
        assert!(forged_result.verify().is_err());
        let mut no_round = t.clone();
        no_round.drand = None;
        assert!(no_round.verify().is_err());
    }
    // A round signed before sales closed could be known to whoever sold the last tickets.
    let early = drand_transcript(Game::Ssq, [42; 32], "2023-09-15T19:00:03+08:00");
    assert!(early
        .verify()
        .unwrap_err()
        .to_string()
        .contains("sales cutoff"));
}

#[test]
fn the_operator_beacon_transcripts_of_old_draws_still_verify() {
    let secret = [42u8; 32];
    let seal = "ab".repeat(32);
    let typed = |text: &str| Beacon::Operator(text.into());
    for game in [Game::Ssq, Game::Fc3d, Game::Qlc, Game::Kl8] {
        let (result, drawn) =
            verifiable::draw(game, &secret, &seal, &typed("SSE 3312.56")).unwrap();
        let again = verifiable::draw(game, &secret, &seal, &typed("SSE 3312.56")).unwrap();
        assert_eq!((result, drawn.clone()), again);
        let other = verifiable::draw(game, &secret, &seal, &typed("SSE 3312.57")).unwrap();
        assert_ne!(drawn, other.1, "{game:?}: the beacon changes the draw");
        let transcript = Transcript {
            algorithm: OPERATOR_ALGORITHM.into(),
            game: game.code().into(),
            draw: "2099001".into(),
            commitment: verifiable::commitment(&secret),
            committed_at: "2099-01-01T12:00:00+08:00".into(),
            secret: hex::encode(secret),
            seal_sha256: seal.clone(),
            beacon: "SSE 3312.56".into(),
            drand: None,
            sales_closed_at: None,
            drawn,
            result: result.to_string(),
        };
        assert_eq!(transcript.verify().unwrap(), result);
        let mut forged = transcript.clone();
        forged.beacon = "SSE 3312.57".into();
        assert!(forged.verify().is_err());
        let mut wrong_secret = transcript.clone();
        wrong_secret.secret = hex::encode([43u8; 32]);
        assert!(wrong_secret
            .verify()
            .unwrap_err()
            .to_string()
            .contains("commitment"));
        let mut unknown = transcript.clone();
        unknown.algorithm = "fucai-draw-v9".into();
        assert!(unknown.verify().is_err());
    }
}

/// Every blue ball comes up about as often as any other (the rejection sampling is unbiased
/// enough to see no skew in 16,000 draws).
#[test]
fn the_verifiable_draw_has_no_visible_bias() {
    let seal = "00".repeat(32);
    let (round, signature, _) = ROUND_657413;
    let beacon = Beacon::Drand(BeaconRound::verify(round, signature).unwrap());
    let mut blues = [0u32; 17];
    for i in 0..16_000u32 {
        let mut secret = [0u8; 32];
        secret[..4].copy_from_slice(&i.to_le_bytes());
        let (result, _) = verifiable::draw(Game::Ssq, &secret, &seal, &beacon).unwrap();
        let DrawResult::Ssq(r) = result else {
            unreachable!()
        };
        blues[usize::from(r.blue)] += 1;
    }
    for (ball, &n) in blues.iter().enumerate().skip(1) {
        assert!((850..=1150).contains(&n), "blue {ball} came up {n} times");
    }
}
