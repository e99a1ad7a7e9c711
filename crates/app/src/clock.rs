//! The one clock every rule reads (sales windows, cutoffs, claim periods, tax regimes), kept
//! by the use cases rather than the database: the store is told the time, it never asks.

/// How far the process's clock is shifted from the system clock (see [`shift_clock`]).
static CLOCK_SHIFT_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Runs the whole process as if it were `shift_ms` later (earlier when negative) than the
/// system clock: for rehearsing a past period and for testing rules that depend on the date
/// (tax regimes, claim periods). Process-wide; the server never calls it.
pub fn shift_clock(shift_ms: i64) {
    CLOCK_SHIFT_MS.store(shift_ms, std::sync::atomic::Ordering::Relaxed);
}

/// Shifts the process's clock (see [`shift_clock`]) so that it reads `at_ms` now.
pub fn set_clock(at_ms: i64) {
    shift_clock(at_ms - system_ms());
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Current time in Unix milliseconds: the one clock every rule reads.
pub fn now_ms() -> i64 {
    system_ms() + CLOCK_SHIFT_MS.load(std::sync::atomic::Ordering::Relaxed)
}
