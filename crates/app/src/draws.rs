//! A draw after its cutoff: seal, result (four-eyes entry or fucai's verifiable draw),
//! settlement and announcement.
//!
//! Status: `scheduled` (on sale) → `sealed` → `resulted` → `settled`. Each step runs in the
//! write queue, so a seal is ordered after every sale committed before it and before any sale
//! that would follow (which then finds the draw sealed and is refused).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, TimeZone};
use fucai_games::{DrawNumber, DrawResult, Fuyun, Game, RuleBook, Selection};
use fucai_ledger::{AccountCode, Fund, JournalEntry, Money, Posting};
use fucai_settle::settlement::{self, national};
use fucai_settle::{
    count_winners, sha256_file, verifiable, winning_lines, LineColumns, Manifest, SealHeader,
    SealWriter, SealedFile, SealedLine, Transcript,
};
use fucai_store::{
    now_ms, CommitmentRow, DrawResultRow, DrawRow, ResultEntryRow, ResultRow, SealRow,
    SettlementRow, TierRow, WinningRow,
};
use serde::Serialize;

use crate::calendar::{beijing, beijing_date};
use crate::claim_period::claim_deadline;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// Who runs draws: seals, commitments, result entry.
pub const DRAW_OPERATORS: &[Role] = &[Role::Admin, Role::Operations];
/// Who settles draws and expires unclaimed prizes.
pub const SETTLERS: &[Role] = &[Role::Admin, Role::Finance];
/// Lines per row group of a sealed file.
const SEAL_GROUP_ROWS: usize = 1 << 20;
/// Longest beacon value accepted.
const MAX_BEACON: usize = 200;

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

/// What the public may see of a draw at any time: the seal (before any result), the
/// commitment of a verifiable draw, the result once recorded.
#[derive(Clone, Debug, Serialize)]
pub struct DrawInfo {
    pub game: String,
    pub number: String,
    pub status: String,
    pub closes_at: i64,
    pub draw_at: i64,
    pub seal: Option<SealRow>,
    pub commitment: Option<String>,
    pub result: Option<String>,
    pub method: Option<String>,
}

/// 开奖公告.
#[derive(Clone, Debug, Serialize)]
pub struct Announcement {
    pub game: String,
    pub game_name: String,
    pub draw: String,
    pub draw_date: String,
    pub result: String,
    pub method: String,
    pub sales_fen: i64,
    pub bets: i64,
    pub seal_sha256: String,
    pub tiers: Vec<TierRow>,
    pub prizes_fen: i64,
    pub pool_before_fen: i64,
    pub pool_after_fen: i64,
    pub claim_deadline: String,
    pub rule_version: String,
}

pub(crate) fn user_name(who: &Principal) -> AppResult<String> {
    match who {
        Principal::User { username, .. } => Ok(username.clone()),
        Principal::Terminal { .. } => Err(AppError::forbidden("terminals cannot run draws")),
    }
}

pub(crate) fn draw_date(draw: &DrawRow) -> NaiveDate {
    beijing_date(draw.draw_at)
}

fn parse_game(game: &str) -> AppResult<Game> {
    game.parse().map_err(|e| AppError::invalid("game", e))
}

pub(crate) fn posting(account: AccountCode, fen: i64, draw: Option<i64>) -> Posting {
    Posting {
        account,
        amount: Money::from_fen(fen),
        draw,
    }
}

/// A balanced entry from postings, leaving out zero lines.
pub(crate) fn entry(key: String, memo: String, postings: Vec<Posting>) -> AppResult<JournalEntry> {
    let postings = postings
        .into_iter()
        .filter(|p| p.amount != Money::ZERO)
        .collect();
    JournalEntry::new(key, memo, postings).map_err(|e| AppError::Internal(e.to_string()))
}

/// Like [`entry`], but `None` when every posting is zero.
pub(crate) fn entry_if_any(
    key: String,
    memo: String,
    postings: Vec<Posting>,
) -> AppResult<Option<JournalEntry>> {
    if postings.iter().all(|p| p.amount == Money::ZERO) {
        Ok(None)
    } else {
        entry(key, memo, postings).map(Some)
    }
}

