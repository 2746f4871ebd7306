//! An answer as sent or stored, before it is checked against its question:
//! borrowed from a parsed JSON value, or straight from a stored document's
//! text without building JSON values (what exports at scale read).
use super::definition::Consultation;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raw<'a> {
    Null,
    Str(Cow<'a, str>),
    /// Items that are strings, or the JSON type of those that are not.
    List(Vec<Result<Cow<'a, str>, &'static str>>),
    /// Anything else, by its JSON type ("a number", "an object", ...).
    Other(&'static str),
}

impl Raw<'_> {
    /// How error messages name it.
    pub fn json_type(&self) -> &'static str {
        match self {
            Raw::Null => "null",
            Raw::Str(_) => "a string",
            Raw::List(_) => "a list",
            Raw::Other(t) => t,
        }
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<'a> From<&'a Value> for Raw<'a> {
    fn from(v: &'a Value) -> Self {
        match v {
            Value::Null => Raw::Null,
            Value::String(s) => Raw::Str(Cow::Borrowed(s)),
            Value::Array(items) => Raw::List(
                items
                    .iter()
                    .map(|i| i.as_str().map(Cow::Borrowed).ok_or(json_type(i)))
                    .collect(),
            ),
            other => Raw::Other(json_type(other)),
        }
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer")
    }
    fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::Other("a number"))
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Raw<'de>>()? {
            items.push(match item {
                Raw::Str(s) => Ok(s),
                other => Err(other.json_type()),
            });
        }
        Ok(Raw::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Other("an object"))
    }
}

impl<'de> serde::Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// Hands each of a stored document's entries to `f`, borrowing from its
/// text where it can. `None` when it is not a JSON object.
fn each_entry<'t>(text: &'t str, f: impl FnMut(Cow<'t, str>, Raw<'t>)) -> Option<()> {
    struct Entries<F>(F);
    impl<'de, F: FnMut(Cow<'de, str>, Raw<'de>)> Visitor<'de> for Entries<F> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<Key<'de>>()? {
                (self.0)(key.0, map.next_value()?);
            }
            Ok(())
        }
    }
    struct Key<'a>(Cow<'a, str>);
    impl<'de> serde::Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            match Raw::deserialize(d)? {
                Raw::Str(s) => Ok(Key(s)),
                _ => Ok(Key(Cow::Borrowed(""))),
            }
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Entries(f)).ok()?;
    de.end().ok()
}

/// A stored document's entries in order; `None` when it is not a JSON
/// object.
#[cfg(test)]
fn document(text: &str) -> Option<Vec<(Cow<'_, str>, Raw<'_>)>> {
    let mut out = Vec::new();
    each_entry(text, |k, v| out.push((k, v)))?;
    Some(out)
}

/// Finds each question's value in stored documents: a key is looked up
/// by binary search over the question ids, not by scanning the document
/// once per question.
pub struct DocumentReader<'c> {
    /// Question ids, sorted, each with its place in definition order.
    ids: Vec<(&'c str, usize)>,
}

impl<'c> DocumentReader<'c> {
    pub fn new(c: &'c Consultation) -> Self {
        let mut ids: Vec<(&str, usize)> = c
            .questions()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        ids.sort_unstable();
        DocumentReader { ids }
    }

    /// The document's values, one per question in definition order (the
    /// first where a key repeats); none when it is not a JSON object.
    pub fn read<'t>(&self, text: &'t str) -> Vec<Option<Raw<'t>>> {
        let mut out = vec![None; self.ids.len()];
        // Stored documents have their keys sorted: the next key is most
        // often the next id, and a search is needed only when it is not.
        let mut next = 0;
        let whole = each_entry(text, |key, value| {
            let found = match self.ids.get(next) {
                Some((id, _)) if *id == key => Ok(next),
                _ => self.ids.binary_search_by(|(id, _)| (*id).cmp(&key)),
            };
            if let Ok(i) = found {
                next = i + 1;
                let slot = &mut out[self.ids[i].1];
                if slot.is_none() {
                    *slot = Some(value);
                }
            }
        });
        if whole.is_none() {
            // Not an object, or broken part-way: nothing is read from it.
            out.fill(None);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_document_reads_as_its_json_would() {
        let text = r#"{"a":"x","b":["p","q\n",3],"c":null,"d":{"e":1},"f":2.5}"#;
        let entries = document(text).expect("object");
        let value: Value = serde_json::from_str(text).expect("json");
        for (k, raw) in &entries {
            assert_eq!(raw, &Raw::from(&value[k.as_ref()]), "{k}");
        }
        assert_eq!(entries.len(), 5);
        assert!(matches!(&entries[0].1, Raw::Str(Cow::Borrowed("x"))));
        assert_eq!(document("[1]"), None);
        assert_eq!(document("{\"a\":"), None);
    }

    #[test]
    fn a_layout_puts_each_value_in_its_question_s_place() {
        let c = crate::test_support::demo();
        let layout = DocumentReader::new(&c);
        let ids: Vec<&str> = c.questions().map(|q| q.id.as_str()).collect();
        let values = layout.read(r#"{"q1":"agree","nope":"x","region":"london","q1":"disagree"}"#);
        assert_eq!(values.len(), ids.len());
        for (id, v) in ids.iter().zip(&values) {
            let want = match *id {
                "q1" => Some(Raw::Str(Cow::Borrowed("agree"))),
                "region" => Some(Raw::Str(Cow::Borrowed("london"))),
                _ => None,
            };
            assert_eq!(v, &want, "{id}");
        }
        assert!(layout.read("[1]").iter().all(Option::is_none));
    }

    proptest! {
        #[test]
        fn any_json_object_reads_the_same_both_ways(
            entries in prop::collection::btree_map("[a-z_]{1,8}", prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i32>().prop_map(Value::from),
                ".{0,12}".prop_map(Value::from),
                prop::collection::vec(prop_oneof![".{0,6}".prop_map(Value::from), any::<i8>().prop_map(Value::from)], 0..4).prop_map(Value::from),
            ], 0..6)
        ) {
            let value = Value::Object(entries.into_iter().collect());
            let text = value.to_string();
            let got = document(&text).expect("object");
            prop_assert_eq!(got.len(), value.as_object().map_or(0, |m| m.len()));
            for (k, raw) in &got {
                prop_assert_eq!(raw, &Raw::from(&value[k.as_ref()]));
            }
        }
    }
}
