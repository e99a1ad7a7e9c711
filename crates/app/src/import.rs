//! The one shape of every all-or-nothing import (stations, towns, centers, users,
//! beneficiaries, daily sales): each row is checked and its problems collected; when any row
//! has one, the report lists them all and nothing is written; otherwise every row is written
//! in one unit of work, with its audit record.

use fucai_store::Writes;

use crate::clock::now_ms;
use crate::error::AppResult;
use crate::registers::{ImportReport, RowError};
use crate::tabular::Table;
use crate::App;

/// Where a row check reports what is wrong with its row.
pub(crate) struct RowErrors<'a> {
    /// The row's number in the file: 1 = the first data row.
    line: usize,
    errors: &'a mut Vec<RowError>,
    /// Errors already reported before this row.
    before: usize,
}

impl RowErrors<'_> {
    /// The errors of one input that is not a file row (a form, an API body).
    pub fn single(errors: &mut Vec<RowError>) -> RowErrors<'_> {
        let before = errors.len();
        RowErrors {
            line: 0,
            errors,
            before,
        }
    }

    /// Checks a register code (1–32 letters or digits) that must appear once in the file.
    pub fn unique_code(&mut self, code: &str, seen: &mut std::collections::HashSet<String>) {
        if code.is_empty()
            || code.len() > 32
            || !code.bytes().all(|b| b.is_ascii_alphanumeric())
            || !seen.insert(code.to_string())
        {
            self.push(
                "code",
                format!("'{code}' is not a code of 1–32 letters or digits, once in the file"),
            );
        }
    }

    /// Whether nothing is wrong with the row so far.
    pub fn is_clean(&self) -> bool {
        self.errors.len() == self.before
    }

    pub fn push(&mut self, column: &str, message: impl Into<String>) {
        self.errors
            .push(RowError::at(self.line, column, message.into()));
    }
}

/// Checks every row of `table` with `check` (which gives the row back when it found nothing
/// wrong): all the rows, or every error found when any row has one.
pub(crate) fn check_rows<R>(
    table: &Table,
    mut check: impl FnMut(&[String], &mut RowErrors<'_>) -> Option<R>,
) -> Result<Vec<R>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(table.rows.len());
    for (i, cells) in table.rows.iter().enumerate() {
        let before = errors.len();
        let mut report = RowErrors {
            line: i + 1,
            errors: &mut errors,
            before,
        };
        let row = check(cells, &mut report);
        if let (Some(row), true) = (row, errors.len() == before) {
            rows.push(row);
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

impl App {
    /// Checks every row of `table` ([`check_rows`]) and writes them all — or, when any row
    /// has an error, nothing.
    pub(crate) async fn import_rows<R, W>(
        &self,
        table: &Table,
        check: impl FnMut(&[String], &mut RowErrors<'_>) -> Option<R>,
        write: W,
    ) -> AppResult<ImportReport>
    where
        R: Send + 'static,
        W: Fn(&mut dyn Writes, &R, i64) -> AppResult<()> + Send + 'static,
    {
        match check_rows(table, check) {
            Ok(rows) => self.write_rows(rows, write).await,
            Err(errors) => Ok(ImportReport {
                imported: 0,
                errors,
            }),
        }
    }

    /// Writes checked rows with `write` — called once per row, at one moment `now`, inside
    /// one unit of work: all of them or, should one fail, none.
    pub(crate) async fn write_rows<R, W>(&self, rows: Vec<R>, write: W) -> AppResult<ImportReport>
    where
        R: Send + 'static,
        W: Fn(&mut dyn Writes, &R, i64) -> AppResult<()> + Send + 'static,
    {
        let imported = rows.len();
        self.writes
            .run(move |tx| {
                let now = now_ms();
                rows.iter().try_for_each(|row| write(tx, row, now))
            })
            .await?;
        Ok(ImportReport {
            imported,
            errors: Vec::new(),
        })
    }
}

/// The registers and reports staff upload as files, each imported all-or-nothing into an
/// [`ImportReport`]. (Users are imported on their own: the answer holds first passwords.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportKind {
    Centers,
    Towns,
    Stations,
    DailySales,
    Beneficiaries,
    StationPeople,
    /// 中福在线 halls.
    Halls,
    /// 中福在线 halls' daily closes.
    HallDays,
    /// The years before fucai kept the books.
    History,
}

impl App {
    /// Imports one uploaded file (CSV or XLSX) of `kind`, under that import's own access rule.
    pub async fn import_file(
        &self,
        who: &crate::Principal,
        kind: ImportKind,
        bytes: &[u8],
    ) -> AppResult<ImportReport> {
        match kind {
            ImportKind::Centers => self.import_centers(who, bytes).await,
            ImportKind::Towns => self.import_towns(who, bytes).await,
            ImportKind::Stations => self.import_stations(who, bytes).await,
            ImportKind::DailySales => self.import_daily_sales(who, bytes).await,
            ImportKind::Beneficiaries => self.import_beneficiaries(who, bytes).await,
            ImportKind::StationPeople => self.import_station_people(who, bytes).await,
            ImportKind::Halls => self.import_halls(who, bytes).await,
            ImportKind::HallDays => self.import_hall_days(who, bytes).await,
            ImportKind::History => self.import_history(who, bytes).await,
        }
    }
}
