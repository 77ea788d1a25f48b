//! Words and numbers as people read them: 1,234,567, "1 study" / "2 studies", "96.4 MB", short
//! values joined by a middle dot, a registry label inside a sentence. The app and the shell print
//! them the same way.

/// Separates short values on one line.
pub const DOT: &str = " · ";

/// A text field worth showing: given and not blank, without its surrounding spaces.
pub fn non_blank(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// The known parts joined by a middle dot; `None` when no part is known.
pub fn joined(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(DOT))
}

/// "Treatment A (Experimental)": a name with what kind of thing it is.
pub fn with_kind(name: String, kind: Option<&str>) -> String {
    match kind {
        Some(kind) => format!("{name} ({kind})"),
        None => name,
    }
}

/// Registry labels are capitalised for a heading; inside a sentence they read lower case.
pub fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A sentence of ours that starts with a lower-case word, capitalised to stand alone.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// 1234567 as "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 study", "2 studies".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A size for people: "850 KB", "96.4 MB", "2.51 GB" (decimal units, as `du -h --si` and disks).
pub fn size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000_000 => format!("{:.0} KB", (b / 1e3).ceil()),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.2} GB", b / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(plural(1, "study", "studies"), "1 study");
        assert_eq!(plural(1148, "site", "sites"), "1,148 sites");
    }
}
