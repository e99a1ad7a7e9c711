//! The sealed file of a draw: one Parquet row per selection line, written once at cutoff, and
//! its manifest (draw, rows, bets, amount, SHA-256 of the file). The format is public
//! (docs/DRAWS.md) so that anyone can recompute the hash and re-settle the draw.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use fucai_games::{Game, RuleBook};
use parquet::basic::{Compression, Encoding};
use parquet::column::reader::ColumnReader;
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use parquet::schema::types::ColumnPath;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{SealError, SealResult};
use crate::line::{mask, words, SealedLine};

/// Written into every sealed file's key-value metadata and manifest.
pub const FORMAT: &str = "fucai-seal-v1";

const SCHEMA: &str = "message fucai_sealed_line {
  REQUIRED INT64 serial;
  REQUIRED INT32 line;
  REQUIRED BYTE_ARRAY station (UTF8);
  REQUIRED BYTE_ARRAY play (UTF8);
  REQUIRED INT32 pick;
  REQUIRED INT32 multiple;
  REQUIRED INT64 bets;
  REQUIRED INT64 numbers;
  REQUIRED INT64 numbers_hi;
  REQUIRED INT64 dan;
  REQUIRED INT64 dan_hi;
  REQUIRED INT32 blue;
}";

/// Column positions in [`SCHEMA`].
pub(crate) mod col {
    pub const SERIAL: usize = 0;
    pub const LINE: usize = 1;
    pub const STATION: usize = 2;
    pub const PLAY: usize = 3;
    pub const PICK: usize = 4;
    pub const MULTIPLE: usize = 5;
    pub const BETS: usize = 6;
    pub const NUMBERS: usize = 7;
    pub const NUMBERS_HI: usize = 8;
    pub const DAN: usize = 9;
    pub const DAN_HI: usize = 10;
    pub const BLUE: usize = 11;
}

/// Which draw a sealed file belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealHeader {
    pub game: Game,
    pub draw: String,
}

/// What a finished seal is; the manifest published beside the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub game: String,
    pub draw: String,
    /// The sealed file's name, beside the manifest.
    pub file: String,
    pub rows: u64,
    /// Bets including multiples.
    pub bets: u64,
    pub amount_fen: i64,
    pub bytes: u64,
    pub sha256: String,
    /// The audit chain's head when the draw was sealed, published with the file: whoever
    /// keeps the manifest can later show that the chain up to it was cut or rewritten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<AuditHeadStamp>,
}

/// The head of the audit chain as a manifest records it (the store's `AuditHead`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHeadStamp {
    /// Records in the chain (the newest record's id).
    pub count: i64,
    /// When the newest record was written (Unix ms).
    pub at_ms: i64,
    /// The newest record's hash.
    pub hash: String,
}

impl Manifest {
    pub fn read(path: &Path) -> SealResult<Manifest> {
        let text = std::fs::read_to_string(path).map_err(SealError::io(path))?;
        serde_json::from_str(&text).map_err(|e| SealError::Format(format!("manifest: {e}")))
    }

    /// Writes the manifest durably (temporary file, fsync, rename).
    pub fn write(&self, path: &Path) -> SealResult<()> {
        let text = serde_json::to_string_pretty(self).expect("a manifest serialises");
        write_durably(path, |w| w.write_all(text.as_bytes()))
    }
}

/// Lines in column form: what one row group holds.
#[derive(Clone, Debug, Default)]
pub struct LineColumns {
    pub serial: Vec<i64>,
    pub line: Vec<i32>,
    pub station: Vec<ByteArray>,
    pub play: Vec<ByteArray>,
    pub pick: Vec<i32>,
    pub multiple: Vec<i32>,
    pub bets: Vec<i64>,
    pub numbers: Vec<i64>,
    pub numbers_hi: Vec<i64>,
    pub dan: Vec<i64>,
    pub dan_hi: Vec<i64>,
    pub blue: Vec<i32>,
}

impl LineColumns {
    pub fn len(&self) -> usize {
        self.serial.len()
    }

    pub fn is_empty(&self) -> bool {
        self.serial.is_empty()
    }

    /// Keeps the first `n` lines.
    pub fn truncate(&mut self, n: usize) {
        self.serial.truncate(n);
        self.line.truncate(n);
        self.station.truncate(n);
        self.play.truncate(n);
        self.pick.truncate(n);
        self.multiple.truncate(n);
        self.bets.truncate(n);
        self.numbers.truncate(n);
        self.numbers_hi.truncate(n);
        self.dan.truncate(n);
        self.dan_hi.truncate(n);
        self.blue.truncate(n);
    }

