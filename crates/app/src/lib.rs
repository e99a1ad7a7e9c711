//! fucai's use cases, with authorization: the one place where business rules meet storage.
//!
//! Architecture invariants:
//! - every state change goes through [`WriteQueue`] (group commit) or an administrative
//!   transaction, and appends to the audit chain in the same transaction;
//! - every use case that acts for someone takes the [`Principal`] and checks it here (the web
//!   route table checks roles again at the edge; station scoping is only decidable here);
//! - money leaves this crate as integer 分.

mod accounts;
mod articles;
mod auth;
mod calendar;
mod channels;
mod claim_period;
pub mod claims;
mod clock;
mod closures;
mod dashboard;
pub mod demo;
mod directory;
pub mod draws;
mod error;
mod evidence;
mod files;
mod idcard;
mod import;
mod journal;
pub mod network;
mod principal;
mod reference;
mod registers;
mod sales;
mod summary;
mod tabular;
mod tax;
mod upstream;
mod user_admin;
pub mod welfare;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;

use fucai_ledger::{FundSplitPolicy, Ratio};
use fucai_store::{Backend, Store};

pub use accounts::{LoginOutcome, NewUser};
pub use articles::{paragraphs, ArticleDraft, ArticleImage, ARTICLE_EDITORS};
pub use auth::{
    hash_password, random_token, same_digest, token_hash, LoginLimiter, LOGIN_FAILURES_ALLOWED,
};
pub use calendar::{
    beijing, beijing_date, beijing_day_start_ms, beijing_time, schedule_draws, DrawSchedule,
};
pub use channels::instant;
pub use channels::{
    channel_rules, export_hall_report, export_sales_report, ChannelRules, ChannelSales,
    HallDayInput, HallDayReport, SalesDimension, SalesReport, SalesReportRow, VltRules,
    CHANNEL_EDITORS, CHANNEL_READERS, HALL_COLUMNS, HALL_DAY_COLUMNS,
};
pub use claim_period::claim_deadline;
pub use claims::{ClaimLimits, ClaimReceipt, ClaimRequest, ClaimedDraw, TicketPrize};
pub use clock::{now_ms, set_clock, shift_clock};
pub use closures::{check_market_open, closures, is_closed, market_closure, Closure};
pub use dashboard::{Dashboard, PrizeCount};
pub use directory::{TerminalView, UserImportReport, UserView, CENTER_COLUMNS, USER_COLUMNS};
pub use draws::{
    Announcement, BeaconInput, BeaconTiming, Commitment, CommittedBeacon, DrawInfo, ResultEntry,
    Reveal, CALENDAR_HORIZON_DAYS,
};
pub use error::{AppError, AppResult};
pub use evidence::{AuditCheck, PublishedHead};
pub use idcard::{mask_id, mask_name};
pub use import::ImportKind;
pub use principal::{
    Access, Principal, Role, ADMINS, ALL_STAFF, LEDGER_READERS, REGISTER_EDITORS, REGISTER_READERS,
    SALES_READERS,
};
pub use registers::{ImportReport, RowError, STATION_COLUMNS};
pub use sales::{
    SaleOutcome, SaleRequest, Ticket, TicketLine, MAX_DRAWS_PER_TICKET, MAX_LINES_PER_TICKET,
};
pub use summary::{
    published, ChannelTotals, Cumulative, GrantEvent, Summary, TrainingTotals, WelfareYear,
    HISTORY_COLUMNS,
};
pub use tabular::{Format, MAX_IMPORT_BYTES};
pub use writer::{WriteQueue, MAX_BATCH, QUEUE_CAPACITY};

/// Welfare rows as stored (programmes, grants), shown as they are.
pub mod welfare_rows {
    pub use fucai_store::{GrantRow, ProgrammeRow};
}

/// The network's rows (visits, findings and their history, appeals, return visits), shown as
/// they are by the use cases and converted by the edge.
pub mod network_rows {
    pub use fucai_store::{
        ActivityRow, AppealRow, CampaignRow, EvidenceRow, FindingEventRow, FindingRow,
        RemittanceRow, ReturnVisitRow, RewardRow, StandingRow, VisitRow,
    };
}