/// Writes a draw's sold lines as its sealed file and manifest.
fn write_seal(
    dir: &Path,
    game: Game,
    draw: &str,
    lines: &[fucai_store::DrawLine],
) -> AppResult<Manifest> {
    let path = dir.join(format!("{}-{draw}.parquet", game.code()));
    let sealed =
        |e: fucai_settle::SealError| AppError::Internal(format!("sealing draw {draw}: {e}"));
    let mut writer = SealWriter::create(
        &path,
        SealHeader {
            game,
            draw: draw.to_string(),
        },
    )
    .map_err(sealed)?;
    for chunk in lines.chunks(SEAL_GROUP_ROWS) {
        let mut columns = LineColumns::default();
        for l in chunk {
            let mut selection = Selection::parse(game, &l.selection).map_err(|e| {
                AppError::Internal(format!("stored selection {}: {e}", l.selection))
            })?;
            selection.multiple = u8::try_from(l.multiple)
                .map_err(|_| AppError::Internal(format!("stored multiple {}", l.multiple)))?;
            let serial: i64 = l
                .serial
                .parse()
                .map_err(|_| AppError::Internal(format!("stored serial {}", l.serial)))?;
            columns.push(&SealedLine::new(
                serial,
                l.line_no as i32,
                &l.station_code,
                &selection,
            ));
        }
        writer.write(&columns).map_err(sealed)?;
    }
    let manifest = writer.finish().map_err(sealed)?;
    manifest
        .write(&manifest_path(dir, game, draw))
        .map_err(sealed)?;
    Ok(manifest)
}

pub fn manifest_path(dir: &Path, game: Game, draw: &str) -> PathBuf {
    dir.join(format!("{}-{draw}.manifest.json", game.code()))
}

fn fuyun_code(f: Fuyun) -> &'static str {
    match f {
        Fuyun::NotInRule => "not_in_rule",
        Fuyun::Inactive => "inactive",
        Fuyun::Active => "active",
    }
}

impl App {
    pub(crate) fn find_draw(&self, game: &str, number: &str) -> AppResult<(Game, DrawRow)> {
        let g = parse_game(game)?;
        let draw = self.store.read(|r| r.draw(g.code(), number))?;
        Ok((g, draw))
    }

    /// Public facts of a draw.
    pub fn draw_info(&self, game: &str, number: &str) -> AppResult<DrawInfo> {
        let (g, draw) = self.find_draw(game, number)?;
        let (seal, commitment, result) = self.store.read(|r| {
            Ok((
                r.seal(draw.id)?,
                r.commitment(draw.id)?,
                r.draw_result(draw.id)?,
            ))
        })?;
        Ok(DrawInfo {
            game: g.code().to_string(),
            number: draw.number.clone(),
            status: draw.status.clone(),
            closes_at: draw.closes_at,
            draw_at: draw.draw_at,
            seal,
            commitment: commitment.map(|c| c.commitment),
            result: result.as_ref().map(|r| r.numbers.clone()),
            method: result.map(|r| r.method),
        })
    }

    /// Where a draw's sealed file lives.
    pub fn sealed_file_path(&self, game: &str, number: &str) -> AppResult<PathBuf> {
        let (_, _, seal) = self.seal_of(game, number)?;
        Ok(self.seal_dir.join(seal.file))
    }

    /// A sealed draw with its seal.
    fn seal_of(&self, game: &str, number: &str) -> AppResult<(Game, DrawRow, SealRow)> {
        let (g, draw) = self.find_draw(game, number)?;
        let seal = self
            .store
            .read(|r| r.seal(draw.id))?
            .ok_or_else(|| AppError::NotFound(format!("seal of draw {number}")))?;
        Ok((g, draw, seal))
    }

    /// Seals a draw whose sales have closed.
    pub async fn seal_draw(&self, who: &Principal, game: &str, number: &str) -> AppResult<SealRow> {
        who.require(Access::Roles(DRAW_OPERATORS), None)?;
        let actor = who.actor();
        let (g, draw) = self.find_draw(game, number)?;
        self.seal(g, draw.id, actor).await
    }

