//! The answers of the draw, result, settlement and claim routes.

use fucai_app::{
    Announcement, ClaimReceipt, Commitment, CommittedBeacon, DrawInfo, ResultEntry, Reveal,
    TicketPrize,
};
use fucai_settle::Transcript;
use fucai_store::{ResultRow, SealRow, TierRow};
use serde::Serialize;
use utoipa::ToSchema;

/// A draw's seal: its sealed file's facts and hash.
#[derive(Serialize, ToSchema)]
pub struct SealJson {
    /// The sealed file's name.
    pub file: String,
    /// Selection lines.
    pub rows: i64,
    /// Bets including multiples.
    pub bets: i64,
    pub amount_fen: i64,
    pub bytes: i64,
    pub sha256: String,
    /// Unix ms.
    pub sealed_at: i64,
    pub sealed_by: String,
}

impl From<SealRow> for SealJson {
    fn from(s: SealRow) -> SealJson {
        SealJson {
            file: s.file,
            rows: s.rows,
            bets: s.bets,
            amount_fen: s.amount.fen(),
            bytes: s.bytes,
            sha256: s.sha256,
            sealed_at: s.sealed_at,
            sealed_by: s.sealed_by,
        }
    }
}

/// What an entry of the official result did.
#[derive(Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ResultEntryJson {
    /// The first of the two entries; the second person enters it again.
    AwaitingSecond,
    /// Both entries matched: the result is recorded.
    Recorded { result: String },
    /// The entries differed: both are discarded and the result entered again.
    Mismatch,
}

impl From<ResultEntry> for ResultEntryJson {
    fn from(e: ResultEntry) -> ResultEntryJson {
        match e {
            ResultEntry::AwaitingSecond => ResultEntryJson::AwaitingSecond,
            ResultEntry::Recorded { result } => ResultEntryJson::Recorded { result },
            ResultEntry::Mismatch => ResultEntryJson::Mismatch,
        }
    }
}

/// The record of a verifiable draw: enough to recompute its result.
#[derive(Serialize, ToSchema)]
pub struct TranscriptJson {
    pub algorithm: String,
    pub game: String,
    pub draw: String,
    /// SHA-256 of the secret, published before the cutoff.
    pub commitment: String,
    pub committed_at: String,
    pub secret: String,
    pub seal_sha256: String,
    /// fucai-draw-v2: the drand round's randomness; fucai-draw-v1: the operator's text.
    pub beacon: String,
    /// fucai-draw-v2: the drand quicknet round, its signature and randomness.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drand: Option<DrandRoundJson>,
    /// fucai-draw-v2: when sales closed; the round was signed after it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sales_closed_at: Option<String>,
    pub drawn: Vec<u8>,
    pub result: String,
}

/// A drand quicknet round as a transcript keeps it.
#[derive(Serialize, ToSchema)]
pub struct DrandRoundJson {
    pub chain_hash: String,
    pub round: u64,
    /// BLS signature, hex.
    pub signature: String,
    /// SHA-256 of the signature, hex.
    pub randomness: String,
}

/// What a commitment publishes before the cutoff.
#[derive(Serialize, ToSchema)]
pub struct CommitmentJson {
    /// SHA-256 of the secret, hex.
    pub commitment: String,
    pub beacon: CommittedBeaconJson,
}

impl From<Commitment> for CommitmentJson {
    fn from(c: Commitment) -> CommitmentJson {
        CommitmentJson {
            commitment: c.commitment,
            beacon: c.beacon.into(),
        }
    }
}

/// The drand round a verifiable draw committed to before its cutoff.
#[derive(Serialize, ToSchema)]
pub struct CommittedBeaconJson {
    /// drand quicknet's chain hash.
    pub chain_hash: String,
    pub round: u64,
    /// When the round is signed, Unix ms.
    pub round_at: i64,
    /// When the draw must be run by, Unix ms.
    pub reveal_by: i64,
    /// pending, on_time, late or abandoned.
    pub reveal: String,
}

impl From<CommittedBeacon> for CommittedBeaconJson {
    fn from(b: CommittedBeacon) -> CommittedBeaconJson {
        let reveal = match b.reveal {
            Reveal::Pending => "pending",
            Reveal::OnTime => "on_time",
            Reveal::Late => "late",
            Reveal::Abandoned => "abandoned",
        };
        CommittedBeaconJson {
            chain_hash: b.chain_hash,
            round: b.round,
            round_at: b.round_at,
            reveal_by: b.reveal_by,
            reveal: reveal.into(),
        }
    }
}

impl From<Transcript> for TranscriptJson {
    fn from(t: Transcript) -> TranscriptJson {
        TranscriptJson {
            algorithm: t.algorithm,
            game: t.game,
            draw: t.draw,
            commitment: t.commitment,
            committed_at: t.committed_at,
            secret: t.secret,
            seal_sha256: t.seal_sha256,
            beacon: t.beacon,
            drand: t.drand.map(|d| DrandRoundJson {
                chain_hash: d.chain_hash,
                round: d.round,
                signature: d.signature,
                randomness: d.randomness,
            }),
            sales_closed_at: t.sales_closed_at,
            drawn: t.drawn,
            result: t.result,
        }
    }
}

/// One prize tier of a settled draw.
#[derive(Serialize, ToSchema)]
pub struct TierJson {
    /// The tier's key in the rules ("1", "2", …, "fy" for 福运奖).
    pub tier: String,
    pub name: String,
    /// Winning bets.
    pub bets: i64,
    /// Prize per bet.
    pub prize_fen: i64,
}