pub use fucai_store::{
    AccountBalance, AuditBreak, AuditHead, DrawRow, LedgerCheck, ResultRow, StationEventRow,
    StationRow, StoreError, TrainingSessionRow,
};

const TICKET_KEY_SETTING: &str = "ticket_hmac_key";
const SEAL_DIR_SETTING: &str = "seal_dir";

/// Settings of a running app.
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    /// How long after the sale its terminal may still cancel it.
    pub cancel_window_ms: i64,
    /// Requests per group commit; 1 = one transaction per request.
    pub max_batch: usize,
    pub session_ttl_ms: i64,
    pub policy: FundSplitPolicy,
    /// Where sealed draw files are kept; by default `<database>-seals` beside the database.
    pub seal_dir: Option<PathBuf>,
    pub claim_limits: ClaimLimits,
    /// Re-settle every draw independently (the public DuckDB query) right after it is
    /// settled, recording the verdict in the audit chain.
    pub reconcile_after_settlement: bool,
    /// When a verifiable draw's drand round falls after its cutoff, and how long the draw may
    /// wait for it.
    pub beacon_timing: BeaconTiming,
    /// The audit chain's key file; by default `<database>.audit-key` beside the database.
    pub audit_key_file: Option<PathBuf>,
    /// Who runs this system, as the public portal names them.
    pub identity: CenterIdentity,
}

/// The center as the public sees it on every page: name, address, phone, opening hours and
/// its website filing numbers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CenterIdentity {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub hours: String,
    /// ICP 备案号.
    pub icp: String,
    /// 公安机关备案号.
    pub police: String,
}

impl Default for CenterIdentity {
    /// The demo district's center (the address and numbers are the demo's, not real ones).
    fn default() -> CenterIdentity {
        CenterIdentity {
            name: "武进区福利彩票中心".into(),
            address: "江苏省常州市武进区（演示地址）".into(),
            phone: "0519-00000000（演示）".into(),
            hours: "周一至周五 8:30–17:00".into(),
            icp: "苏ICP备00000000号（演示）".into(),
            police: "苏公网安备00000000000000号（演示）".into(),
        }
    }
}

/// The environment variable naming the audit chain's key file, for every command.
pub const AUDIT_KEY_FILE_ENV: &str = "FUCAI_AUDIT_KEY_FILE";

/// The audit key file the environment names, if any.
pub fn audit_key_file_from_env() -> Option<PathBuf> {
    std::env::var_os(AUDIT_KEY_FILE_ENV).map(PathBuf::from)
}

/// The demo fund-split policy: 代销费 7% of sales (docs/RULES.md demo table); welfare 50%
/// central and the local half split province 12% / city 6.4% / district 31.6% of the fund —
/// a demo assumption documented in docs/RULES.md.
pub fn demo_policy() -> FundSplitPolicy {
    let r = |s: &str| s.parse::<Ratio>().expect("valid demo ratio");
    FundSplitPolicy {
        station_commission: r("7%"),
        welfare_central: r("50%"),
        welfare_province: r("12%"),
        welfare_city: r("6.4%"),
        welfare_district: r("31.6%"),
    }
}

impl Config {
    pub fn new(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            cancel_window_ms: 5 * 60 * 1000,
            max_batch: MAX_BATCH,
            session_ttl_ms: 8 * 60 * 60 * 1000, // a working day
            policy: demo_policy(),
            seal_dir: None,
            claim_limits: ClaimLimits::default(),
            reconcile_after_settlement: false,
            beacon_timing: BeaconTiming::default(),
            audit_key_file: audit_key_file_from_env(),
            identity: CenterIdentity::default(),
        }
    }
}

