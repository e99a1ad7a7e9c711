//! Paying an instant ticket's prize: the pack is on sale or settled (never held, blocked or
//! returned), the ticket is in its batch's winner file (whose SHA-256 still matches the
//! published one) with the 保安区 code presented, the station's claim scope covers the pack,
//! and the ticket is paid once — the claim offices, real-name and tax rules of the draw games
//! apply, one ticket being one 中奖收入. A station earns its claim commission; a pack whose
//! share of low-tier winners is paid settles itself.

use fucai_ledger::{AccountCode, Fund, Money};
use fucai_store::{ClaimScope, NewInstantClaim, StoreError};
use serde::Serialize;

use super::packs::{move_pack, Mover, PackAction};
use super::rules::TicketId;
use crate::claims::{claim_commission_postings, Office};
use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::journal::{entry, posting};
use crate::principal::Principal;
use crate::{tax, App};

#[derive(Clone, Debug, Default)]
pub struct InstantClaimRequest {
    /// `GAME-BATCH-PACK-TICKET`.
    pub ticket: String,
    /// The 保安区 code under the scratch area.
    pub code: String,
    /// The winner's 身份证号: required above 3,000元.
    pub claimant_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InstantClaimReceipt {
    pub ticket: String,
    /// station or district.
    pub office: String,
    pub prize: Money,
    pub tax: Money,
    pub net: Money,
    /// Whether this payment settled the pack (its share of low-tier winners paid).
    pub pack_settled: bool,
}

impl App {
    /// Validates and pays an instant ticket, once.
    pub async fn claim_instant(
        &self,
        who: &Principal,
        req: InstantClaimRequest,
    ) -> AppResult<InstantClaimReceipt> {
        let office = self.claim_office(who)?;
        let claimant = self.claimant(req.claimant_id.as_deref())?;
        let id = TicketId::parse(&req.ticket).map_err(|e| AppError::invalid("ticket", e))?;
        let game = id.pack.game_rules();
        let batch = self
            .store
            .read(|r| r.instant_batch(&id.pack.game, &id.pack.batch))?
            .ok_or_else(|| {
                AppError::Refused(format!(
                    "ticket {}: its batch's winner file is not imported",
                    req.ticket
                ))
            })?;
        // Checked against its published hash first: a changed file pays nothing.
        let pack_winners: Vec<_> = self
            .batch_winners(&batch)?
            .into_iter()
            .filter(|w| w.pack == id.pack.pack)
            .collect();
        let winner = pack_winners
            .iter()
            .find(|w| w.ticket == id.ticket)
            .cloned()
            .ok_or_else(|| {
                AppError::Refused(format!(
                    "ticket {} is not a winning ticket (not in its batch's winner file)",
                    req.ticket
                ))
            })?;
        if winner.code != req.code.trim() {
            return Err(AppError::invalid(
                "code",
                "the 保安区 code does not match the ticket",
            ));
        }
        office.may_pay(&self.claim_limits, claimant.is_some(), winner.prize)?;
        let low_tier: Vec<u32> = pack_winners
            .iter()
            .filter(|w| w.prize <= game.low_tier_max)
            .map(|w| w.ticket)
            .collect();
        let (policy, actor) = (self.policy.clone(), who.actor());
        self.writes
            .run(move |tx| {
                let now = now_ms();
                let pack = tx
                    .reader()
                    .instant_pack(&id.pack.game, &id.pack.batch, i64::from(id.pack.pack))?
                    .ok_or_else(|| AppError::internal("a pack of an imported batch is missing"))?;
                if !pack.state.pays_prizes() {
                    return Err(AppError::Refused(format!(
                        "ticket {}: its pack is {} — only tickets of activated or settled packs are paid",
                        id, pack.state
                    )));
                }
                let sold_at = pack
                    .station_id
                    .ok_or_else(|| AppError::internal("an activated pack without a station"))?;
                let chain = tx.reader().station_chain(sold_at)?;
                // The station paying it, if a station is.
                let paying = match &office {
                    Office::Station { code } => Some(tx.reader().station_by_code(code)?),
                    Office::District => None,
                };
                if let Some(here) = &paying {
                    let code = &here.code;
                    let covered = match tx.reader().claim_scope(here.id)? {
                        ClaimScope::Own => here.id == sold_at,
                        ClaimScope::Area => Some(&here.town_code) == pack.town_code.as_ref(),
                        ClaimScope::Center => true,
                    };
                    if !covered {
                        return Err(AppError::Refused(format!(
                            "ticket {id} was sold at station {}: station {code}'s claim scope does not cover it",
                            chain.station.code
                        )));
                    }
                }
                let tax = tax::tax_on(winner.prize);
                let net = winner.prize.checked_sub(tax)?;
                tx.insert_instant_claim(&NewInstantClaim {
                    pack_id: pack.id,
                    ticket: i64::from(id.ticket),
                    prize: winner.prize,
                    tax,
                    net,
                    office: office.name(),
                    station_id: paying.as_ref().map(|s| s.id),
                    claimant_masked: claimant.as_ref().map(|c| c.masked.as_str()),
                    paid_by: &actor,
                    paid_at: now,
                })
                .map_err(|e| match e {
                    StoreError::Duplicate(_) => {
                        AppError::Conflict(format!("ticket {id} is already paid (voided)"))
                    }
                    other => other.into(),
                })?;
                let mut postings = vec![
                    posting(
                        AccountCode::new("national", "instant", Fund::Prize),
                        winner.prize,
                        None,
                    ),
                    posting(
                        AccountCode::new("district", &chain.district_code, Fund::TaxWithheld),
                        -tax,
                        None,
                    ),
                    posting(office.paid_from(&chain.district_code), -net, None),
                ];
                if let Office::Station { code } = &office {
                    let commission = winner.prize.mul_ratio_floor(game.claim_commission);
                    postings.extend(claim_commission_postings("instant", code, commission));
                }
                let payment = entry(
                    format!("instant-claim:{id}"),
                    format!("即开票兑奖 {id}"),
                    postings,
                )?;
                tx.post_entry(&payment, "instant_claim", None, now)?;
                tx.audit(
                    now,
                    &actor,
                    "instant.claim",
                    &id.to_string(),
                    format!("{}:{}:{}", winner.prize.fen(), tax.fen(), net.fen()).as_bytes(),
                )?;
                // The game's rule: a pack settles once its share of low-tier winners is paid.
                let paid_low = tx
                    .reader()
                    .instant_paid_in_pack(pack.id)?
                    .iter()
                    .filter(|(t, _)| low_tier.contains(&(*t as u32)))
                    .count();
                let share = u64::from(game.settle_share.per_million());
                let due = !low_tier.is_empty()
                    && (paid_low as u64) * 1_000_000 >= share * low_tier.len() as u64;
                let pack_settled = pack.state == fucai_store::PackState::Activated && due;
                if pack_settled {
                    let by = Mover {
                        policy: &policy,
                        actor: &actor,
                        note: "rule: share of low-tier winners paid",
                        now,
                    };
                    move_pack(tx, &by, &pack, PackAction::Settle, pack.station_id)?;
                }
                Ok(InstantClaimReceipt {
                    ticket: id.to_string(),
                    office: office.name().into(),
                    prize: winner.prize,
                    tax,
                    net,
                    pack_settled,
                })
            })
            .await
    }

    /// Sets which instant tickets a station pays (本站自兑 / 区域通兑 / 中心通兑).
    pub async fn set_claim_scope(
        &self,
        who: &Principal,
        station: &str,
        scope: &str,
    ) -> AppResult<ClaimScope> {
        who.require(
            crate::principal::Access::Roles(super::INSTANT_OPERATORS),
            None,
        )?;
        let scope: ClaimScope = scope
            .parse()
            .map_err(|_| AppError::invalid("scope", "own, area or center"))?;
        let station = self.store.read(|r| r.station_by_code(station))?;
        let actor = who.actor();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                tx.set_claim_scope(station.id, scope)?;
                tx.audit(
                    now,
                    &actor,
                    "instant.claim_scope",
                    &format!("station:{}", station.code),
                    scope.as_str().as_bytes(),
                )?;
                Ok(scope)
            })
            .await
    }
}
