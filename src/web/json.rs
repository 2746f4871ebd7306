//! JSON request bodies read strictly: serde_json keeps the last of two
//! equal keys, which would silently drop what a client sent first. Here
//! every repeated key is reported, by its path.
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

#[derive(Debug)]
pub enum StrictError {
    /// Not JSON at all.
    Syntax(serde_json::Error),
    /// JSON, but with these keys more than once; each path is a list of
    /// keys from the top (array positions as numbers).
    Duplicates(Vec<Vec<String>>),
}

/// Parses `text` as one JSON value, refusing repeated keys in any object.
pub fn parse_strict(text: &str) -> Result<Value, StrictError> {
    let duplicates = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node {
        duplicates: &duplicates,
        path: Vec::new(),
    }
    .deserialize(&mut de)
    .map_err(StrictError::Syntax)?;
    de.end().map_err(StrictError::Syntax)?;
    let duplicates = duplicates.into_inner();
    if duplicates.is_empty() {
        Ok(value)
    } else {
        Err(StrictError::Duplicates(duplicates))
    }
}

/// One value being read, with where it is.
struct Node<'a> {
    duplicates: &'a RefCell<Vec<Vec<String>>>,
    path: Vec<String>,
}

impl Node<'_> {
    fn child(&self, key: String) -> Self {
        let mut path = self.path.clone();
        path.push(key);
        Node {
            duplicates: self.duplicates,
            path,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON text cannot spell a non-finite number.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(items.len().to_string()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child(key.clone()))?;
            if object.contains_key(&key) {
                let mut path = self.path.clone();
                path.push(key);
                self.duplicates.borrow_mut().push(path);
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn repeated_keys_are_reported_where_they_are() {
        let text = r#"{"a": 1, "b": {"q1": "x", "q2": [1, {"k": 1, "k": 2}], "q1": "y"}, "a": 2}"#;
        match parse_strict(text) {
            Err(StrictError::Duplicates(d)) => assert_eq!(
                d,
                vec![
                    vec!["b".to_string(), "q2".into(), "1".into(), "k".into()],
                    vec!["b".into(), "q1".into()],
                    vec!["a".into()],
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn syntax_errors_and_trailing_text_are_refused() {
        assert!(matches!(parse_strict("{"), Err(StrictError::Syntax(_))));
        assert!(matches!(parse_strict("{} x"), Err(StrictError::Syntax(_))));
        assert!(matches!(parse_strict(""), Err(StrictError::Syntax(_))));
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| Value::Number(n.into())),
            any::<u64>().prop_map(|n| Value::Number(n.into())),
            (-1e300f64..1e300).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".*".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::btree_map(".*", inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Without repeated keys, it reads exactly what serde_json reads.
        #[test]
        fn agrees_with_serde_json(v in json()) {
            let text = v.to_string();
            let ours = parse_strict(&text).map_err(|e| format!("{e:?}"));
            let theirs: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ours, Ok(theirs));
        }
    }
}
