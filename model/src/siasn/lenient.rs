//! Reading SIASN's loosely typed values: the same field comes as `"34"` in one response and `34` in another
//! (kanekescom/laravel-siasn-simpeg `src/Transformers/PnsRwGolonganTransformer.php` guards `jenisKPId` with
//! `is_numeric`), booleans as `true`, `1` or `"1"`, and the document map `path` as an object, `null` or `[]`
//! (a PHP empty array). Every field of [`super::read`] goes through [`de`], so one odd value never fails a
//! whole response; what we write is always the form the sources show.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A field type [`de`] can read leniently.
pub trait Lenient: Sized {
    fn from_value(v: Value) -> Option<Self>;
}

/// `#[serde(deserialize_with = "lenient::de")]`: any JSON value → the field, or its empty value.
pub fn de<'de, D: Deserializer<'de>, T: Lenient + Default>(d: D) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(T::from_value(v).unwrap_or_default())
}

impl Lenient for Option<String> {
    fn from_value(v: Value) -> Option<Self> {
        Some(match v {
            Value::Null => None,
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Array(_) | Value::Object(_) => None,
        })
    }
}

impl Lenient for Option<f64> {
    fn from_value(v: Value) -> Option<Self> {
        Some(match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }
}

impl Lenient for Option<bool> {
    fn from_value(v: Value) -> Option<Self> {
        Some(match v {
            Value::Bool(b) => Some(b),
            Value::Number(n) => n.as_i64().map(|i| i != 0),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "y" => Some(true),
                "0" | "false" | "n" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }
}

impl<T: DeserializeOwned> Lenient for Option<BTreeMap<String, T>> {
    fn from_value(v: Value) -> Option<Self> {
        Some(match v {
            Value::Object(_) => serde_json::from_value(v).ok(),
            // `[]` is how PHP encodes an empty map; `null` is no map.
            _ => None,
        })
    }
}

impl<T: DeserializeOwned> Lenient for Vec<T> {
    fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Array(items) => Some(items.into_iter().filter_map(|i| serde_json::from_value(i).ok()).collect()),
            _ => None,
        }
    }
}

/// A nested object (`orang`, `dataPernikahan`, `ayah`, `ibu`): read normally, absent or malformed → `None`.
pub fn object<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<T>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_leniently() {
        assert_eq!(Option::<String>::from_value(serde_json::json!(34)), Some(Some("34".into())));
        assert_eq!(Option::<String>::from_value(Value::Null), Some(None));
        assert_eq!(Option::<f64>::from_value(serde_json::json!("12.5")), Some(Some(12.5)));
        assert_eq!(Option::<bool>::from_value(serde_json::json!("1")), Some(Some(true)));
        assert_eq!(Option::<bool>::from_value(serde_json::json!(0)), Some(Some(false)));
        let empty: Option<Option<BTreeMap<String, String>>> = Lenient::from_value(serde_json::json!([]));
        assert_eq!(empty, Some(None));
    }
}
