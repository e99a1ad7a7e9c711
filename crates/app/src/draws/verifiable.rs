//! fucai's own verifiable draw: a secret and a future drand quicknet round committed before
//! the cutoff, the round's verified signature supplied after the seal, the result and its
//! transcript; a draw not run within its window after the round is marked abandoned, one run
//! after it late — on its public page and in the audit chain.

use fucai_settle::beacon::{first_round_after, round_time_ms, QUICKNET_CHAIN_HASH};
use fucai_settle::verifiable::{self, Beacon};
use fucai_settle::{BeaconRound, Transcript};
use fucai_store::{CommitmentRow, DrawResultRow, DrawRow, DrawStatus, RevealMark};
use serde::Serialize;

use crate::calendar::beijing_time;
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::App;

use super::results::awaiting_result;
use super::{parse_game, user_name, DRAW_OPERATORS};

/// Longest operator beacon accepted (old commitments only).
const MAX_OPERATOR_BEACON: usize = 200;

/// When a verifiable draw's beacon round falls and how long the draw may wait for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BeaconTiming {
    /// The round is the first one signed after the sales cutoff plus this margin (time for the
    /// seal to be written and published first).
    pub margin_ms: i64,
    /// The draw must be run within this long after the round's time; later it is late, and
    /// one not run by then is marked abandoned.
    pub reveal_window_ms: i64,
}

impl Default for BeaconTiming {
    fn default() -> Self {
        BeaconTiming {
            margin_ms: 15 * 60_000,
            reveal_window_ms: 2 * 3_600_000,
        }
    }
}

/// What a commitment publishes before the cutoff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Commitment {
    /// SHA-256 of the secret, hex.
    pub commitment: String,
    pub beacon: CommittedBeacon,
}

/// The drand round a draw committed to, and how its reveal went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommittedBeacon {
    pub chain_hash: String,
    pub round: u64,
    /// When the round is signed, Unix ms.
    pub round_at: i64,
    /// When the draw must be run by, Unix ms.
    pub reveal_by: i64,
    pub reveal: Reveal,
}

/// A verifiable draw's reveal against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reveal {
    /// Not run yet, and still within its window.
    Pending,
    OnTime,
    /// Run after its deadline.
    Late,
    /// Not run by its deadline.
    Abandoned,
}

/// The public value an operator supplies for a verifiable draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BeaconInput {
    /// The committed quicknet round's signature (hex); the round, when given, must be the
    /// committed one.
    Drand {
        round: Option<u64>,
        signature: String,
    },
    /// Text, for a commitment made before draws named a drand round.
    Operator(String),
}

impl CommittedBeacon {
    pub(crate) fn of(c: &CommitmentRow, resulted: bool, now: i64) -> Option<CommittedBeacon> {
        let round = c.beacon_round?;
        let reveal_by = c.reveal_by.unwrap_or(i64::MAX);
        let reveal = match (c.reveal, resulted) {
            (Some(RevealMark::Late), _) => Reveal::Late,
            (Some(RevealMark::Abandoned), _) => Reveal::Abandoned,
            (None, true) => Reveal::OnTime,
            (None, false) if now > reveal_by => Reveal::Abandoned,
            (None, false) => Reveal::Pending,
        };
        Some(CommittedBeacon {
            chain_hash: QUICKNET_CHAIN_HASH.into(),
            round,
            round_at: round_time_ms(round),
            reveal_by,
            reveal,
        })
    }
}

/// The beacon a sealed draw is run with, checked against what its commitment named.
fn beacon_for(draw: &DrawRow, c: &CommitmentRow, input: &BeaconInput) -> AppResult<Beacon> {
    match (c.beacon_round, input) {
        (Some(committed), BeaconInput::Drand { round, signature }) => {
            if let Some(round) = round.filter(|r| *r != committed) {
                return Err(AppError::invalid(
                    "round",
                    format!(
                        "draw {} committed to drand quicknet round {committed}, not {round}",
                        draw.number
                    ),
                ));
            }
            BeaconRound::verify(committed, signature)
                .map(Beacon::Drand)
                .map_err(|e| AppError::invalid("signature", e))
        }
        (Some(committed), BeaconInput::Operator(_)) => Err(AppError::invalid(
            "signature",
            format!(
                "draw {} committed to drand quicknet round {committed}: supply that round's signature",
                draw.number
            ),
        )),
        (None, BeaconInput::Operator(text)) => {
            let text = text.trim();
            if text.is_empty() || text.chars().count() > MAX_OPERATOR_BEACON {
                return Err(AppError::invalid(
                    "beacon",
                    format!("give the public value, 1–{MAX_OPERATOR_BEACON} characters"),
                ));
            }
            Ok(Beacon::Operator(text.to_string()))
        }
        (None, BeaconInput::Drand { .. }) => Err(AppError::invalid(
            "signature",
            format!(
                "draw {}'s commitment names no drand round (made before fucai-draw-v2): give the beacon text",
                draw.number
            ),
        )),
    }
}

