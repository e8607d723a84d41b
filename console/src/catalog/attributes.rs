//! A product's attributes as a form generated from its product type's JSON Schema: each
//! property of the schema's `properties` becomes a field by its type (text, or a select when
//! it has an `enum`; a number input with the schema's bounds; a checkbox), labelled with its
//! `title` and described by its `description`, marked when `required`. A property of another
//! type (an array, an object) is edited as JSON.
//!
//! The form reads what it can (a number that is not one, a required field left empty); the
//! server checks the rest against the schema, and its refusal (`attributes/…`) shows beside
//! the field.

use serde_json::{Map, Value};

use leptos::prelude::*;

use crate::field::{CheckField, Field, FieldError, SelectField};
use crate::Problem;

/// How a property is edited.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Text,
    /// One of the schema's `enum` values, each kept as its JSON text.
    Choice(Vec<String>),
    Integer {
        min: Option<String>,
        max: Option<String>,
    },
    Number {
        min: Option<String>,
        max: Option<String>,
    },
    Boolean,
    /// Any other JSON value, typed as JSON.
    Json,
}

/// One property of the schema, as a field.
#[derive(Debug, Clone, PartialEq)]
struct Property {
    key: String,
    label: String,
    hint: Option<String>,
    kind: Kind,
    required: bool,
}

impl Property {
    /// The field's name as the API names it in a refusal: a JSON pointer under `attributes`
    /// (`~` and `/` escaped as the pointer syntax says).
    fn parameter(&self) -> String {
        format!(
            "attributes/{}",
            self.key.replace('~', "~0").replace('/', "~1")
        )
    }
}

/// `weightGrams` or `weight_grams` as `Weight grams`, for a property without a `title`.
fn label_of(key: &str) -> String {
    let mut label = String::new();
    for (index, c) in key.chars().enumerate() {
        if index == 0 {
            label.extend(c.to_uppercase());
        } else if c == '_' || c == '-' {
            label.push(' ');
        } else if c.is_uppercase() {
            label.push(' ');
            label.extend(c.to_lowercase());
        } else {
            label.push(c);
        }
    }
    label
}

fn bound(schema: &Value, name: &str) -> Option<String> {
    schema
        .get(name)
        .filter(|v| v.is_number())
        .map(Value::to_string)
}

/// The fields of an object schema's properties, in the order of their keys (the API returns a
/// schema's members sorted by key, whatever order they were written in).
fn properties_of(schema: &Value) -> Vec<Property> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    properties
        .iter()
        .map(|(key, property)| {
            // `"type": ["string", "null"]` is a nullable string: edited as a string.
            let type_name = match property.get("type") {
                Some(Value::String(name)) => name.as_str(),
                Some(Value::Array(names)) => names
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|name| *name != "null")
                    .unwrap_or(""),
                _ => "",
            };
            let kind = match (property.get("enum").and_then(Value::as_array), type_name) {
                (Some(values), _) => Kind::Choice(values.iter().map(Value::to_string).collect()),
                (None, "string") => Kind::Text,
                (None, "integer") => Kind::Integer {
                    min: bound(property, "minimum"),
                    max: bound(property, "maximum"),
                },
                (None, "number") => Kind::Number {
                    min: bound(property, "minimum"),
                    max: bound(property, "maximum"),
                },
                (None, "boolean") => Kind::Boolean,
                _ => Kind::Json,
            };
            Property {
                key: key.clone(),
                label: property
                    .get("title")
                    .and_then(Value::as_str)
                    .map_or_else(|| label_of(key), str::to_owned),
                hint: property
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                kind,
                required: required.contains(&key.as_str()),
            }
        })
        .collect()
}

/// A value as its field shows it: strings as they are, enum values and JSON as JSON text.
fn field_text(kind: &Kind, value: Option<&Value>) -> String {
    match (kind, value) {
        (_, None) => String::new(),
        (Kind::Text, Some(Value::String(text))) => text.clone(),
        (Kind::Integer { .. } | Kind::Number { .. }, Some(Value::Number(number))) => {
            number.to_string()
        }
        (_, Some(other)) => other.to_string(),
    }
}

