//! A ticket's serial, owned here because the store derives it from the ticket's id and
//! finds the ticket by it: nothing else takes it apart.

use std::fmt;
use std::str::FromStr;

/// 18 digits: the game's digit, the first draw's number (7 digits, e.g. 2026137) and the
/// ticket's id (10 digits). As a number it is how a sealed file stores it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Serial(i64);

/// Digits of the ticket id at the end of a serial.
const ID_DIGITS: u32 = 10;
const ID_SPAN: i64 = 10i64.pow(ID_DIGITS);

/// Text or a number that is not a serial.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a ticket serial (18 digits)")]
pub struct BadSerial(pub String);

impl Serial {
    /// The serial of ticket `ticket_id` of a game whose first draw is `first_draw`.
    pub fn new(game_digit: u8, first_draw: u32, ticket_id: i64) -> Result<Serial, BadSerial> {
        let bad = || BadSerial(format!("{game_digit}/{first_draw}/{ticket_id}"));
        if !(1..=9).contains(&game_digit)
            || !(1_000_000..=9_999_999).contains(&first_draw)
            || !(0..ID_SPAN).contains(&ticket_id)
        {
            return Err(bad());
        }
        let prefix = i64::from(game_digit) * 10_000_000 + i64::from(first_draw);
        Ok(Serial(prefix * ID_SPAN + ticket_id))
    }

    /// A serial as a sealed file stores it.
    pub fn from_number(n: i64) -> Result<Serial, BadSerial> {
        if (100_000_000_000_000_000..1_000_000_000_000_000_000).contains(&n) {
            Ok(Serial(n))
        } else {
            Err(BadSerial(n.to_string()))
        }
    }

    pub fn number(self) -> i64 {
        self.0
    }

    /// The ticket's id in the database.
    pub fn ticket_id(self) -> i64 {
        self.0 % ID_SPAN
    }
}

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:018}", self.0)
    }
}

impl FromStr for Serial {
    type Err = BadSerial;

    fn from_str(text: &str) -> Result<Serial, BadSerial> {
        if text.len() != 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadSerial(text.to_string()));
        }
        text.parse::<i64>()
            .map_err(|_| BadSerial(text.to_string()))
            .and_then(Serial::from_number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_serial_round_trips_and_gives_its_ticket_id_back() {
        let s = Serial::new(1, 2026137, 42).unwrap();
        assert_eq!(s.to_string(), "120261370000000042");
        assert_eq!(s.ticket_id(), 42);
        assert_eq!("120261370000000042".parse::<Serial>().unwrap(), s);
        assert_eq!(Serial::from_number(s.number()).unwrap(), s);
        assert!("12026137000000004".parse::<Serial>().is_err());
        assert!("12026137000000004x".parse::<Serial>().is_err());
        assert!(Serial::new(1, 2026137, ID_SPAN).is_err());
    }
}