impl App {
    /// Commits to a secret and to the drand quicknet round that will seed fucai's own draw;
    /// only while sales are open. The round is the first one after the cutoff plus the margin.
    pub async fn commit_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<Commitment> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let actor = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
        let commitment = verifiable::commitment(&secret);
        let round = first_round_after(draw.closes_at + self.beacon_timing.margin_ms);
        let reveal_by = round_time_ms(round) + self.beacon_timing.reveal_window_ms;
        let row = CommitmentRow {
            commitment: commitment.clone(),
            secret: hex::encode(secret),
            committed_at: 0,
            committed_by: actor.clone(),
            beacon_round: Some(round),
            reveal_by: Some(reveal_by),
            reveal: None,
        };
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw.id)?;
                if draw.status != DrawStatus::Scheduled || now >= draw.closes_at {
                    return Err(AppError::Refused(format!(
                        "a commitment must be made before draw {}'s sales close",
                        draw.number
                    )));
                }
                let row = CommitmentRow {
                    committed_at: now,
                    ..row
                };
                tx.insert_commitment(draw.id, &row)?;
                tx.audit(
                    now,
                    &format!("user:{actor}"),
                    "draw.commit",
                    &format!(
                        "{}/{} commitment:{commitment} drand-quicknet-round:{round}",
                        g.code(),
                        draw.number
                    ),
                    commitment.as_bytes(),
                )?;
                Ok(Commitment {
                    commitment,
                    beacon: CommittedBeacon::of(&row, false, now).expect("a round was committed"),
                })
            })
            .await
    }

    /// fucai's own draw: the committed secret, the seal hash and the committed round's
    /// verified randomness give the result; the transcript lets anyone recompute it. A draw
    /// run after its deadline is marked late.
    pub async fn verifiable_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        input: BeaconInput,
    ) -> AppResult<Transcript> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let me = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw.id)?;
                awaiting_result(&draw)?;
                let commitment = tx.reader().commitment(draw.id)?.ok_or_else(|| {
                    AppError::Refused(format!(
                        "no commitment was made for draw {} before its cutoff; enter the official result instead",
                        draw.number
                    ))
                })?;
                let beacon = beacon_for(&draw, &commitment, &input)?;
                let seal = tx
                    .reader()
                    .seal(draw.id)?
                    .ok_or_else(|| AppError::internal("a sealed draw without a seal"))?;
                let secret: [u8; 32] = hex::decode(&commitment.secret)
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| AppError::internal("stored secret"))?;
                let (result, drawn) = verifiable::draw(g, &secret, &seal.sha256, &beacon)
                    .map_err(AppError::caused_by)?;
                let transcript = Transcript {
                    algorithm: beacon.algorithm().into(),
                    game: g.code().into(),
                    draw: draw.number.clone(),
                    commitment: commitment.commitment.clone(),
                    committed_at: beijing_time(commitment.committed_at),
                    secret: commitment.secret.clone(),
                    seal_sha256: seal.sha256.clone(),
                    beacon: beacon.value(),
                    sales_closed_at: matches!(beacon, Beacon::Drand(_))
                        .then(|| beijing_time(draw.closes_at)),
                    drand: match beacon {
                        Beacon::Drand(round) => Some(round),
                        Beacon::Operator(_) => None,
                    },
                    drawn,
                    result: result.to_string(),
                };
                let text = serde_json::to_string_pretty(&transcript).expect("serialises");
                tx.insert_draw_result(
                    draw.id,
                    &DrawResultRow {
                        numbers: transcript.result.clone(),
                        method: "verifiable".into(),
                        first_by: commitment.committed_by.clone(),
                        second_by: me.clone(),
                        transcript: Some(text.clone()),
                        recorded_at: now,
                    },
                )?;
                tx.delete_result_entry(draw.id)?;
                tx.advance_draw(draw.id, DrawStatus::Sealed, DrawStatus::Resulted)?;
                let object = format!("{}/{}", g.code(), draw.number);
                if let Some(due) = commitment.reveal_by.filter(|due| now > *due) {
                    tx.mark_reveal(draw.id, RevealMark::Late)?;
                    tx.audit(
                        now,
                        &format!("user:{me}"),
                        "draw.late",
                        &format!("{object} due:{} drawn:{}", beijing_time(due), beijing_time(now)),
                        b"",
                    )?;
                }
                tx.audit(
                    now,
                    &format!("user:{me}"),
                    "draw.result",
                    &format!("{object} result:{}", transcript.result),
                    text.as_bytes(),
                )?;
                Ok(transcript)
            })
            .await
    }

    /// Marks every committed draw not run by its deadline as abandoned, once, in the audit
    /// chain (the scheduler's job); answers the draws marked ("ssq 2026137").
    pub async fn mark_abandoned_draws(&self) -> AppResult<Vec<String>> {
        let overdue = self.store.read(|r| r.overdue_reveals(now_ms()))?;
        let mut marked = Vec::new();
        for d in overdue {
            let g = parse_game(&d.game)?;
            let done = self
                .writes
                .run(move |tx| {
                    let now = now_ms();
                    let draw = tx.reader().draw_by_id(d.id)?;
                    let Some(c) = tx.reader().commitment(d.id)? else {
                        return Ok(None);
                    };
                    let running = matches!(
                        draw.status,
                        DrawStatus::Scheduled | DrawStatus::Sealing | DrawStatus::Sealed
                    );
                    let due = c.reveal_by.unwrap_or(i64::MAX);
                    if c.reveal.is_some() || !running || now <= due {
                        return Ok(None);
                    }
                    tx.mark_reveal(d.id, RevealMark::Abandoned)?;
                    tx.audit(
                        now,
                        "system:scheduler",
                        "draw.abandoned",
                        &format!("{}/{} due:{}", g.code(), draw.number, beijing_time(due)),
                        b"",
                    )?;
                    Ok(Some(format!("{} {}", g.code(), draw.number)))
                })
                .await?;
            marked.extend(done);
        }
        Ok(marked)
    }

    /// The published transcript of a verifiable draw.
    pub fn transcript(&self, game: &str, number: &str) -> AppResult<Transcript> {
        let (_, draw) = self.find_draw(game, number)?;
        let text = self
            .store
            .read(|r| r.draw_result(draw.id))?
            .and_then(|r| r.transcript)
            .ok_or_else(|| AppError::NotFound(format!("transcript of draw {number}")))?;
        serde_json::from_str(&text).map_err(AppError::caused_by)
    }
}