    pub fn push(&mut self, l: &SealedLine) {
        let (n_lo, n_hi) = words(l.numbers);
        let (d_lo, d_hi) = words(l.dan);
        self.serial.push(l.serial);
        self.line.push(l.line);
        self.station.push(ByteArray::from(l.station.as_str()));
        self.play.push(ByteArray::from(l.play.as_str()));
        self.pick.push(l.pick);
        self.multiple.push(l.multiple);
        self.bets.push(l.bets);
        self.numbers.push(n_lo);
        self.numbers_hi.push(n_hi);
        self.dan.push(d_lo);
        self.dan_hi.push(d_hi);
        self.blue.push(l.blue as i32);
    }

    /// Bets including multiples.
    pub fn weighted_bets(&self) -> u64 {
        self.bets
            .iter()
            .zip(&self.multiple)
            .map(|(&b, &m)| b as u64 * m as u64)
            .sum()
    }

    fn line_at(&self, i: usize) -> SealedLine {
        let text = |b: &ByteArray| String::from_utf8_lossy(b.data()).into_owned();
        SealedLine {
            serial: self.serial[i],
            line: self.line[i],
            station: text(&self.station[i]),
            play: text(&self.play[i]),
            pick: self.pick[i],
            multiple: self.multiple[i],
            bets: self.bets[i],
            numbers: mask(self.numbers[i], self.numbers_hi[i]),
            dan: mask(self.dan[i], self.dan_hi[i]),
            blue: self.blue[i] as u32,
        }
    }

    pub fn lines(&self) -> impl Iterator<Item = SealedLine> + '_ {
        (0..self.len()).map(|i| self.line_at(i))
    }
}

/// Hashes and counts what passes through to the file.
struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a sealed file, a row group per [`SealWriter::write`].
pub struct SealWriter {
    inner: SerializedFileWriter<HashingWriter<BufWriter<File>>>,
    header: SealHeader,
    path: PathBuf,
    temp: PathBuf,
    rows: u64,
    bets: u64,
}

impl SealWriter {
    /// Starts `path` (written under a temporary name until [`SealWriter::finish`]).
    pub fn create(path: &Path, header: SealHeader) -> SealResult<SealWriter> {
        let temp = temp_path(path);
        let file = File::create(&temp).map_err(SealError::io(&temp))?;
        let sink = HashingWriter {
            inner: BufWriter::with_capacity(1 << 20, file),
            hash: Sha256::new(),
            bytes: 0,
        };
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let plain = |name: &str| ColumnPath::from(name);
        let props = WriterProperties::builder()
            .set_compression(Compression::UNCOMPRESSED)
            .set_created_by(format!("fucai {}", env!("CARGO_PKG_VERSION")))
            // Dense columns stay PLAIN (fast to scan); the rest are dictionary/RLE encoded,
            // which makes all-zero or repetitive columns almost free.
            .set_column_dictionary_enabled(plain("numbers"), false)
            .set_column_dictionary_enabled(plain("serial"), false)
            .set_column_encoding(plain("serial"), Encoding::DELTA_BINARY_PACKED)
            .set_key_value_metadata(Some(vec![
                KeyValue::new("fucai.format".into(), FORMAT.to_string()),
                KeyValue::new("fucai.game".into(), header.game.code().to_string()),
                KeyValue::new("fucai.draw".into(), header.draw.clone()),
            ]))
            .build();
        let inner = SerializedFileWriter::new(sink, schema, Arc::new(props))?;
        Ok(SealWriter {
            inner,
            header,
            path: path.to_path_buf(),
            temp,
            rows: 0,
            bets: 0,
        })
    }

    /// Appends `lines` as one row group.
    pub fn write(&mut self, lines: &LineColumns) -> SealResult<()> {
        let mut group = self.inner.next_row_group()?;
        let mut index = 0;
        while let Some(mut column) = group.next_column()? {
            match (column.untyped(), index) {
                (ColumnWriter::Int64ColumnWriter(w), i) => {
                    let values = match i {
                        col::SERIAL => &lines.serial,
                        col::BETS => &lines.bets,
                        col::NUMBERS => &lines.numbers,
                        col::NUMBERS_HI => &lines.numbers_hi,
                        col::DAN => &lines.dan,
                        _ => &lines.dan_hi,
                    };
                    w.write_batch(values, None, None)?;
                }
                (ColumnWriter::Int32ColumnWriter(w), i) => {
                    let values = match i {
                        col::LINE => &lines.line,
                        col::PICK => &lines.pick,
                        col::MULTIPLE => &lines.multiple,
                        _ => &lines.blue,
                    };
                    w.write_batch(values, None, None)?;
                }
                (ColumnWriter::ByteArrayColumnWriter(w), i) => {
                    let values = if i == col::STATION {
                        &lines.station
                    } else {
                        &lines.play
                    };
                    w.write_batch(values, None, None)?;
                }
                _ => return Err(SealError::Format("unexpected column type".into())),
            }
            column.close()?;
            index += 1;
        }
        group.close()?;
        self.rows += lines.len() as u64;
        self.bets += lines.weighted_bets();
        Ok(())
    }

