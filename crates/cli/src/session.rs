//! What every command that acts on a database needs: open it, sign a person in, map errors.

use anyhow::Context;
use fucai_app::{App, Config};

use crate::error::CliError;

/// Opens an existing database (a typo must not create an empty one).
pub fn open_existing(database_url: &str) -> Result<App, CliError> {
    let path =
        fucai_store::sqlite_path(database_url).map_err(|e| CliError::input("--database-url", e))?;
    if !path.exists() {
        return Err(CliError::input(
            "--database-url",
            format!("{} does not exist", path.display()),
        ));
    }
    App::open(&Config::new(database_url)).map_err(|e| CliError::input("--database-url", e))
}

pub type Action<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), CliError>> + 'a>>;

/// Signs the `--user` in and runs one action as them.
pub fn act<'a>(
    app: &'a App,
    user: Option<&str>,
    f: impl FnOnce(&'a App, fucai_app::Principal) -> Action<'a>,
) -> Result<(), CliError> {
    let username = user.ok_or_else(|| CliError::input("--user", "required: who is acting"))?;
    let password = match std::env::var("FUCAI_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let who = app
        .authenticate(username, &password)
        .map_err(|e| CliError::input("--user", e))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("runtime")?;
    rt.block_on(f(app, who))
}

pub fn app_error(e: fucai_app::AppError) -> CliError {
    match e {
        fucai_app::AppError::Invalid { field, message } => CliError::Input {
            field: Box::leak(field.into_boxed_str()),
            message,
        },
        // Refusals speak the staff's language; the use case's own words follow.
        fucai_app::AppError::Refused(m) => CliError::Internal(anyhow::anyhow!("不能办理：{m}")),
        fucai_app::AppError::Conflict(m) => {
            CliError::Internal(anyhow::anyhow!("已办理或与先前记录冲突：{m}"))
        }
        fucai_app::AppError::NotFound(m) => {
            CliError::Internal(anyhow::anyhow!("未找到：{m} not found"))
        }
        fucai_app::AppError::Forbidden(m) => CliError::Internal(anyhow::anyhow!("无权操作：{m}")),
        fucai_app::AppError::Unauthenticated => CliError::Internal(anyhow::anyhow!(
            "用户名或密码不正确（authentication required）"
        )),
        other => CliError::Internal(anyhow::anyhow!(other)),
    }
}

/// Imports `file` with `import` and prints the outcome: every row error (and exit 2 with
/// nothing imported), or how many `noun` were imported.
pub async fn import_file<'a, F>(
    file: &std::path::Path,
    noun: &str,
    import: impl FnOnce(Vec<u8>) -> F,
) -> Result<(), CliError>
where
    F: std::future::Future<Output = fucai_app::AppResult<fucai_app::ImportReport>> + 'a,
{
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let report = import(bytes).await.map_err(app_error)?;
    for e in &report.errors {
        eprintln!("row {} {}: {}", e.row, e.column, e.message);
    }
    if !report.errors.is_empty() {
        return Err(CliError::input(
            "file",
            format!("{} rows refused; nothing imported", report.errors.len()),
        ));
    }
    println!("{} {noun} imported", report.imported);
    Ok(())
}

/// Writes an exported file to `output`, or a CSV to standard output when none is given.
pub fn emit_file(
    bytes: &[u8],
    format: fucai_app::Format,
    output: Option<&std::path::Path>,
) -> Result<(), CliError> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None if format == fucai_app::Format::Csv => print!("{}", String::from_utf8_lossy(bytes)),
        None => return Err(CliError::input("--output", "xlsx needs a file to write to")),
    }
    Ok(())
}