/// What a field holds: `None` when left empty, or the value; a refusal when it cannot be read.
fn read_field(property: &Property, text: &str, checked: bool) -> Result<Option<Value>, Problem> {
    let refuse = |message: &str| Problem::of_field(property.parameter(), message);
    let text = text.trim();
    if property.kind == Kind::Boolean {
        return Ok(Some(Value::Bool(checked)));
    }
    if text.is_empty() {
        return if property.required {
            Err(refuse("is required"))
        } else {
            Ok(None)
        };
    }
    match &property.kind {
        Kind::Text => Ok(Some(Value::String(text.to_owned()))),
        Kind::Integer { .. } => text
            .parse::<i64>()
            .map(|n| Some(Value::from(n)))
            .map_err(|_| refuse("enter a whole number")),
        // Read as JSON, so the number stays as typed (no float rounding on the way).
        Kind::Number { .. } => serde_json::from_str::<serde_json::Number>(&text.replace(',', "."))
            .map(|n| Some(Value::Number(n)))
            .map_err(|_| refuse("enter a number, such as 2.5")),
        Kind::Choice(_) | Kind::Json => serde_json::from_str(text)
            .map(Some)
            .map_err(|error| refuse(&format!("is not valid JSON: {error}"))),
        Kind::Boolean => Ok(None),
    }
}

/// A property's field and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeField {
    property: Property,
    text: RwSignal<String>,
    checked: RwSignal<bool>,
}

/// The fields of `schema`'s properties, holding `values` (the product's attributes).
pub fn attribute_fields(schema: &Value, values: &Map<String, Value>) -> Vec<AttributeField> {
    properties_of(schema)
        .into_iter()
        .map(|property| {
            let value = values.get(&property.key);
            AttributeField {
                text: RwSignal::new(field_text(&property.kind, value)),
                checked: RwSignal::new(value.and_then(Value::as_bool).unwrap_or(false)),
                property,
            }
        })
        .collect()
}

/// The attributes the fields hold, over `others` (attributes the schema does not describe,
/// kept as they are); or the first field's refusal.
pub fn read_attributes(
    fields: &[AttributeField],
    mut others: Map<String, Value>,
) -> Result<Map<String, Value>, Problem> {
    for field in fields {
        let key = field.property.key.clone();
        match read_field(
            &field.property,
            &field.text.get_untracked(),
            field.checked.get_untracked(),
        )? {
            Some(value) => {
                others.insert(key, value);
            }
            None => {
                others.remove(&key);
            }
        }
    }
    Ok(others)
}

/// The keys `schema` describes, whose values the form owns.
pub fn described_keys(schema: &Value) -> Vec<String> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// The form of `fields`, in a fieldset titled `legend`; refusals of `problem` show beside
/// their fields, and one of the attributes as a whole (`attributes`) under the legend.
#[component]
pub fn AttributesForm(
    #[prop(into)] legend: Signal<String>,
    #[prop(into)] fields: Signal<Vec<AttributeField>>,
    problem: ReadSignal<Option<Problem>>,
) -> impl IntoView {
    let rows = move || {
        let fields = fields.get();
        if fields.is_empty() {
            return view! { <p class="hint">"This type's schema describes no properties."</p> }
                .into_any();
        }
        fields
            .into_iter()
            .map(|field| attribute_view(field, problem))
            .collect_view()
            .into_any()
    };
    view! {
        <fieldset class="attributes" aria-describedby="field-attributes-error">
            <legend>{legend}</legend>
            <FieldError parameter="attributes" problem=problem exact=true />
            {rows}
        </fieldset>
    }
}

