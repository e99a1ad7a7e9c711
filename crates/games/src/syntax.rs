//! The shared lexical layer of the selection syntax (SYNTAX.md): tokens, separators, the
//! trailing multiple, and number zones with range and repeat checks.

use crate::error::{Reason, SelectionError};
use crate::NumberSet;

/// Longest input accepted, in bytes: a selection is one ticket line.
pub const MAX_SELECTION_BYTES: usize = 1024;
/// Highest multiple (倍数) a selection may carry.
pub const MAX_MULTIPLE: u32 = 99;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A run of ASCII digits, kept as text (福彩3D reads digit by digit).
    Number,
    /// A keyword: letters then optional digits, lower-cased (`zx`, `z3`, `x5`, `x`).
    Word,
    Plus,
    Hash,
    Bar,
}

#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind,
    pub text: &'a str,
    pub column: usize,
}

impl Token<'_> {
    /// The token's value as a number; `Number` tokens only, callers check the kind.
    pub fn value(&self) -> Result<u32, SelectionError> {
        let digits = self.text.trim_start_matches('0');
        if digits.len() > 4 {
            return Err(self.error(Reason::NumberTooLong(self.text.to_string())));
        }
        Ok(digits.parse().unwrap_or(0))
    }

    pub fn error(&self, reason: Reason) -> SelectionError {
        SelectionError::new(self.column, reason)
    }

    pub fn unexpected(&self, expected: &'static str) -> SelectionError {
        self.error(Reason::Unexpected {
            expected,
            found: self.text.to_string(),
        })
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || c == ',' || c == '，' || c == '、'
}

/// Splits a line into tokens. Separators are spaces and commas (ASCII or full-width).
pub(crate) fn tokenize(input: &str) -> Result<Vec<Token<'_>>, SelectionError> {
    if input.len() > MAX_SELECTION_BYTES {
        return Err(SelectionError::new(
            1,
            Reason::Count(format!(
                "the selection is {} bytes long; the limit is {MAX_SELECTION_BYTES}",
                input.len()
            )),
        ));
    }
    let mut tokens = Vec::new();
    let mut chars = input.char_indices().enumerate().peekable();
    while let Some((column0, (start, c))) = chars.next() {
        let column = column0 + 1;
        if is_separator(c) {
            continue;
        }
        let single = |kind| Token {
            kind,
            text: &input[start..start + c.len_utf8()],
            column,
        };
        let token = match c {
            '+' => single(TokenKind::Plus),
            '#' => single(TokenKind::Hash),
            '|' => single(TokenKind::Bar),
            '×' => single(TokenKind::Word),
            c if c.is_ascii_digit() || c.is_ascii_alphabetic() => {
                let is_word = c.is_ascii_alphabetic();
                let mut end = start + 1;
                let mut seen_digit = !is_word;
                while let Some(&(_, (i, next))) = chars.peek() {
                    let continues = if is_word {
                        next.is_ascii_digit() || (!seen_digit && next.is_ascii_alphabetic())
                    } else {
                        next.is_ascii_digit()
                    };
                    if !continues {
                        break;
                    }
                    seen_digit |= next.is_ascii_digit();
                    end = i + 1;
                    chars.next();
                }
                let kind = if is_word {
                    TokenKind::Word
                } else {
                    TokenKind::Number
                };
                Token {
                    kind,
                    text: &input[start..end],
                    column,
                }
            }
            other => return Err(SelectionError::new(column, Reason::UnexpectedChar(other))),
        };
        tokens.push(token);
    }
    if tokens.is_empty() {
        return Err(SelectionError::new(1, Reason::Empty));
    }
    Ok(tokens)
}

fn is_multiple_mark(token: &Token<'_>) -> bool {
    token.kind == TokenKind::Word && (token.text.eq_ignore_ascii_case("x") || token.text == "×")
}

