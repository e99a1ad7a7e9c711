//! The independent re-settlement of a settled draw (`fucai draw reconcile`): what the public
//! query needs — the sealed file (checked against its recorded SHA-256), the result, the
//! settled tier counts — and the audit record of the outcome. Running DuckDB is the edge's.

use std::path::PathBuf;

use fucai_games::DrawResult;
use fucai_settle::reconcile::TierMismatch;
use fucai_settle::sha256_file;

use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::App;

/// Who may reconcile a draw: those who settle and those who audit.
pub const RECONCILERS: &[Role] = &[Role::Admin, Role::Finance, Role::Auditor];

/// What an independent re-settlement of one draw starts from.
#[derive(Clone, Debug)]
pub struct ReconcileInputs {
    pub sealed_file: PathBuf,
    pub result: DrawResult,
    /// The settlement's winning bets per tier.
    pub settled: Vec<(String, u64)>,
}

impl App {
    /// The sealed file (unchanged since sealing), the result and the settled tier counts of a
    /// settled draw.
    pub fn reconciliation_inputs(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<ReconcileInputs> {
        who.require(Access::Roles(RECONCILERS), None)?;
        let (g, draw, seal) = self.seal_of(game, number)?;
        let (result, settlement, tiers) = self.store.read(|r| {
            Ok((
                r.draw_result(draw.id)?,
                r.settlement(draw.id)?,
                r.draw_tiers(draw.id)?,
            ))
        })?;
        if settlement.is_none() {
            return Err(AppError::Refused(format!("draw {number} is not settled")));
        }
        let result = result.ok_or_else(|| AppError::internal("a settled draw without a result"))?;
        let result = DrawResult::parse(g, &result.numbers)
            .map_err(|e| AppError::context("stored result", e))?;
        let sealed_file = self.seal_dir.join(&seal.file);
        let found = sha256_file(&sealed_file).map_err(AppError::caused_by)?;
        if found != seal.sha256 {
            return Err(AppError::Refused(format!(
                "the sealed file {} has changed since sealing (SHA-256 {found}, sealed {})",
                sealed_file.display(),
                seal.sha256
            )));
        }
        let settled = tiers
            .into_iter()
            .map(|t| (t.tier, t.bets.max(0) as u64))
            .collect();
        Ok(ReconcileInputs {
            sealed_file,
            result,
            settled,
        })
    }

    /// Records the outcome of a re-settlement in the audit chain: `reconciled`, or each tier
    /// the independent count does not confirm.
    pub async fn record_reconciliation(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
        engine: &str,
        mismatches: &[TierMismatch],
    ) -> AppResult<()> {
        who.require(Access::Roles(RECONCILERS), None)?;
        let (g, draw) = self.find_draw(game, number)?;
        let outcome = if mismatches.is_empty() {
            format!("reconciled by {engine}")
        } else {
            let tiers: Vec<String> = mismatches
                .iter()
                .map(|m| format!("{}: settled {} vs {}", m.tier, m.settled, m.independent))
                .collect();
            format!("MISMATCH by {engine}: {}", tiers.join("; "))
        };
        // The verdict in the record's object (readable in the chain), the details hashed.
        let verdict = if mismatches.is_empty() {
            "reconciled"
        } else {
            "MISMATCH"
        };
        let (actor, object) = (
            who.actor(),
            format!("{}/{} {verdict}", g.code(), draw.number),
        );
        self.writes
            .run(move |tx| {
                tx.audit(
                    now_ms(),
                    &actor,
                    "draw.reconcile",
                    &object,
                    outcome.as_bytes(),
                )?;
                Ok(())
            })
            .await
    }
}