    /// Seals in three steps so that sales of other draws never wait on a large file: close
    /// the draw (writer, instant: every later sale or cancel of it is refused), write the file
    /// from the now-frozen lines (outside the writer), record the seal (writer, instant). A
    /// draw left `sealing` by a crash is finished by the next attempt or the scheduler.
    pub(crate) async fn seal(&self, game: Game, draw_id: i64, actor: String) -> AppResult<SealRow> {
        let closer = actor.clone();
        let draw = self
            .writes
            .run(move |tx| {
                let now = now_ms();
                let draw = tx.reader().draw_by_id(draw_id)?;
                match draw.status.as_str() {
                    "sealing" => return Ok(draw),
                    "scheduled" => {}
                    other => {
                        return Err(AppError::Conflict(format!(
                            "draw {} is already {other}",
                            draw.number
                        )))
                    }
                }
                if now < draw.closes_at {
                    return Err(AppError::Refused(format!(
                        "sales for draw {} are still open; it can be sealed after its cutoff",
                        draw.number
                    )));
                }
                tx.advance_draw(draw.id, "scheduled", "sealing")?;
                let object = format!("{}/{}", game.code(), draw.number);
                tx.audit(now, &closer, "draw.close", &object, object.as_bytes())?;
                Ok(draw)
            })
            .await?;

        let (store, dir) = (self.store.clone(), self.seal_dir.clone());
        let number = draw.number.clone();
        let manifest = tokio::task::spawn_blocking(move || {
            let (lines, sold) =
                store.read(|r| Ok((r.draw_lines(draw_id)?, r.draw_sales_fen(draw_id)?)))?;
            let manifest = write_seal(&dir, game, &number, &lines)?;
            if manifest.amount_fen != sold {
                return Err(AppError::Internal(format!(
                    "draw {number}: the sealed lines cost {} 分 but the tickets paid {sold} 分",
                    manifest.amount_fen
                )));
            }
            Ok(manifest)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;

        self.writes
            .run(move |tx| {
                let now = now_ms();
                let seal = SealRow {
                    file: manifest.file.clone(),
                    rows: manifest.rows as i64,
                    bets: manifest.bets as i64,
                    amount_fen: manifest.amount_fen,
                    bytes: manifest.bytes as i64,
                    sha256: manifest.sha256.clone(),
                    sealed_at: now,
                    sealed_by: actor.clone(),
                };
                tx.advance_draw(draw_id, "sealing", "sealed")?;
                tx.insert_seal(draw_id, &seal)?;
                let payload = serde_json::to_vec(&manifest).expect("serialises");
                tx.audit(
                    now,
                    &actor,
                    "draw.seal",
                    &format!("{}/{} sha256:{}", game.code(), draw.number, seal.sha256),
                    &payload,
                )?;
                Ok(seal)
            })
            .await
    }

    /// Recomputes a sealed file against its manifest and the hash recorded at sealing.
    pub fn verify_seal(&self, game: &str, number: &str) -> AppResult<Manifest> {
        let (g, draw, seal) = self.seal_of(game, number)?;
        let manifest = Manifest::read(&manifest_path(&self.seal_dir, g, &draw.number))
            .map_err(|e| AppError::Refused(e.to_string()))?;
        if manifest.sha256 != seal.sha256 {
            return Err(AppError::Refused(format!(
                "the manifest's SHA-256 {} is not the one recorded at sealing ({})",
                manifest.sha256, seal.sha256
            )));
        }
        fucai_settle::verify(&self.seal_dir.join(&seal.file), &manifest)
            .map(|v| v.manifest)
            .map_err(|e| AppError::Refused(e.to_string()))
    }

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
                if draw.status != "scheduled" || now >= draw.closes_at {
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
                if draw.status != "sealed" {
                    return Err(AppError::Refused(format!(
                        "draw {} is {}: results are entered after sealing and before any result",
                        draw.number, draw.status
                    )));
                }
                let object = format!("{}/{}", g.code(), draw.number);
                let actor = format!("user:{me}");
                match tx.reader().result_entry(draw.id)? {
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
                        tx.advance_draw(draw.id, "sealed", "resulted")?;
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
                if draw.status != "sealed" {
                    return Err(AppError::Refused(format!(
                        "draw {} is {}: the draw runs after sealing and before any result",
                        draw.number, draw.status
                    )));
                }
                let commitment = tx.reader().commitment(draw.id)?.ok_or_else(|| {
                    AppError::Refused(format!(
                        "no commitment was made for draw {} before its cutoff; enter the official result instead",
                        draw.number
                    ))
                })?;
                let seal = tx
                    .reader()
                    .seal(draw.id)?
                    .ok_or_else(|| AppError::Internal("a sealed draw without a seal".into()))?;
                let secret: [u8; 32] = hex::decode(&commitment.secret)
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| AppError::Internal("stored secret".into()))?;
                let (result, drawn) = verifiable::draw(g, &secret, &seal.sha256, &beacon)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
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
                tx.advance_draw(draw.id, "sealed", "resulted")?;
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
        serde_json::from_str(&text).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Settles a resulted draw: winners per tier from the sealed file, prizes from the rules,
    /// per-ticket winnings and the ledger movements, in one transaction.
    pub async fn settle_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<Announcement> {
        who.require(Access::Roles(SETTLERS), None)?;
        let actor = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        if draw.status != "resulted" {
            return Err(AppError::Refused(format!(
                "draw {} is {}: only a draw with a recorded result can be settled",
                draw.number, draw.status
            )));
        }
        let (seal, result_row, previous) = self.store.read(|r| {
            Ok((
                r.seal(draw.id)?,
                r.draw_result(draw.id)?,
                r.previous_settlement(g.code(), &draw.number)?,
            ))
        })?;
        let seal =
            seal.ok_or_else(|| AppError::Internal("a resulted draw without a seal".into()))?;
        let result_row = result_row
            .ok_or_else(|| AppError::Internal("a resulted draw without a result".into()))?;
        let result = DrawResult::parse(g, &result_row.numbers)
            .map_err(|e| AppError::Internal(format!("stored result: {e}")))?;
        let path = self.seal_dir.join(&seal.file);

        // The heavy part, off the async threads: check the seal, count, find the winners.
        let expected = seal.sha256.clone();
        let (tally, lines) = tokio::task::spawn_blocking(move || {
            let fail = |e: fucai_settle::SealError| AppError::Internal(e.to_string());
            let found = sha256_file(&path).map_err(fail)?;
            if found != expected {
                return Err(AppError::Refused(format!(
                    "the sealed file {} has changed since sealing (SHA-256 {found}, sealed {expected})",
                    path.display()
                )));
            }
            let file = SealedFile::open(&path).map_err(fail)?;
            Ok((count_winners(&file, &result).map_err(fail)?, winning_lines(&file, &result).map_err(fail)?))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;

        let number: DrawNumber = draw
            .number
            .parse()
            .map_err(|e| AppError::Internal(format!("stored draw: {e}")))?;
        let version = RuleBook::standard()
            .version_for(g, Some(number))
            .ok_or_else(|| AppError::Refused(format!("no {} rules for draw {number}", g.name())))?;
        let fuyun = settlement::fuyun_state(version, number, previous.and_then(|p| p.fuyun_next));
        let books = self.store.read(|r| {
            let balance = |fund| r.account_balance(national(g, fund).as_str());
            // Stored balances are debit-positive; these funds are credit balances.
            Ok(settlement::DrawBooks {
                sales: Money::from_fen(seal.amount_fen),
                prize_fund: Money::from_fen(
                    -r.draw_account_total(national(g, Fund::Prize).as_str(), draw.id)?,
                ),
                pool_before: Money::from_fen(-balance(Fund::JackpotPool)?),
                adjustment_balance: Money::from_fen(-balance(Fund::Adjustment)?),
            })
        })?;
        let settled = settlement::settle(g, version, fuyun, &books, &tally, &lines)
            .map_err(|e| AppError::Internal(format!("draw {number}: {e}")))?;
        let winnings: Vec<WinningRow> = settled
            .tickets
            .iter()
            .map(|t| WinningRow {
                ticket_id: t.serial % 10_000_000_000,
                draw_id: draw.id,
                amount_fen: t.amount.fen(),
                tiers: serde_json::to_string(&t.tiers).expect("serialises"),
                status: "unclaimed".into(),
            })
            .collect();
        // A draw without sales or prizes moves no money.
        let postings = settled.postings(g, draw.id);
        let settle = (!postings.is_empty())
            .then(|| {
                entry(
                    format!("draw:{}:{}:settle", g.code(), draw.number),
                    format!("{} 第{}期 开奖结算", g.name(), draw.number),
                    postings,
                )
            })
            .transpose()?;
        let settlement = SettlementRow {
            draw_id: draw.id,
            rule_version: version.id.clone(),
            sales_fen: seal.amount_fen,
            prize_fund_fen: settled.prize_fund.fen(),
            pool_before_fen: settled.pool_before.fen(),
            pool_after_fen: settled.pool_after.fen(),
            adjustment_delta_fen: settled.adjustment.fen(),
            advance_fen: settled.advance.fen(),
            prizes_fen: settled.total.fen(),
            fuyun: fuyun_code(fuyun).into(),
            fuyun_next: settled.fuyun_next,
            claim_deadline: claim_deadline(draw_date(&draw)).to_string(),
            settled_at: 0,
            settled_by: actor.clone(),
            expired_at: None,
            expired_fen: None,
        };
        let tiers: Vec<TierRow> = settled
            .tiers
            .iter()
            .map(|t| TierRow {
                tier: t.key.clone(),
                name: t.name.clone(),
                bets: t.bets as i64,
                prize_fen: t.prize.fen(),
            })
            .collect();
        let draw_id = draw.id;
        let object = format!(
            "{}/{} prizes_fen:{}",
            g.code(),
            draw.number,
            settled.total.fen()
        );
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.advance_draw(draw_id, "resulted", "settled")?;
                tx.insert_settlement(
                    &SettlementRow {
                        settled_at: now,
                        ..settlement.clone()
                    },
                    &tiers,
                )?;
                for w in &winnings {
                    tx.insert_winning(w)?;
                }
                if let Some(settle) = &settle {
                    tx.post_entry(settle, "settlement", None, now)?;
                }
                let payload = serde_json::to_vec(&tiers).expect("serialises");
                tx.audit(
                    now,
                    &format!("user:{actor}"),
                    "draw.settle",
                    &object,
                    &payload,
                )?;
                Ok(())
            })
            .await?;
        self.announcement(game, &draw.number)
    }

    /// 开奖公告 of a settled draw.
    pub fn announcement(&self, game: &str, number: &str) -> AppResult<Announcement> {
        let (g, draw) = self.find_draw(game, number)?;
        let (seal, result, settlement, tiers) = self.store.read(|r| {
            Ok((
                r.seal(draw.id)?,
                r.draw_result(draw.id)?,
                r.settlement(draw.id)?,
                r.draw_tiers(draw.id)?,
            ))
        })?;
        let not_yet =
            || AppError::NotFound(format!("announcement of draw {number} (not settled yet)"));
        let (seal, result, s) = match (seal, result, settlement) {
            (Some(a), Some(b), Some(c)) => (a, b, c),
            _ => return Err(not_yet()),
        };
        Ok(Announcement {
            game: g.code().into(),
            game_name: g.name().into(),
            draw: draw.number.clone(),
            draw_date: draw_date(&draw).to_string(),
            result: result.numbers,
            method: result.method,
            sales_fen: s.sales_fen,
            bets: seal.bets,
            seal_sha256: seal.sha256,
            tiers,
            prizes_fen: s.prizes_fen,
            pool_before_fen: s.pool_before_fen,
            pool_after_fen: s.pool_after_fen,
            claim_deadline: s.claim_deadline,
            rule_version: s.rule_version,
        })
    }

    /// The latest results (settled draws), newest first; `game` narrows to one game.
    pub fn recent_results(&self, game: Option<&str>, limit: usize) -> AppResult<Vec<ResultRow>> {
        let game = game.map(parse_game).transpose()?;
        Ok(self
            .store
            .read(|r| r.settled_draws(game.map(Game::code), limit.clamp(1, 200)))?)
    }

    /// Seals every draw whose sales have closed (the scheduler's job); returns what it sealed.
    pub async fn seal_due_draws(&self) -> AppResult<Vec<String>> {
        let due = self.store.read(|r| r.draws_to_seal(now_ms()))?;
        let mut sealed = Vec::new();
        for d in due {
            let game = parse_game(&d.game)?;
            match self.seal(game, d.id, "scheduler".into()).await {
                Ok(_) | Err(AppError::Conflict(_)) => {
                    sealed.push(format!("{} {}", d.game, d.number))
                }
                Err(e) => return Err(e),
            }
        }
        Ok(sealed)
    }
}

impl Announcement {
    /// The printable 开奖公告.
    pub fn to_text(&self) -> String {
        let yuan = |fen: i64| Money::from_fen(fen).to_string();
        let mut out = format!(
            "{} 第{}期 开奖公告\n开奖日期: {}\n开奖号码: {}\n本期销售额: {}（{} 注）\n",
            self.game_name,
            self.draw,
            self.draw_date,
            self.result,
            yuan(self.sales_fen),
            self.bets
        );
        out.push_str(&format!(
            "{:<12} {:>10} {:>16}\n",
            "奖级", "中奖注数", "单注奖金"
        ));
        for t in &self.tiers {
            out.push_str(&format!(
                "{:<12} {:>10} {:>16}\n",
                t.name,
                t.bets,
                yuan(t.prize_fen)
            ));
        }
        out.push_str(&format!(
            "本期奖金合计: {}\n奖池滚存: {}\n兑奖截止: {}\n封存文件 SHA-256: {}\n开奖方式: {}\n",
            yuan(self.prizes_fen),
            yuan(self.pool_after_fen),
            self.claim_deadline,
            self.seal_sha256,
            if self.method == "verifiable" {
                "可验证开奖（见开奖记录）"
            } else {
                "官方开奖结果（双人录入核对）"
            }
        ));
        out
    }
}
