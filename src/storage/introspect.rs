//! The shape of the migrated schema as each backend reports it, in one
//! backend-neutral form, so that the two migration folders can be checked
//! to stay in step.
use super::{AnyConnection, StorageError, Store};
use diesel::RunQueryDsl;
use diesel::sql_types::{Bool, Integer, Text};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnShape {
    pub name: String,
    /// Lower case, with PostgreSQL's long names shortened to the SQL ones
    /// the migrations write (`timestamp without time zone` → `timestamp`).
    pub sql_type: String,
    pub nullable: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableShape {
    pub is_view: bool,
    /// In declaration order.
    pub columns: Vec<ColumnShape>,
    /// (unique, columns in index order); names differ between backends.
    pub indexes: BTreeSet<(bool, Vec<String>)>,
}

pub type SchemaShape = BTreeMap<String, TableShape>;

#[derive(diesel::QueryableByName)]
struct Relation {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_view: bool,
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sql_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(diesel::QueryableByName)]
struct IndexColumn {
    #[diesel(sql_type = Text)]
    index_name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Integer)]
    seq: i32,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn normalise(t: &str) -> String {
    let t = t.trim().to_lowercase();
    match t.as_str() {
        "timestamp without time zone" => "timestamp".into(),
        "character varying" => "varchar".into(),
        _ => t,
    }
}

const SQLITE_RELATIONS: &str = "SELECT name, type = 'view' AS is_view FROM sqlite_master \
     WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' \
     AND name <> '__diesel_schema_migrations'";
const SQLITE_COLUMNS: &str =
    "SELECT name, type AS sql_type, \"notnull\" = 0 AS nullable FROM pragma_table_info(?)";
const SQLITE_INDEXES: &str = "SELECT l.name AS index_name, l.\"unique\" = 1 AS is_unique, \
     i.seqno AS seq, COALESCE(i.name, '(expression)') AS column_name \
     FROM pragma_index_list(?) l, pragma_index_info(l.name) i";

const PG_RELATIONS: &str = "SELECT table_name::text AS name, table_type = 'VIEW' AS is_view \
     FROM information_schema.tables WHERE table_schema = current_schema() \
     AND table_name <> '__diesel_schema_migrations'";
const PG_COLUMNS: &str = "SELECT column_name::text AS name, data_type::text AS sql_type, \
     is_nullable = 'YES' AS nullable FROM information_schema.columns \
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position";
const PG_INDEXES: &str = "SELECT i.relname::text AS index_name, x.indisunique AS is_unique, \
     k.n::int AS seq, COALESCE(a.attname::text, '(expression)') AS column_name \
     FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid \
     JOIN pg_class i ON i.oid = x.indexrelid \
     JOIN pg_namespace ns ON ns.oid = t.relnamespace \
     CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
     LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
     WHERE ns.nspname = current_schema() AND t.relname = $1";

impl Store {
    /// Tables and views with their columns and indexes, as migrated.
    pub fn schema_shape(&self) -> Result<SchemaShape, StorageError> {
        let mut conn = self.conn()?;
        let mut shape = SchemaShape::new();
        let (relations_sql, columns_sql, indexes_sql) = match &*conn {
            AnyConnection::Sqlite(_) => (SQLITE_RELATIONS, SQLITE_COLUMNS, SQLITE_INDEXES),
            AnyConnection::Postgres(_) => (PG_RELATIONS, PG_COLUMNS, PG_INDEXES),
        };
        let relations: Vec<Relation> = diesel::sql_query(relations_sql).load(&mut *conn)?;
        for r in relations {
            let columns: Vec<Column> = diesel::sql_query(columns_sql)
                .bind::<Text, _>(&r.name)
                .load(&mut *conn)?;
            let index_rows: Vec<IndexColumn> = diesel::sql_query(indexes_sql)
                .bind::<Text, _>(&r.name)
                .load(&mut *conn)?;
            let mut indexes: BTreeMap<String, (bool, Vec<(i32, String)>)> = BTreeMap::new();
            for i in index_rows {
                let entry = indexes
                    .entry(i.index_name)
                    .or_insert((i.is_unique, Vec::new()));
                entry.1.push((i.seq, i.column_name));
            }
            shape.insert(
                r.name,
                TableShape {
                    is_view: r.is_view,
                    columns: columns
                        .into_iter()
                        .map(|c| ColumnShape {
                            name: c.name,
                            // SQLite gives computed view columns no type.
                            sql_type: if r.is_view {
                                String::new()
                            } else {
                                normalise(&c.sql_type)
                            },
                            nullable: c.nullable,
                        })
                        .collect(),
                    indexes: indexes
                        .into_values()
                        .map(|(unique, mut cols)| {
                            cols.sort();
                            (unique, cols.into_iter().map(|(_, c)| c).collect())
                        })
                        .collect(),
                },
            );
        }
        Ok(shape)
    }
}
