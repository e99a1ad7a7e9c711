//! A draw's result: two matching official entries, or fucai's verifiable draw.

use crate::clock::now_ms;
use chrono::TimeZone;
use fucai_games::DrawResult;
use fucai_settle::{verifiable, Transcript};
use fucai_store::DrawStatus;
use fucai_store::{CommitmentRow, DrawResultRow, ResultEntryRow};
use serde::Serialize;

use crate::calendar::beijing;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::App;

use super::{user_name, DRAW_OPERATORS};

/// Longest beacon value accepted.
const MAX_BEACON: usize = 200;

/// A result is recorded only for a sealed draw that has none yet.
fn awaiting_result(draw: &fucai_store::DrawRow) -> AppResult<()> {
    if draw.status == DrawStatus::Sealed {
        Ok(())
    } else {
        Err(AppError::Refused(format!(
            "draw {} is {}: a result is recorded after sealing and before any other result",
            draw.number, draw.status
        )))
    }
}

/// What a second result entry did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ResultEntry {
    /// The first entry is stored; a second person must enter the same numbers.
    AwaitingSecond,
    /// Both entries matched: the result is recorded.
    Recorded { result: String },
    /// The entries differ: nothing is recorded, and both must be made again.
    Mismatch,
}

impl App {
    /// Commits to a secret for fucai's own verifiable draw; only while sales are open.
    pub async fn commit_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<String> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let actor = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
        let commitment = verifiable::commitment(&secret);
        let row = CommitmentRow {
            commitment: commitment.clone(),
            secret: hex::encode(secret),
            committed_at: 0,
            committed_by: actor.clone(),
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
                tx.insert_commitment(
                    draw.id,
                    &CommitmentRow {
                        committed_at: now,
                        ..row
                    },
                )?;
                tx.audit(
                    now,
                    &format!("user:{actor}"),
                    "draw.commit",
                    &format!("{}/{} commitment:{commitment}", g.code(), draw.number),
                    commitment.as_bytes(),
                )?;
                Ok(commitment)
            })
            .await
    }

    /// One of the two official result entries (four-eyes).
    pub async fn enter_result(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        numbers: &str,
    ) -> AppResult<ResultEntry> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let me = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        let result = DrawResult::parse(g, numbers)
            .map_err(|e| AppError::invalid("numbers", e))?
            .to_string();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw.id)?;
                awaiting_result(&draw)?;
                let object = format!("{}/{}", g.code(), draw.number);
                let actor = format!("user:{me}");
                let entered = tx.reader().result_entry(draw.id)?;
                match entered {
                    None => {
                        tx.insert_result_entry(
                            draw.id,
                            &ResultEntryRow {
                                numbers: result.clone(),
                                entered_by: me,
                                entered_at: now,
                            },
                        )?;
                        tx.audit(now, &actor, "draw.result.first", &object, result.as_bytes())?;
                        Ok(ResultEntry::AwaitingSecond)
                    }
                    Some(first) if first.entered_by == me => Err(AppError::Conflict(
                        "you made the first entry; a second person must enter the result".into(),
                    )),
                    Some(first) if first.numbers != result => {
                        tx.delete_result_entry(draw.id)?;
                        tx.audit(
                            now,
                            &actor,
                            "draw.result.mismatch",
                            &object,
                            result.as_bytes(),
                        )?;
                        Ok(ResultEntry::Mismatch)
                    }
                    Some(first) => {
                        tx.delete_result_entry(draw.id)?;
                        tx.insert_draw_result(
                            draw.id,
                            &DrawResultRow {
                                numbers: result.clone(),
                                method: "official".into(),
                                first_by: first.entered_by,
                                second_by: me,
                                transcript: None,
                                recorded_at: now,
                            },
                        )?;
                        tx.advance_draw(draw.id, DrawStatus::Sealed, DrawStatus::Resulted)?;
                        tx.audit(
                            now,
                            &actor,
                            "draw.result",
                            &format!("{object} result:{result}"),
                            result.as_bytes(),
                        )?;
                        Ok(ResultEntry::Recorded { result })
                    }
                }
            })
            .await
    }

    /// fucai's own draw: the committed secret, the seal hash and a public beacon give the
    /// result; the transcript lets anyone recompute it.
    pub async fn verifiable_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        beacon: &str,
    ) -> AppResult<Transcript> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let me = user_name(who)?;
        let beacon = beacon.trim().to_string();
        if beacon.is_empty() || beacon.chars().count() > MAX_BEACON {
            return Err(AppError::invalid(
                "beacon",
                format!("give the public value, 1–{MAX_BEACON} characters"),
            ));
        }
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
                let committed_at = beijing()
                    .timestamp_millis_opt(commitment.committed_at)
                    .single()
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default();
                let transcript = Transcript {
                    algorithm: verifiable::ALGORITHM.into(),
                    game: g.code().into(),
                    draw: draw.number.clone(),
                    commitment: commitment.commitment.clone(),
                    committed_at,
                    secret: commitment.secret.clone(),
                    seal_sha256: seal.sha256.clone(),
                    beacon: beacon.clone(),
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
                tx.audit(
                    now,
                    &format!("user:{me}"),
                    "draw.result",
                    &format!("{}/{} result:{}", g.code(), draw.number, transcript.result),
                    text.as_bytes(),
                )?;
                Ok(transcript)
            })
            .await
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
