//! Settling a resulted draw and its 开奖公告.

use crate::clock::now_ms;
use fucai_games::{DrawNumber, DrawResult, Fuyun, RuleBook};
use fucai_ledger::{Fund, Money};
use fucai_settle::settlement::{self, national};
use fucai_settle::{count_winners, sha256_file, winning_lines, SealedFile};
use fucai_store::{DrawStatus, Serial, SettlementRow, TierRow, WinningRow, WinningStatus};
use serde::Serialize;

use crate::claim_period::claim_deadline;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal};
use crate::App;

use super::{draw_date, user_name, SETTLERS};
use crate::journal::entry_if_any;

/// 开奖公告.
#[derive(Clone, Debug, Serialize)]
pub struct Announcement {
    pub game: String,
    pub game_name: String,
    pub draw: String,
    pub draw_date: String,
    pub result: String,
    pub method: String,
    pub sales: Money,
    pub bets: i64,
    pub seal_sha256: String,
    pub tiers: Vec<TierRow>,
    pub prizes: Money,
    pub pool_before: Money,
    pub pool_after: Money,
    pub claim_deadline: String,
    pub rule_version: String,
}

fn fuyun_code(f: Fuyun) -> &'static str {
    match f {
        Fuyun::NotInRule => "not_in_rule",
        Fuyun::Inactive => "inactive",
        Fuyun::Active => "active",
    }
}

/// What settling a draw writes, computed inside the transaction that writes it.
struct SettlementPlan {
    settlement: SettlementRow,
    tiers: Vec<TierRow>,
    winnings: Vec<WinningRow>,
    entry: Option<fucai_ledger::JournalEntry>,
    /// The audit record's object: `{game}/{draw} prizes_fen:{total}`.
    audit_object: String,
}

/// The draw's winners as read from its sealed file (the heavy part, done before the
/// transaction).
struct Winners {
    tally: fucai_settle::WinnerTally,
    lines: Vec<fucai_settle::LineWin>,
}

/// Turns the winners into money on the balances as they stand inside the transaction: the
/// jackpot pool and the adjustment fund move with every sale and every settlement of the
/// game, so reading them any earlier could post against figures that are no longer true.
fn plan_settlement(
    r: &dyn fucai_store::Reads,
    g: fucai_games::Game,
    draw: &fucai_store::DrawRow,
    sales: Money,
    winners: &Winners,
    actor: &str,
) -> AppResult<SettlementPlan> {
    if let Some(earlier) = r.unsettled_draw_before(g.code(), &draw.number)? {
        return Err(AppError::Refused(format!(
            "draw {} of {} has sales and is {}: a game's draws settle in order, so it must be settled first",
            earlier.number,
            g.name(),
            earlier.status
        )));
    }
    let number: DrawNumber = draw
        .number
        .parse()
        .map_err(|e| AppError::context("stored draw", e))?;
    let version = RuleBook::standard()
        .version_for(g, Some(number))
        .ok_or_else(|| AppError::Refused(format!("no {} rules for draw {number}", g.name())))?;
    let previous = r.previous_settlement(g.code(), &draw.number)?;
    let fuyun = settlement::fuyun_state(version, number, previous.and_then(|p| p.fuyun_next));
    let balance = |fund| r.account_balance(national(g, fund).as_str());
    // Stored balances are debit-positive; these funds are credit balances.
    let books = settlement::DrawBooks {
        sales,
        prize_fund: -r.draw_account_total(national(g, Fund::Prize).as_str(), draw.id)?,
        pool_before: -balance(Fund::JackpotPool)?,
        adjustment_balance: -balance(Fund::Adjustment)?,
    };
    let settled = settlement::settle(g, version, fuyun, &books, &winners.tally, &winners.lines)
        .map_err(|e| AppError::context(format!("draw {number}"), e))?;
    let winnings = settled
        .tickets
        .iter()
        .map(|t| {
            Ok(WinningRow {
                ticket_id: Serial::from_number(t.serial)
                    .map_err(AppError::caused_by)?
                    .ticket_id(),
                draw_id: draw.id,
                amount: t.amount,
                tiers: serde_json::to_string(&t.tiers).expect("serialises"),
                status: WinningStatus::Unclaimed,
            })
        })
        .collect::<AppResult<_>>()?;
    // A draw without sales or prizes moves no money.
    let entry = entry_if_any(
        format!("draw:{}:{}:settle", g.code(), draw.number),
        format!("{} 第{}期 开奖结算", g.name(), draw.number),
        settled.postings(g, draw.id).map_err(AppError::caused_by)?,
    )?;
    let settlement = SettlementRow {
        draw_id: draw.id,
        rule_version: version.id.clone(),
        sales,
        prize_fund: settled.prize_fund,
        pool_before: settled.pool_before,
        pool_after: settled.pool_after,
        adjustment_delta: settled.adjustment,
        advance: settled.advance,
        prizes: settled.total,
        fuyun: fuyun_code(fuyun).into(),
        fuyun_next: settled.fuyun_next,
        claim_deadline: claim_deadline(draw_date(draw)).to_string(),
        settled_at: 0,
        settled_by: actor.to_string(),
        expired_at: None,
        expired_amount: None,
    };
    let tiers = settled
        .tiers
        .iter()
        .map(|t| TierRow {
            tier: t.key.to_string(),
            name: t.name.clone(),
            bets: t.bets as i64,
            prize: t.prize,
        })
        .collect();
    Ok(SettlementPlan {
        settlement,
        tiers,
        winnings,
        entry,
        audit_object: format!(
            "{}/{} prizes_fen:{}",
            g.code(),
            draw.number,
            settled.total.fen()
        ),
    })
}