/// The application: storage, the write queue and the settings every use case needs.
pub struct App {
    pub(crate) store: Arc<dyn Backend>,
    pub(crate) writes: WriteQueue,
    pub(crate) ticket_key: Vec<u8>,
    pub(crate) policy: FundSplitPolicy,
    pub(crate) cancel_window_ms: i64,
    pub(crate) session_ttl_ms: i64,
    pub(crate) limiter: LoginLimiter,
    pub(crate) seal_dir: PathBuf,
    pub(crate) claim_limits: ClaimLimits,
    pub(crate) identity: CenterIdentity,
    pub(crate) reconcile_after_settlement: bool,
    pub(crate) beacon_timing: BeaconTiming,
    pub(crate) reference: reference::ReferenceCache,
}

impl App {
    /// Opens the database (migrating it) and starts the writer. Must run inside a Tokio
    /// runtime only for the async use cases; opening itself is synchronous.
    pub fn open(config: &Config) -> AppResult<App> {
        let store = match &config.audit_key_file {
            Some(key_file) => Store::open_with_audit_key(&config.database_url, key_file)?,
            None => Store::open(&config.database_url)?,
        };
        let db = store.path();
        let stem = db.file_name().unwrap_or_default().to_string_lossy();
        let seal_dir = db.with_file_name(format!("{stem}-seals"));
        App::on_backend(config, Arc::new(store), seal_dir)
    }

    /// Runs on any storage backend. Seal files go to `default_seal_dir` unless the config
    /// names a directory or the database remembers one.
    pub fn on_backend(
        config: &Config,
        store: Arc<dyn Backend>,
        default_seal_dir: PathBuf,
    ) -> AppResult<App> {
        config
            .policy
            .validate()
            .map_err(|e| AppError::invalid("policy", e))?;
        let key = match store.read(|r| r.setting(TICKET_KEY_SETTING))? {
            Some(k) => k,
            None => {
                let k = random_token(32);
                store.write(|tx| tx.set_setting(TICKET_KEY_SETTING, &k))?;
                k
            }
        };
        let ticket_key =
            hex::decode(&key).map_err(|_| AppError::internal("stored ticket key is not hex"))?;
        // A seal directory given once is remembered, so every later command finds the seals.
        let seal_dir = match &config.seal_dir {
            Some(dir) => {
                let text = dir.to_string_lossy().into_owned();
                store.write(|tx| tx.set_setting(SEAL_DIR_SETTING, &text))?;
                dir.clone()
            }
            None => match store.read(|r| r.setting(SEAL_DIR_SETTING))? {
                Some(dir) => PathBuf::from(dir),
                None => default_seal_dir,
            },
        };
        std::fs::create_dir_all(&seal_dir).map_err(|e| {
            AppError::internal(format!(
                "cannot create the seal directory {}: {e}",
                seal_dir.display()
            ))
        })?;
        let writes = WriteQueue::start(&*store, config.max_batch)?;
        Ok(App {
            store,
            writes,
            ticket_key,
            policy: config.policy.clone(),
            cancel_window_ms: config.cancel_window_ms,
            session_ttl_ms: config.session_ttl_ms,
            limiter: LoginLimiter::default(),
            seal_dir,
            claim_limits: config.claim_limits,
            identity: config.identity.clone(),
            reconcile_after_settlement: config.reconcile_after_settlement,
            beacon_timing: config.beacon_timing,
            reference: Default::default(),
        })
    }

    pub fn store(&self) -> &dyn Backend {
        &*self.store
    }

    /// Who runs this system, as the portal names them.
    pub fn identity(&self) -> &CenterIdentity {
        &self.identity
    }

    /// Where prizes are paid, by amount.
    pub fn claim_limits(&self) -> ClaimLimits {
        self.claim_limits
    }

    /// Where sealed draw files are kept.
    pub fn seal_dir(&self) -> &std::path::Path {
        &self.seal_dir
    }

    /// Where evidence files are kept, each under its SHA-256: beside the seal directory
    /// (`<seals>-evidence`), so that one backup of the data directory holds both.
    pub fn evidence_dir(&self) -> PathBuf {
        self.beside_seals("evidence")
    }

    /// A directory beside the seal directory: `<seals>-{suffix}`.
    pub(crate) fn beside_seals(&self, suffix: &str) -> PathBuf {
        let name = self
            .seal_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "seals".into());
        self.seal_dir.with_file_name(format!("{name}-{suffix}"))
    }
}
