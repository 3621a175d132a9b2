//! CSV reports, written one way. A spreadsheet program opening a CSV runs any
//! cell that starts like a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+1`, `-1+2`),
//! and names and notes are typed by people. So every cell a report writes
//! goes through [`csv_cell`], as OWASP recommends
//! (<https://owasp.org/www-community/attacks/CSV_Injection>): a cell starting
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single
//! quote, which the program shows as text. Plain numbers (`-3.50`, a score
//! gap) stay numbers. The .xlsx exports write strings as strings and need
//! none of this.

use std::borrow::Cow;

/// A cell made safe to open in a spreadsheet program (see the module doc).
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `-3.5`, `-12`: a minus, digits, at most one point with digits after it.
/// Anything more (`-1+2`, `-1e5`, `-inf`) is not taken as a number.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

/// A CSV report: the header, then each row, every cell through [`csv_cell`];
/// with a UTF-8 byte-order mark first when `bom` (Excel then reads the
/// Chinese right).
pub fn write_csv<H, R, C>(bom: bool, header: H, rows: R) -> anyhow::Result<Vec<u8>>
where
    H: IntoIterator,
    H::Item: AsRef<str>,
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut out = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(header.into_iter().map(|h| csv_cell(h.as_ref()).into_owned()))?;
        for row in rows {
            w.write_record(row.into_iter().map(|c| csv_cell(c.as_ref()).into_owned()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote_and_numbers_stay_numbers() {
        let cases = [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("@SUM(1)", "'@SUM(1)"),
            ("+1", "'+1"),
            ("-1+2", "'-1+2"),
            ("-", "'-"),
            ("-1e5", "'-1e5"),
            ("-inf", "'-inf"),
            ("-.5", "'-.5"),
            ("-3.", "'-3."),
            ("\tcmd", "'\tcmd"),
            ("\r=1", "'\r=1"),
            ("-3.5", "-3.5"),
            ("-3.50", "-3.50"),
            ("-12", "-12"),
            ("88.50", "88.50"),
            ("张三", "张三"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (cell, written) in cases {
            assert_eq!(csv_cell(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn every_cell_of_a_report_goes_through_csv_cell() {
        let out = write_csv(false, ["工号", "姓名"], [["=1+1", "-2.50"], ["10001", "@x"]]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "工号,姓名\n'=1+1,-2.50\n10001,'@x\n");
        assert!(write_csv(true, ["a"], [["b"]]).unwrap().starts_with(b"\xEF\xBB\xBF"));
    }
}
