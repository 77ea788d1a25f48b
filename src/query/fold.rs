//! Folding text for matching: what makes `Côte D’Ivoire` and `cote d'ivoire` the same string.
//!
//! `fold` lower-cases (Unicode rules), maps the common Latin letters with diacritics to their
//! base letter with a small table (`é` → `e`, `ø` → `o`, `ł` → `l`), spells out the ligatures
//! and letters that have no base letter (`ß` → `ss`, `æ` → `ae`, `œ` → `oe`, `þ` → `th`), drops
//! combining marks (U+0300–U+036F, so text in decomposed form folds the same as composed text),
//! and turns typographic apostrophes and dashes into ASCII ones. Other scripts pass through
//! lower-cased. The table covers Latin-1 and Latin Extended-A plus the Romanian comma letters,
//! which is what the registry's sites, sponsors and conditions use; it is not full Unicode
//! normalisation, which would need a crate for a few letters nobody types into a query.
//!
//! `words` is the tokenisation the query applies to free text: folded, split on anything that
//! is not a letter or digit. The full-text index must tokenise the same way for a query word to
//! find its text.

/// Lower case, accents removed: the form both sides of a comparison are brought to.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for upper in text.chars() {
        for c in upper.to_lowercase() {
            push_folded(c, &mut out);
        }
    }
    out
}

/// The folded words of `text`, in order: the units a text term matches.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Whether `folded_needle` (already [`fold`]ed) occurs in `haystack` once folded.
///
/// Most registry text is ASCII, and filters test every study, so ASCII haystacks are compared
/// in place instead of allocating a folded copy.
pub fn contains_folded(haystack: &str, folded_needle: &str) -> bool {
    if folded_needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() {
        return ascii_contains(haystack.as_bytes(), folded_needle.as_bytes());
    }
    fold(haystack).contains(folded_needle)
}

/// Whether lower-case `needle` occurs in ASCII `hay`, ignoring case.
fn ascii_contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else { return true };
    let upper = first.to_ascii_uppercase();
    let Some(last_start) = hay.len().checked_sub(needle.len()) else { return false };
    let matches_at =
        |at: usize| hay.get(at + 1..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(rest));
    // Short texts (countries, sponsors) are quicker to step through than to set up a search for.
    if hay.len() < 64 {
        return hay
            .iter()
            .take(last_start + 1)
            .enumerate()
            .any(|(at, &b)| (b == first || b == upper) && matches_at(at));
    }
    // Jump between places where the first letter occurs, in either case, then compare.
    let mut from = 0;
    while let Some(found) = hay.get(from..=last_start).and_then(|r| memchr::memchr2(first, upper, r)) {
        if matches_at(from + found) {
            return true;
        }
        from += found + 1;
    }
    false
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
        return;
    }
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return;
    }
    let replacement = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        'ĳ' => "ij",
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{2032}' => "'",
        '\u{201c}' | '\u{201d}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{a0}' => " ",
        other => {
            out.push(other);
            return;
        }
    };
    out.push_str(replacement);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Côte D’Ivoire"), "cote d'ivoire");
        assert_eq!(fold("Réunion"), "reunion");
        assert_eq!(fold("Türkiye"), "turkiye");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("Œdème"), "oedeme");
        assert_eq!(fold("Bucureşti / București"), "bucuresti / bucuresti");
        assert_eq!(fold("Ko\u{0308}ln"), "koln");
        assert_eq!(fold("Sjögren–Larsson"), "sjogren-larsson");
        assert_eq!(fold("日本 ΑΒΓ"), "日本 αβγ");
    }

    #[test]
    fn splits_words_on_what_is_not_a_letter_or_digit() {
        assert_eq!(words("COVID-19: a Phase 2/3 study"), ["covid", "19", "a", "phase", "2", "3", "study"]);
        assert_eq!(words("Côte D'Ivoire"), ["cote", "d", "ivoire"]);
        assert!(words(" -- & ").is_empty());
    }

    #[test]
    fn finds_a_folded_needle_with_or_without_allocating() {
        assert!(contains_folded("United States", "united st"));
        assert!(contains_folded("Côte D'Ivoire", "cote d'ivoire"));
        assert!(contains_folded("anything", ""));
        assert!(!contains_folded("France", "germany"));
        assert!(!contains_folded("Fr", "france"));
        assert!(!contains_folded("Japan", "日本"));
    }
}
