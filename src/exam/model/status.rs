//! The exam feature's kinds and statuses, each stored as its text code
//! (`crate::stored_as_text!`) and shown to templates as that code.

use serde::Serialize;

use crate::web::msg;

/// Defines a code-stored enum: its variants with their codes, `ALL`, `code`
/// and `parse_code`, and the diesel text mapping.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// The stored code (as [`crate::domain::Month::as_str`] is the month's).
            pub fn as_str(&self) -> &'static str {
                self.code()
            }
        }

        /// Compares with a stored code, as a raw row or a test holds it.
        impl PartialEq<&str> for $name {
            fn eq(&self, code: &&str) -> bool {
                self.code() == *code
            }
        }

        crate::stored_as_text!($name);
    };
}

coded! {
    /// What an exam is for: the month's exam, its retest, or practice.
    ExamKind { Monthly = "monthly", Retest = "retest", Practice = "practice" }
}

impl ExamKind {
    pub fn label(self) -> &'static str {
        match self {
            ExamKind::Monthly => msg::EXAM_KIND_MONTHLY,
            ExamKind::Retest => msg::EXAM_KIND_RETEST,
            ExamKind::Practice => msg::EXAM_KIND_PRACTICE,
        }
    }
}

coded! {
    /// A draft is the trainer's alone; a published exam is for its audience.
    ExamStatus { Draft = "draft", Published = "published" }
}

coded! {
    /// Where an exam's results come from.
    Source {
        /// Sat in examhall.
        Sat = "sat",
        /// Results imported from a sitting held elsewhere: no paper, nothing to sit.
        Imported = "imported",
    }
}

coded! {
    /// An attempt is answered until it is submitted (by the candidate, the
    /// deadline, the sitting's close, or an import).
    AttemptStatus { InProgress = "in_progress", Submitted = "submitted" }
}

coded! {
    /// A proctored sitting starts attempts with its code while open.
    SittingStatus { Open = "open", Closed = "closed" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serialize_as_the_code() {
        for k in ExamKind::ALL {
            assert_eq!(ExamKind::parse_code(k.code()), Some(*k));
            assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{}\"", k.code()));
        }
        for s in AttemptStatus::ALL {
            assert_eq!(AttemptStatus::parse_code(s.code()), Some(*s));
            assert_eq!(serde_json::to_string(s).unwrap(), format!("\"{}\"", s.code()));
        }
        assert_eq!(ExamStatus::parse_code("archived"), None);
        assert_eq!(Source::parse_code("imported"), Some(Source::Imported));
        assert_eq!(SittingStatus::parse_code("closed"), Some(SittingStatus::Closed));
    }
}
