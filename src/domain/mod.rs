//! The words every feature speaks, given one home: months, scores and
//! shares in hundredths, money in fen, staff numbers, the org tree with its
//! scope. Parsed once at the edge (a form, a query, an import) and trusted
//! inside. Nothing here depends on a feature.

pub mod money;
pub mod month;
pub mod org;
pub mod score;
pub mod staff_no;

pub use money::Fen;
pub use month::{BadMonth, Month};
pub use org::{Audience, OrgTree, Person, Scope};
pub use score::{Mean, Score};
pub use staff_no::StaffNo;

/// Stores an enum as its text code through diesel, on every backend: the
/// enum needs `#[derive(diesel::AsExpression, diesel::FromSqlRow)]`,
/// `#[diesel(sql_type = diesel::sql_types::Text)]`, `fn code(self) -> &'static str`
/// and `fn parse_code(&str) -> Option<Self>`. A row with an unknown code is a
/// load error naming it, never a silent default.
#[macro_export]
macro_rules! stored_as_text {
    ($ty:ty) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                self.code().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let code =
                    <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                <$ty>::parse_code(&code)
                    .ok_or_else(|| format!("unknown {} code {code:?}", stringify!($ty)).into())
            }
        }
    };
}