impl App {
    /// Settles a resulted draw: winners per tier from the sealed file (checked against its
    /// hash first), then — in the one transaction that writes them — the order check, the
    /// prizes from the rules on the pool and adjustment balances as they stand, per-ticket
    /// winnings and the ledger movements.
    pub async fn settle_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<Announcement> {
        who.require(Access::Roles(SETTLERS), None)?;
        let actor = user_name(who)?;
        let (g, draw) = self.find_draw(game, number)?;
        if draw.status != DrawStatus::Resulted {
            return Err(AppError::Refused(format!(
                "draw {} is {}: only a draw with a recorded result can be settled",
                draw.number, draw.status
            )));
        }
        let (seal, winners) = self.winners_from_seal(g, &draw).await?;
        let (draw_number, draw_id) = (draw.number.clone(), draw.id);
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let plan = plan_settlement(&*tx.reader(), g, &draw, seal.amount, &winners, &actor)?;
                tx.advance_draw(draw.id, DrawStatus::Resulted, DrawStatus::Settled)?;
                tx.insert_settlement(
                    &SettlementRow {
                        settled_at: now,
                        ..plan.settlement
                    },
                    &plan.tiers,
                )?;
                for w in &plan.winnings {
                    tx.insert_winning(w)?;
                }
                if let Some(entry) = &plan.entry {
                    tx.post_entry(entry, "settlement", None, now)?;
                }
                let payload = serde_json::to_vec(&plan.tiers).expect("serialises");
                tx.audit(
                    now,
                    &format!("user:{actor}"),
                    "draw.settle",
                    &plan.audit_object,
                    &payload,
                )?;
                Ok(())
            })
            .await?;
        self.reconcile_in_background(g, draw_id, draw_number.clone());
        self.announcement(game, &draw_number)
    }

    /// A resulted draw's seal and its winners per tier and per line, read from the sealed
    /// file (memory-mapped, on a blocking thread) after checking its hash.
    async fn winners_from_seal(
        &self,
        g: fucai_games::Game,
        draw: &fucai_store::DrawRow,
    ) -> AppResult<(fucai_store::SealRow, Winners)> {
        let (seal, result_row) = self
            .store
            .read(|r| Ok((r.seal(draw.id)?, r.draw_result(draw.id)?)))?;
        let seal = seal.ok_or_else(|| AppError::internal("a resulted draw without a seal"))?;
        let result_row =
            result_row.ok_or_else(|| AppError::internal("a resulted draw without a result"))?;
        let result = DrawResult::parse(g, &result_row.numbers)
            .map_err(|e| AppError::context("stored result", e))?;
        let path = self.seal_dir.join(&seal.file);
        let expected = seal.sha256.clone();
        let winners = tokio::task::spawn_blocking(move || {
            let fail = |e: fucai_settle::SealError| AppError::caused_by(e);
            let found = sha256_file(&path).map_err(fail)?;
            if found != expected {
                return Err(AppError::Refused(format!(
                    "the sealed file {} has changed since sealing (SHA-256 {found}, sealed {expected})",
                    path.display()
                )));
            }
            let file = SealedFile::open(&path).map_err(fail)?;
            Ok(Winners {
                tally: count_winners(&file, &result).map_err(fail)?,
                lines: winning_lines(&file, &result).map_err(fail)?,
            })
        })
        .await
        .map_err(AppError::caused_by)??;
        Ok((seal, winners))
    }

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
            sales: s.sales,
            bets: seal.bets,
            seal_sha256: seal.sha256,
            tiers,
            prizes: s.prizes,
            pool_before: s.pool_before,
            pool_after: s.pool_after,
            claim_deadline: s.claim_deadline,
            rule_version: s.rule_version,
        })
    }
}

impl Announcement {
    /// The printable 开奖公告.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{} 第{}期 开奖公告\n开奖日期: {}\n开奖号码: {}\n本期销售额: {}（{} 注）\n",
            self.game_name, self.draw, self.draw_date, self.result, self.sales, self.bets
        );
        out.push_str(&format!(
            "{:<12} {:>10} {:>16}\n",
            "奖级", "中奖注数", "单注奖金"
        ));
        for t in &self.tiers {
            out.push_str(&format!("{:<12} {:>10} {:>16}\n", t.name, t.bets, t.prize));
        }
        out.push_str(&format!(
            "本期奖金合计: {}\n奖池滚存: {}\n兑奖截止: {}\n封存文件 SHA-256: {}\n开奖方式: {}\n",
            self.prizes,
            self.pool_after,
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
