//! Binomial coefficients from a compile-time Pascal triangle.

/// Largest `n` supported (快乐8 draws from 80 numbers).
pub const BINOMIAL_MAX_N: u32 = 80;
/// Largest `k` supported; C(80, 20) still fits in a u64.
pub const BINOMIAL_MAX_K: u32 = 20;

const ROWS: usize = BINOMIAL_MAX_N as usize + 1;
const COLS: usize = BINOMIAL_MAX_K as usize + 1;

static PASCAL: [[u64; COLS]; ROWS] = {
    let mut table = [[0u64; COLS]; ROWS];
    let mut n = 0;
    while n < ROWS {
        table[n][0] = 1;
        let mut k = 1;
        while k < COLS && k <= n {
            table[n][k] = table[n - 1][k - 1] + if k < n { table[n - 1][k] } else { 0 };
            k += 1;
        }
        n += 1;
    }
    table
};

/// C(n, k); zero when k > n. Panics outside the supported table (a programming error: every
/// game's zones are within it).
pub fn binomial(n: u32, k: u32) -> u64 {
    if k > n {
        return 0;
    }
    assert!(
        n <= BINOMIAL_MAX_N && k <= BINOMIAL_MAX_K,
        "C({n},{k}) outside the table"
    );
    PASCAL[n as usize][k as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(binomial(33, 6), 1_107_568);
        assert_eq!(binomial(20, 6), 38_760);
        assert_eq!(binomial(7, 6), 7);
        assert_eq!(binomial(8, 6), 28);
        assert_eq!(binomial(80, 10), 1_646_492_110_120);
        assert_eq!(binomial(80, 20), 3_535_316_142_212_174_320);
        assert_eq!(binomial(5, 0), 1);
        assert_eq!(binomial(3, 4), 0);
    }
}