    /// Closes the file durably under its final name and returns its manifest.
    pub fn finish(self) -> SealResult<Manifest> {
        let sink = self.inner.into_inner()?;
        let file = sink.inner.into_inner().map_err(|e| SealError::Io {
            path: self.temp.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(SealError::io(&self.temp))?;
        drop(file);
        std::fs::rename(&self.temp, &self.path).map_err(SealError::io(&self.path))?;
        sync_parent(&self.path)?;
        let price = RuleBook::standard().game(self.header.game).price.0.fen();
        Ok(Manifest {
            format: FORMAT.to_string(),
            game: self.header.game.code().to_string(),
            draw: self.header.draw,
            file: file_name(&self.path),
            rows: self.rows,
            bets: self.bets,
            amount_fen: price * self.bets as i64,
            bytes: sink.bytes,
            sha256: hex::encode(sink.hash.finalize()),
            audit_head: None,
        })
    }
}

/// A sealed file opened for reading (memory-mapped: row groups are read in parallel without
/// copying).
pub struct SealedFile {
    pub(crate) reader: SerializedFileReader<Bytes>,
    pub header: SealHeader,
}

impl SealedFile {
    pub fn open(path: &Path) -> SealResult<SealedFile> {
        let file = File::open(path).map_err(SealError::io(path))?;
        // SAFETY: a sealed file is never modified after it is renamed into place; should
        // someone change it anyway, the worst outcome is wrong counts, which the hash check
        // (verify-seal) exposes.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(SealError::io(path))?;
        let reader = SerializedFileReader::new(Bytes::from_owner(map))?;
        let meta = |key: &str| {
            reader
                .metadata()
                .file_metadata()
                .key_value_metadata()
                .and_then(|kv| kv.iter().find(|e| e.key == key))
                .and_then(|e| e.value.clone())
                .ok_or_else(|| SealError::Format(format!("no {key} in the file metadata")))
        };
        if meta("fucai.format")? != FORMAT {
            return Err(SealError::Format(format!("not {FORMAT}")));
        }
        let game = meta("fucai.game")?
            .parse()
            .map_err(|e| SealError::Format(format!("{e}")))?;
        let header = SealHeader {
            game,
            draw: meta("fucai.draw")?,
        };
        if reader
            .metadata()
            .file_metadata()
            .schema_descr()
            .num_columns()
            != 12
        {
            return Err(SealError::Format("unexpected columns".into()));
        }
        Ok(SealedFile { reader, header })
    }

    pub fn rows(&self) -> u64 {
        self.reader.metadata().file_metadata().num_rows() as u64
    }

    pub fn row_groups(&self) -> usize {
        self.reader.num_row_groups()
    }

    /// Every column of one row group.
    pub fn row_group(&self, index: usize) -> SealResult<LineColumns> {
        let group = self.reader.get_row_group(index)?;
        let rows = group.metadata().num_rows() as usize;
        let mut c = LineColumns::default();
        read_i64(
            &mut group.get_column_reader(col::SERIAL)?,
            rows,
            &mut c.serial,
        )?;
        read_i32(&mut group.get_column_reader(col::LINE)?, rows, &mut c.line)?;
        read_bytes(
            &mut group.get_column_reader(col::STATION)?,
            rows,
            &mut c.station,
        )?;
        read_bytes(&mut group.get_column_reader(col::PLAY)?, rows, &mut c.play)?;
        read_i32(&mut group.get_column_reader(col::PICK)?, rows, &mut c.pick)?;
        read_i32(
            &mut group.get_column_reader(col::MULTIPLE)?,
            rows,
            &mut c.multiple,
        )?;
        read_i64(&mut group.get_column_reader(col::BETS)?, rows, &mut c.bets)?;
        read_i64(
            &mut group.get_column_reader(col::NUMBERS)?,
            rows,
            &mut c.numbers,
        )?;
        read_i64(
            &mut group.get_column_reader(col::NUMBERS_HI)?,
            rows,
            &mut c.numbers_hi,
        )?;
        read_i64(&mut group.get_column_reader(col::DAN)?, rows, &mut c.dan)?;
        read_i64(
            &mut group.get_column_reader(col::DAN_HI)?,
            rows,
            &mut c.dan_hi,
        )?;
        read_i32(&mut group.get_column_reader(col::BLUE)?, rows, &mut c.blue)?;
        Ok(c)
    }
}

/// Reads the next `rows` values of a column (all of a row group, or one batch of it) into
/// `out`; a column that ends early is a damaged file.
fn read_values<T: parquet::data_type::DataType>(
    r: &mut parquet::column::reader::ColumnReaderImpl<T>,
    rows: usize,
    out: &mut Vec<T::T>,
) -> SealResult<()> {
    let (n, _, _) = r.read_records(rows, None, None, out)?;
    if n == rows {
        Ok(())
    } else {
        Err(SealError::Format(format!(
            "a column ended after {n} of {rows} rows"
        )))
    }
}

pub(crate) fn read_i64(
    reader: &mut ColumnReader,
    rows: usize,
    out: &mut Vec<i64>,
) -> SealResult<()> {
    match reader {
        ColumnReader::Int64ColumnReader(r) => read_values(r, rows, out),
        _ => Err(SealError::Format("expected an INT64 column".into())),
    }
}

pub(crate) fn read_i32(
    reader: &mut ColumnReader,
    rows: usize,
    out: &mut Vec<i32>,
) -> SealResult<()> {
    match reader {
        ColumnReader::Int32ColumnReader(r) => read_values(r, rows, out),
        _ => Err(SealError::Format("expected an INT32 column".into())),
    }
}

fn read_bytes(reader: &mut ColumnReader, rows: usize, out: &mut Vec<ByteArray>) -> SealResult<()> {
    match reader {
        ColumnReader::ByteArrayColumnReader(r) => read_values(r, rows, out),
        _ => Err(SealError::Format("expected a BYTE_ARRAY column".into())),
    }
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> SealResult<String> {
    let mut file = File::open(path).map_err(SealError::io(path))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(SealError::io(path))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    Ok(hex::encode(hash.finalize()))
}

/// What `verify` found: the manifest recomputed from the file alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub manifest: Manifest,
}

/// Recomputes everything from the file — hash, size, rows, bets, amount, and that every row
/// is a valid selection of the draw's game — and compares it with `expected`.
pub fn verify(path: &Path, expected: &Manifest) -> SealResult<Verified> {
    let sha256 = sha256_file(path)?;
    if sha256 != expected.sha256 {
        return Err(SealError::Mismatch(format!(
            "SHA-256 of {} is {sha256}, the manifest says {}",
            path.display(),
            expected.sha256
        )));
    }
    let file = SealedFile::open(path)?;
    let mut rows = 0u64;
    let mut bets = 0u64;
    for g in 0..file.row_groups() {
        let columns = file.row_group(g)?;
        for line in columns.lines() {
            let selection = line.selection(file.header.game)?;
            bets += selection.weighted_bets();
            rows += 1;
        }
    }
    let price = RuleBook::standard().game(file.header.game).price.0.fen();
    let found = Manifest {
        format: FORMAT.to_string(),
        game: file.header.game.code().to_string(),
        draw: file.header.draw.clone(),
        file: expected.file.clone(),
        rows,
        bets,
        amount_fen: price * bets as i64,
        bytes: std::fs::metadata(path).map_err(SealError::io(path))?.len(),
        sha256,
        // Not a property of the file: the caller checks it against the audit chain.
        audit_head: expected.audit_head.clone(),
    };
    if &found != expected {
        return Err(SealError::Mismatch(format!(
            "the file holds {} {} draw {}: {} rows, {} bets, {} 分, {} bytes; the manifest says {} {} draw {}: {} rows, {} bets, {} 分, {} bytes",
            found.format, found.game, found.draw, found.rows, found.bets, found.amount_fen, found.bytes,
            expected.format, expected.game, expected.draw, expected.rows, expected.bets, expected.amount_fen, expected.bytes
        )));
    }
    Ok(Verified { manifest: found })
}

/// A temporary name beside `path`, unique to this writer (two writers of the same seal never
/// share one; the rename makes the finished file appear whole).
fn temp_path(path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn sync_parent(path: &Path) -> SealResult<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(SealError::io(dir))?;
    }
    Ok(())
}

/// Writes a small file durably: temporary name, fsync, rename, fsync of the directory.
pub fn write_durably(
    path: &Path,
    body: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> SealResult<()> {
    let temp = temp_path(path);
    let mut file = File::create(&temp).map_err(SealError::io(&temp))?;
    body(&mut file)
        .and_then(|_| file.sync_all())
        .map_err(SealError::io(&temp))?;
    std::fs::rename(&temp, path).map_err(SealError::io(path))?;
    sync_parent(path)
}
