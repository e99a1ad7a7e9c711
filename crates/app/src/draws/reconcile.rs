//! The independent re-settlement of a settled draw (docs/DRAWS.md): the game's public DuckDB
//! query run over the sealed file (checked against its recorded SHA-256) with Python's duckdb
//! package, every settled tier compared with its count, and the verdict recorded in the audit
//! chain. `fucai draw reconcile` asks for it; the server runs it after every settlement when
//! configured to (`fucai serve --reconcile-after-settlement`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fucai_games::{DrawResult, Game};
use fucai_settle::reconcile::{compare, tier_query, TierMismatch};
use fucai_settle::{sha256_file, DUCKDB_RUNNER_PY};
use fucai_store::Backend;

use crate::clock::now_ms;
use crate::error::{AppError, AppResult};
use crate::principal::{Access, Principal, Role};
use crate::writer::WriteQueue;
use crate::App;

/// Who may reconcile a draw: those who settle and those who audit.
pub const RECONCILERS: &[Role] = &[Role::Admin, Role::Finance, Role::Auditor];

/// A draw's settled tier counts next to the independent ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// (tier, settled, independent) for every settled tier.
    pub tiers: Vec<(String, u64, u64)>,
    pub mismatches: Vec<TierMismatch>,
}

/// What the query starts from.
struct Inputs {
    /// The sealed file, unchanged since sealing.
    file: PathBuf,
    result: DrawResult,
    /// The settlement's winning bets per tier.
    settled: Vec<(String, u64)>,
}

fn inputs(store: &dyn Backend, seal_dir: &Path, g: Game, draw_id: i64) -> AppResult<Inputs> {
    let (seal, result, settlement, tiers) = store.read(|r| {
        Ok((
            r.seal(draw_id)?,
            r.draw_result(draw_id)?,
            r.settlement(draw_id)?,
            r.draw_tiers(draw_id)?,
        ))
    })?;
    let (Some(seal), Some(result), Some(_)) = (seal, result, settlement) else {
        return Err(AppError::Refused("the draw is not settled".into()));
    };
    let result =
        DrawResult::parse(g, &result.numbers).map_err(|e| AppError::context("stored result", e))?;
    let file = seal_dir.join(&seal.file);
    let found = sha256_file(&file).map_err(AppError::caused_by)?;
    if found != seal.sha256 {
        return Err(AppError::Refused(format!(
            "the sealed file {} has changed since sealing (SHA-256 {found}, sealed {})",
            file.display(),
            seal.sha256
        )));
    }
    let settled = tiers
        .into_iter()
        .map(|t| (t.tier, t.bets.max(0) as u64))
        .collect();
    Ok(Inputs {
        file,
        result,
        settled,
    })
}

/// Runs the game's query over the sealed file with Python's duckdb package: its counts.
fn independent_counts(file: &Path, result: &DrawResult) -> AppResult<BTreeMap<String, u64>> {
    let (name, text, params) = tier_query(result);
    let dir = std::env::temp_dir().join(format!(
        "fucai-reconcile-{}-{}",
        std::process::id(),
        crate::auth::random_token(6)
    ));
    let io = |e: std::io::Error| AppError::context("the reconciliation's working files", e);
    std::fs::create_dir_all(&dir).map_err(io)?;
    let (query, runner) = (dir.join(name), dir.join("duckdb_settle.py"));
    std::fs::write(&query, text).map_err(io)?;
    std::fs::write(&runner, DUCKDB_RUNNER_PY).map_err(io)?;
    let out = std::process::Command::new("python3")
        .arg(&runner)
        .arg(&query)
        .arg(file)
        .args(&params)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.map_err(|e| AppError::context("running python3 (with the duckdb package)", e))?;
    if !out.status.success() {
        return Err(AppError::internal(format!(
            "the DuckDB query failed (pip install duckdb): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        )));
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| AppError::context("the runner's answer", e))?;
    Ok(json["tiers"]
        .as_object()
        .map(|tiers| {
            tiers
                .iter()
                .filter_map(|(k, v)| v.as_u64().map(|n| (k.clone(), n)))
                .collect()
        })
        .unwrap_or_default())
}

/// Re-settles one draw and records the verdict (or why it could not be reached) as `actor`.
async fn reconcile(
    store: std::sync::Arc<dyn Backend>,
    writes: WriteQueue,
    seal_dir: PathBuf,
    g: Game,
    draw_id: i64,
    number: String,
    actor: String,
) -> AppResult<Reconciliation> {
    let outcome = tokio::task::spawn_blocking(move || {
        let Inputs {
            file,
            result,
            settled,
        } = inputs(&*store, &seal_dir, g, draw_id)?;
        let counts = independent_counts(&file, &result)?;
        let mismatches = compare(&settled, &counts);
        let tiers = settled
            .into_iter()
            .map(|(tier, n)| {
                let other = counts.get(&tier).copied().unwrap_or(0);
                (tier, n, other)
            })
            .collect();
        Ok::<_, AppError>(Reconciliation { tiers, mismatches })
    })
    .await
    .map_err(AppError::caused_by)?;
    // The verdict in the record's object (readable in the chain), the details hashed.
    let (verdict, details) = match &outcome {
        Ok(r) if r.mismatches.is_empty() => ("reconciled", format!("{:?}", r.tiers)),
        Ok(r) => ("MISMATCH", format!("{:?}", r.mismatches)),
        Err(e) => ("FAILED", e.to_string()),
    };
    let object = format!("{}/{number} {verdict}", g.code());
    writes
        .run(move |tx| {
            tx.audit(
                now_ms(),
                &actor,
                "draw.reconcile",
                &object,
                details.as_bytes(),
            )?;
            Ok(())
        })
        .await?;
    outcome
}

impl App {
    /// Re-settles a settled draw with the public DuckDB query and records the verdict.
    pub async fn reconcile_draw(
        &self,
        who: &Principal,
        game: &str,
        number: &str,
    ) -> AppResult<Reconciliation> {
        who.require(Access::Roles(RECONCILERS), None)?;
        let (g, draw) = self.find_draw(game, number)?;
        reconcile(
            self.store.clone(),
            self.writes.clone(),
            self.seal_dir.clone(),
            g,
            draw.id,
            draw.number,
            who.actor(),
        )
        .await
    }

    /// After a settlement, when configured: the same re-settlement in the background, as
    /// `system:reconcile` (the settlement's answer does not wait for it).
    pub(crate) fn reconcile_in_background(&self, g: Game, draw_id: i64, number: String) {
        if !self.reconcile_after_settlement {
            return;
        }
        let task = reconcile(
            self.store.clone(),
            self.writes.clone(),
            self.seal_dir.clone(),
            g,
            draw_id,
            number,
            "system:reconcile".to_string(),
        );
        tokio::spawn(async move {
            if let Err(e) = task.await {
                tracing::warn!("the reconciliation after a settlement failed: {e}");
            }
        });
    }
}