impl From<TierRow> for TierJson {
    fn from(t: TierRow) -> TierJson {
        TierJson {
            tier: t.tier,
            name: t.name,
            bets: t.bets,
            prize_fen: t.prize.fen(),
        }
    }
}

/// 开奖公告: a settled draw's result, sales, tiers and pool.
#[derive(Serialize, ToSchema)]
pub struct AnnouncementJson {
    pub game: String,
    pub game_name: String,
    pub draw: String,
    pub draw_date: String,
    pub result: String,
    /// manual (two entries) or verifiable.
    pub method: String,
    pub sales_fen: i64,
    pub bets: i64,
    pub seal_sha256: String,
    pub tiers: Vec<TierJson>,
    pub prizes_fen: i64,
    pub pool_before_fen: i64,
    pub pool_after_fen: i64,
    pub claim_deadline: String,
    pub rule_version: String,
}

impl From<Announcement> for AnnouncementJson {
    fn from(a: Announcement) -> AnnouncementJson {
        AnnouncementJson {
            game: a.game,
            game_name: a.game_name,
            draw: a.draw,
            draw_date: a.draw_date,
            result: a.result,
            method: a.method,
            sales_fen: a.sales.fen(),
            bets: a.bets,
            seal_sha256: a.seal_sha256,
            tiers: a.tiers.into_iter().map(TierJson::from).collect(),
            prizes_fen: a.prizes.fen(),
            pool_before_fen: a.pool_before.fen(),
            pool_after_fen: a.pool_after.fen(),
            claim_deadline: a.claim_deadline,
            rule_version: a.rule_version,
        }
    }
}

/// What the public may see of a draw at any time.
#[derive(Serialize, ToSchema)]
pub struct DrawInfoJson {
    pub game: String,
    pub number: String,
    /// scheduled, sealing, sealed, resulted, settled or expired.
    pub status: String,
    /// Unix ms.
    pub closes_at: i64,
    pub draw_at: i64,
    /// Once sealed, before any result.
    pub seal: Option<SealJson>,
    /// The verifiable draw's commitment, published before the cutoff.
    pub commitment: Option<String>,
    /// The drand round the verifiable draw committed to, and whether it was run on time.
    pub beacon: Option<CommittedBeaconJson>,
    pub result: Option<String>,
    pub method: Option<String>,
}

impl From<DrawInfo> for DrawInfoJson {
    fn from(d: DrawInfo) -> DrawInfoJson {
        DrawInfoJson {
            game: d.game,
            number: d.number,
            status: d.status.to_string(),
            closes_at: d.closes_at,
            draw_at: d.draw_at,
            seal: d.seal.map(SealJson::from),
            commitment: d.commitment,
            beacon: d.beacon.map(CommittedBeaconJson::from),
            result: d.result,
            method: d.method,
        }
    }
}

/// A settled draw in the results list.
#[derive(Serialize, ToSchema)]
pub struct ResultJson {
    pub game: String,
    pub number: String,
    /// Unix ms.
    pub draw_at: i64,
    pub numbers: String,
    pub method: String,
    pub sales_fen: i64,
    pub prizes_fen: i64,
}

impl From<ResultRow> for ResultJson {
    fn from(r: ResultRow) -> ResultJson {
        ResultJson {
            game: r.game,
            number: r.number,
            draw_at: r.draw_at,
            numbers: r.numbers,
            method: r.method,
            sales_fen: r.sales.fen(),
            prizes_fen: r.prizes.fen(),
        }
    }
}

/// What a ticket won in one settled draw.
#[derive(Serialize, ToSchema)]
pub struct TicketPrizeJson {
    pub draw: String,
    pub amount_fen: i64,
    /// Winning bets per tier.
    #[schema(value_type = Object)]
    pub tiers: serde_json::Value,
    /// unclaimed, paid or expired.
    pub status: String,
    pub claim_deadline: String,
}

impl From<TicketPrize> for TicketPrizeJson {
    fn from(p: TicketPrize) -> TicketPrizeJson {
        TicketPrizeJson {
            draw: p.draw,
            amount_fen: p.amount.fen(),
            tiers: p.tiers,
            status: p.status.to_string(),
            claim_deadline: p.claim_deadline,
        }
    }
}

/// One draw of a paid claim.
#[derive(Serialize, ToSchema)]
pub struct ClaimedDrawJson {
    pub draw: String,
    pub gross_fen: i64,
    pub tax_fen: i64,
    pub net_fen: i64,
}

/// A paid claim: where, and what per draw after tax.
#[derive(Serialize, ToSchema)]
pub struct ClaimReceiptJson {
    pub serial: String,
    /// station or district.
    pub office: String,
    pub draws: Vec<ClaimedDrawJson>,
    pub net_fen: i64,
}

impl From<ClaimReceipt> for ClaimReceiptJson {
    fn from(c: ClaimReceipt) -> ClaimReceiptJson {
        ClaimReceiptJson {
            serial: c.serial,
            office: c.office,
            draws: c
                .draws
                .into_iter()
                .map(|d| ClaimedDrawJson {
                    draw: d.draw,
                    gross_fen: d.gross.fen(),
                    tax_fen: d.tax.fen(),
                    net_fen: d.net.fen(),
                })
                .collect(),
            net_fen: c.net.fen(),
        }
    }
}
