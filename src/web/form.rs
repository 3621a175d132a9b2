//! Form errors shown next to their fields: a refused form keeps what was
//! typed, each field's message sits under it (`id="err-<field>"`, the input
//! marked `aria-invalid` and pointing at it with `aria-describedby`), and a
//! short alert at the top tells a screen-reader user how many there are.

use std::collections::BTreeMap;

use tera::Context;

use super::msg;

/// Field name → what is wrong with it, in Chinese.
pub type FieldErrors = BTreeMap<&'static str, String>;

/// The key for a problem that belongs to no single field: shown in the top alert.
pub const WHOLE_FORM: &str = "form";

/// Records `text` against `field`; a second problem with the same field is
/// added after the first, so none is lost.
pub fn add_error(errors: &mut FieldErrors, field: &'static str, text: impl Into<String>) {
    let text = text.into();
    match errors.get_mut(field) {
        Some(shown) => {
            if !shown.ends_with('。') {
                shown.push('；');
            }
            shown.push_str(&text);
        }
        None => {
            errors.insert(field, text);
        }
    }
}

/// Puts the errors (`errors`) and the top alert's text (`error_summary`,
/// absent when there is nothing wrong) into a page's context.
pub fn insert_errors(c: &mut Context, errors: &FieldErrors) {
    c.insert("errors", errors);
    c.insert("error_summary", &(!errors.is_empty()).then(|| msg::form_errors(errors.len())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_problem_with_a_field_is_kept_after_the_first() {
        let mut errors = FieldErrors::new();
        add_error(&mut errors, "title", "请填写标题。");
        add_error(&mut errors, "title", "标题太长");
        add_error(&mut errors, "title", "又一处");
        add_error(&mut errors, "body", "正文不能为空。");
        assert_eq!(errors["title"], "请填写标题。标题太长；又一处");
        assert_eq!(errors.len(), 2);
    }
}
