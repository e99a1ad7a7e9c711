//! 居民身份证号 (GB 11643): 17 digits and a check character (ISO 7064 MOD 11-2), with the
//! holder's birth date at positions 7–14. Masking for display and public disclosure.

use chrono::NaiveDate;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("a 身份证号 has 18 characters, this one has {0}")]
    Length(usize),
    #[error("the first 17 characters of a 身份证号 are digits")]
    NotDigits,
    #[error("the birth date {0} in the 身份证号 is not a real date")]
    BirthDate(String),
    #[error("the check character should be {expected}, not {found} (a digit is mistyped)")]
    Checksum { expected: char, found: char },
}

/// The check character for the first 17 digits.
pub fn check_character(first17: &[u8]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    char::from(CHECK[(sum % 11) as usize])
}

/// Validates a 身份证号 and returns it normalised (upper-case X) with the birth date.
pub fn validate(id: &str) -> Result<(String, NaiveDate), IdNumberError> {
    let id = id.trim().to_ascii_uppercase();
    let chars = id.chars().count();
    if chars != 18 {
        return Err(IdNumberError::Length(chars));
    }
    let bytes = id.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(IdNumberError::NotDigits);
    }
    let birth = &id[6..14];
    let date = NaiveDate::parse_from_str(birth, "%Y%m%d").ok().filter(|d| {
        *d >= NaiveDate::from_ymd_opt(1900, 1, 1).expect("date")
            && *d <= chrono::Utc::now().date_naive()
    });
    let Some(date) = date else {
        return Err(IdNumberError::BirthDate(birth.to_string()));
    };
    let expected = check_character(&bytes[..17]);
    let found = char::from(bytes[17]);
    if expected != found {
        return Err(IdNumberError::Checksum { expected, found });
    }
    Ok((id, date))
}

/// `3204**********1234`
pub fn mask_id(id: &str) -> String {
    if id.len() < 8 {
        return "*".repeat(id.len());
    }
    format!(
        "{}{}{}",
        &id[..4],
        "*".repeat(id.len() - 8),
        &id[id.len() - 4..]
    )
}

/// 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid number for a date and sequence (the demo uses the same construction).
    fn make(prefix17: &str) -> String {
        format!("{prefix17}{}", check_character(prefix17.as_bytes()))
    }

    #[test]
    fn valid_numbers_pass_and_are_normalised() {
        // The GB 11643 example number.
        assert_eq!(
            validate("11010519491231002x").unwrap().0,
            "11010519491231002X"
        );
        let id = make("32041219580312401");
        let (norm, birth) = validate(&id).unwrap();
        assert_eq!(norm, id);
        assert_eq!(birth.to_string(), "1958-03-12");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(validate("1234"), Err(IdNumberError::Length(4)));
        assert_eq!(
            validate("1101051949123100AX"),
            Err(IdNumberError::NotDigits)
        );
        assert!(matches!(
            validate(&make("32041219581332401")),
            Err(IdNumberError::BirthDate(_))
        ));
        let mut wrong = make("32041219580312401");
        let last = wrong.pop().unwrap();
        wrong.push(if last == '0' { '1' } else { '0' });
        assert!(matches!(
            validate(&wrong),
            Err(IdNumberError::Checksum { .. })
        ));
    }

    #[test]
    fn masking_hides_the_middle() {
        assert_eq!(mask_id("320412195803124015"), "3204**********4015");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张小三"), "张*三");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
    }
}
