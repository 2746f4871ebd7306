//! A time as a row stores it, formatted once where the row is made. A new
//! response binds its time five times (four tables), and formatting it at
//! each bind was a measurable share of the writer's time.
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;

#[derive(Debug, diesel::AsExpression)]
#[diesel(sql_type = Timestamp)]
pub struct Stamp {
    at: chrono::NaiveDateTime,
    /// SQLite's text form: what diesel writes for a `NaiveDateTime`.
    text: String,
}

impl Stamp {
    pub fn new(at: chrono::NaiveDateTime) -> Stamp {
        Stamp {
            at,
            text: at.format("%F %T%.f").to_string(),
        }
    }
}

/// What `AnyConnection` binds, handed to whichever backend it holds.
type Any = <super::AnyConnection as diesel::Connection>::Backend;

impl ToSql<Timestamp, Any> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Any>) -> serialize::Result {
        out.set_value((Timestamp, self));
        Ok(IsNull::No)
    }
}

impl ToSql<Timestamp, Sqlite> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.text.as_str());
        Ok(IsNull::No)
    }
}

impl ToSql<Timestamp, Pg> for Stamp {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        ToSql::<Timestamp, Pg>::to_sql(&self.at, out)
    }
}

#[cfg(test)]
mod tests {
    use super::Stamp;
    use chrono::NaiveDateTime;
    use diesel::{Connection, RunQueryDsl, SqliteConnection};
    use proptest::prelude::*;

    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Timestamp)]
        at: NaiveDateTime,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        same: bool,
    }

    proptest! {
        // Stored as diesel stores the time itself (so that stored times
        // compare), and read back as the same time.
        #[test]
        fn a_stamp_stores_its_time(secs in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000) {
            let at = chrono::DateTime::from_timestamp(secs, nanos)
                .map(|t| t.naive_utc())
                .ok_or_else(|| TestCaseError::reject("out of range"))?;
            let mut c = SqliteConnection::establish(":memory:")
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let rows: Vec<Row> = diesel::sql_query("SELECT ? AS at, ? = ? AS same")
                .bind::<diesel::sql_types::Timestamp, _>(Stamp::new(at))
                .bind::<diesel::sql_types::Timestamp, _>(Stamp::new(at))
                .bind::<diesel::sql_types::Timestamp, _>(at)
                .load(&mut c)
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(rows[0].at, at);
            prop_assert!(rows[0].same);
        }
    }
}
