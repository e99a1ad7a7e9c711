//! Reading and writing tables as CSV or XLSX for imports and exports.

use std::io::Cursor;

use calamine::{Data, Reader as _, Xlsx};

use crate::error::{AppError, AppResult};

/// Largest import file accepted.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_IMPORT_ROWS: usize = 200_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// XLSX files are ZIP archives: they start with "PK".
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// A table with a header row; cells as trimmed text.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(bytes: &[u8]) -> AppResult<Table> {
        if bytes.len() > MAX_IMPORT_BYTES {
            return Err(AppError::invalid(
                "file",
                format!("larger than {MAX_IMPORT_BYTES} bytes"),
            ));
        }
        let mut all = match Format::sniff(bytes) {
            Format::Csv => read_csv(bytes)?,
            Format::Xlsx => read_xlsx(bytes)?,
        };
        if all.is_empty() {
            return Err(AppError::invalid("file", "empty: a header row is required"));
        }
        if all.len() > MAX_IMPORT_ROWS + 1 {
            return Err(AppError::invalid(
                "file",
                format!("more than {MAX_IMPORT_ROWS} rows"),
            ));
        }
        let headers = all
            .remove(0)
            .into_iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        all.retain(|row| row.iter().any(|c| !c.trim().is_empty()));
        Ok(Table { headers, rows: all })
    }

    /// Index of each required column, or an error naming the missing ones.
    pub fn columns(&self, required: &[&str]) -> AppResult<Vec<usize>> {
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !self.headers.iter().any(|h| h == c))
            .collect();
        if !missing.is_empty() {
            return Err(AppError::invalid(
                "file",
                format!("missing column(s): {}", missing.join(", ")),
            ));
        }
        Ok(required
            .iter()
            .map(|c| self.headers.iter().position(|h| h == c).expect("checked"))
            .collect())
    }

    /// An optional column's index.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

pub fn cell(row: &[String], index: usize) -> &str {
    row.get(index).map(|s| s.trim()).unwrap_or("")
}

fn read_csv(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            r.map(|rec| rec.iter().map(str::to_string).collect())
                .map_err(|e| AppError::invalid("file", format!("row {}: {e}", i + 1)))
        })
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> AppResult<Vec<Vec<String>>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| AppError::invalid("file", format!("not a readable XLSX file: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::invalid("file", "the workbook has no sheet"))?
        .map_err(|e| AppError::invalid("file", format!("first sheet: {e}")))?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#ERR {e:?}"),
    }
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    epoch
        .checked_add_signed(chrono::Duration::days(serial.floor() as i64))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| serial.to_string())
}

/// A table in the asked format.
pub fn write_table(
    format: Format,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> AppResult<Vec<u8>> {
    match format {
        Format::Csv => write_csv(headers, rows),
        Format::Xlsx => write_xlsx(sheet, headers, rows),
    }
}

pub fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| AppError::caused_by(e);
    w.write_record(headers).map_err(io)?;
    for row in rows {
        w.write_record(row).map_err(io)?;
    }
    w.into_inner().map_err(AppError::caused_by)
}

pub fn write_xlsx(sheet: &str, headers: &[&str], rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let xl = |e: rust_xlsxwriter::XlsxError| AppError::caused_by(e);
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(xl)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).map_err(xl)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).map_err(xl)?;
        }
    }
    book.save_to_buffer().map_err(xl)
}