/// Removes a trailing multiple (` x N`, also `xN` or `×N`) from `tokens` and returns it
/// (1 when absent). The first token is never a multiple: it may be a play keyword (`x5`).
pub(crate) fn take_multiple(tokens: &mut Vec<Token<'_>>) -> Result<u8, SelectionError> {
    let n = tokens.len();
    let (value_token, consumed) = if n >= 3
        && is_multiple_mark(&tokens[n - 2])
        && tokens[n - 1].kind == TokenKind::Number
    {
        (tokens[n - 1].clone(), 2)
    } else if n >= 2 && tokens[n - 1].kind == TokenKind::Word {
        let last = &tokens[n - 1];
        let (mark, digits) = last.text.split_at(
            last.text
                .char_indices()
                .nth(1)
                .map_or(last.text.len(), |(i, _)| i),
        );
        if !(mark.eq_ignore_ascii_case("x") || mark == "×") || digits.is_empty() {
            return Ok(1);
        }
        let value = Token {
            kind: TokenKind::Number,
            text: &last.text[last.text.len() - digits.len()..],
            column: last.column + 1,
        };
        (value, 1)
    } else if n >= 2 && is_multiple_mark(&tokens[n - 1]) {
        return Err(tokens[n - 1].error(Reason::Count("the multiple after 'x' is missing".into())));
    } else {
        return Ok(1);
    };
    let too_large = || {
        value_token.error(Reason::MultipleTooLarge {
            value: value_token.text.to_string(),
            max: MAX_MULTIPLE,
        })
    };
    let value = value_token.value().map_err(|_| too_large())?;
    if value == 0 {
        return Err(value_token.error(Reason::MultipleZero { max: MAX_MULTIPLE }));
    }
    if value > MAX_MULTIPLE {
        return Err(too_large());
    }
    tokens.truncate(n - consumed);
    Ok(value as u8)
}

/// How a zone's numbers are named in messages and printed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ZoneSpec {
    /// Name in messages: "red ball", "blue ball", "number", "digit".
    pub name: &'static str,
    pub min: u8,
    pub max: u8,
    /// Two-digit printing (`07`) or single digits (福彩3D).
    pub two_digits: bool,
}

impl ZoneSpec {
    pub fn format(&self, n: u32) -> String {
        if self.two_digits {
            format!("{n:02}")
        } else {
            n.to_string()
        }
    }

    /// Reads a run of number tokens into a set, checking range and repeats. `within` holds
    /// numbers already taken in the same zone (the 胆 when reading the 拖).
    pub fn read(
        &self,
        tokens: &[Token<'_>],
        within: NumberSet,
    ) -> Result<NumberSet, SelectionError> {
        let mut set = NumberSet::EMPTY;
        for token in tokens {
            if token.kind != TokenKind::Number {
                return Err(token.unexpected("a number"));
            }
            let value = token
                .value()
                .map_err(|_| self.out_of_range(token, token.text))?;
            if value < u32::from(self.min) || value > u32::from(self.max) {
                return Err(self.out_of_range(token, &self.format(value)));
            }
            let n = value as u8;
            if within.contains(n) {
                return Err(token.error(Reason::DanInTuo(self.format(value))));
            }
            if set.contains(n) {
                return Err(token.error(Reason::Repeated {
                    zone: self.name,
                    value: self.format(value),
                }));
            }
            set.insert(n);
        }
        Ok(set)
    }

    fn out_of_range(&self, token: &Token<'_>, value: &str) -> SelectionError {
        token.error(Reason::OutOfRange {
            zone: self.name,
            value: value.to_string(),
            min: self.min.to_string(),
            max: self.max.to_string(),
        })
    }

    /// Canonical text of a set: ascending, single spaces.
    pub fn print(&self, set: NumberSet) -> String {
        let parts: Vec<String> = set.iter().map(|n| self.format(u32::from(n))).collect();
        parts.join(" ")
    }
}

/// Splits tokens at the first token of `kind`: (before, Some((marker, after))) or (all, None).
pub(crate) fn split_at_kind<'t, 'a>(
    tokens: &'t [Token<'a>],
    kind: TokenKind,
) -> (&'t [Token<'a>], Option<(&'t Token<'a>, &'t [Token<'a>])>) {
    match tokens.iter().position(|t| t.kind == kind) {
        Some(i) => (&tokens[..i], Some((&tokens[i], &tokens[i + 1..]))),
        None => (tokens, None),
    }
}

/// Refuses a second occurrence of a one-time mark (`+`, `#`).
pub(crate) fn refuse_repeated(
    tokens: &[Token<'_>],
    kind: TokenKind,
    mark: char,
) -> Result<(), SelectionError> {
    if let Some(t) = tokens.iter().find(|t| t.kind == kind) {
        return Err(t.error(Reason::RepeatedMark(mark)));
    }
    Ok(())
}

/// Canonical suffix for a multiple: empty for 1.
pub(crate) fn print_multiple(multiple: u8) -> String {
    if multiple == 1 {
        String::new()
    } else {
        format!(" x {multiple}")
    }
}

/// The column just after the last token (for "missing …" errors at the end of the line).
pub(crate) fn end_column(tokens: &[Token<'_>]) -> usize {
    tokens
        .last()
        .map_or(1, |t| t.column + t.text.chars().count())
}
