//! Exec-form detection: BuildKit's `parseJSON`, which accepts the arguments
//! as exec form only when they are a valid JSON array of strings.

use super::ExecArg;
use super::text::TextRange;

pub(crate) enum JsonArray {
    /// Not a JSON array: the arguments are shell form.
    NotJson,
    /// A valid JSON array with a non-string element: an error in BuildKit.
    NotStrings,
    Strings(Vec<ExecArg>),
}

pub(crate) fn string_array(text: &str, args: TextRange) -> JsonArray {
    let slice = args.slice(text);
    if !slice.starts_with('[') {
        return JsonArray::NotJson;
    }
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(slice) else {
        return JsonArray::NotJson;
    };
    if values.iter().any(|v| !v.is_string()) {
        return JsonArray::NotStrings;
    }
    // Every element is a string, so the string tokens in the text are
    // exactly the elements, in order.
    let mut elements = Vec::with_capacity(values.len());
    let bytes = slice.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        i += 1;
        let range = TextRange::new(args.start + start, args.start + i);
        let value = serde_json::from_str::<String>(&slice[start..i]).unwrap_or_default();
        elements.push(ExecArg { value, range });
    }
    JsonArray::Strings(elements)
}