fn attribute_view(field: AttributeField, problem: ReadSignal<Option<Problem>>) -> AnyView {
    let Property {
        label,
        hint,
        kind,
        required,
        ..
    } = field.property.clone();
    let parameter = field.property.parameter();
    let value = field.text;
    match kind {
        Kind::Text => view! {
            <Field label=label parameter=parameter value=value problem=problem hint=hint required=required />
        }
        .into_any(),
        Kind::Json => view! {
            <Field label=label parameter=parameter value=value problem=problem required=required
                hint=hint.unwrap_or_else(|| "As JSON, e.g. [\"a\", \"b\"]".to_owned()) />
        }
        .into_any(),
        Kind::Integer { min, max } | Kind::Number { min, max } => {
            let step = if matches!(field.property.kind, Kind::Integer { .. }) {
                "1"
            } else {
                "any"
            };
            let range = match (&min, &max) {
                (Some(min), Some(max)) => Some(format!("From {min} to {max}")),
                (Some(min), None) => Some(format!("At least {min}")),
                (None, Some(max)) => Some(format!("At most {max}")),
                (None, None) => None,
            };
            let hint = match (hint, range) {
                (Some(hint), Some(range)) => Some(format!("{hint} ({range})")),
                (hint, range) => hint.or(range),
            };
            view! {
                <Field label=label parameter=parameter value=value problem=problem hint=hint
                    required=required kind="number" inputmode="decimal" step=step min=min max=max />
            }
            .into_any()
        }
        Kind::Boolean => view! {
            <CheckField label=label parameter=parameter checked=field.checked problem=problem />
        }
        .into_any(),
        Kind::Choice(values) => {
            let mut options = vec![(String::new(), "Choose…".to_owned())];
            options.extend(values.into_iter().map(|json| {
                // Strings read as themselves; other values as their JSON.
                let text = serde_json::from_str::<String>(&json).unwrap_or_else(|_| json.clone());
                (json, text)
            }));
            view! {
                <SelectField label=label parameter=parameter value=value options=options
                    problem=problem required=required />
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn properties_become_fields_by_type() {
        let schema = json!({
            "type": "object",
            "properties": {
                "weightGrams": { "type": "integer", "minimum": 50, "maximum": 5000 },
                "flower": { "type": "string", "enum": ["heather", "orange"], "title": "Flower" },
                "organic": { "type": "boolean", "description": "Certified" },
                "notes": { "type": ["string", "null"] },
                "tags": { "type": "array" }
            },
            "required": ["weightGrams"]
        });
        let properties = properties_of(&schema);
        let kinds: Vec<_> = properties
            .iter()
            .map(|p| (p.key.as_str(), p.kind.clone(), p.required))
            .collect();
        assert!(kinds.contains(&(
            "weightGrams",
            Kind::Integer {
                min: Some("50".into()),
                max: Some("5000".into())
            },
            true
        )));
        assert!(kinds.contains(&(
            "flower",
            Kind::Choice(vec!["\"heather\"".into(), "\"orange\"".into()]),
            false
        )));
        assert!(kinds.contains(&("organic", Kind::Boolean, false)));
        assert!(kinds.contains(&("notes", Kind::Text, false)));
        assert!(kinds.contains(&("tags", Kind::Json, false)));
        let weight = properties.iter().find(|p| p.key == "weightGrams");
        assert_eq!(weight.map(|p| p.label.as_str()), Some("Weight grams"));
    }

    #[test]
    fn fields_read_into_json_values() {
        let property = |kind, required| Property {
            key: "k".into(),
            label: "K".into(),
            hint: None,
            kind,
            required,
        };
        let integer = property(
            Kind::Integer {
                min: None,
                max: None,
            },
            true,
        );
        assert_eq!(read_field(&integer, "500", false), Ok(Some(json!(500))));
        let refusal = read_field(&integer, "", false).err();
        assert_eq!(
            refusal.and_then(|p| p.field),
            Some("attributes/k".to_owned())
        );
        assert!(read_field(&integer, "5.5", false).is_err());
        let number = property(
            Kind::Number {
                min: None,
                max: None,
            },
            false,
        );
        assert_eq!(read_field(&number, "2,5", false), Ok(Some(json!(2.5))));
        assert_eq!(read_field(&number, "", false), Ok(None));
        let choice = property(Kind::Choice(vec!["\"a\"".into()]), false);
        assert_eq!(read_field(&choice, "\"a\"", false), Ok(Some(json!("a"))));
        assert_eq!(
            read_field(&property(Kind::Boolean, false), "", true),
            Ok(Some(json!(true)))
        );
    }
}
