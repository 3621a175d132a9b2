//! `Fen`: money in fen (分, hundredths of a yuan), the unit of every
//! deduction that reaches payroll (rule 6: 10 yuan per unread item).

use std::fmt;

/// An amount in fen; 1000 = 10.00 yuan.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan.saturating_mul(100))
    }

    /// `count` times this amount (saturating: a ledger never wraps).
    pub fn times(self, count: i64) -> Fen {
        Fen(self.0.saturating_mul(count))
    }

    /// `10.00`.
    pub fn yuan(self) -> String {
        super::score::two_decimals(self.0)
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        Fen(iter.map(|f| f.0).fold(0i64, i64::saturating_add))
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_yuan_in_fen() {
        assert_eq!(Fen::from_yuan(10).times(3), Fen(3000));
        assert_eq!(Fen(3000).to_string(), "30.00");
        assert_eq!(Fen(5).yuan(), "0.05");
        assert_eq!([Fen(1000), Fen(250)].into_iter().sum::<Fen>(), Fen(1250));
        assert_eq!(Fen(i64::MAX).times(2), Fen(i64::MAX));
    }
}
