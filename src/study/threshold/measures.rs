//! The vocabulary of measures: the words criteria use for what they measure (synonyms,
//! abbreviations, British and American spellings) and the canonical name each stands for.
//! Phrases are matched on whole words, longest first; a hyphen between words is allowed
//! ("prostate-specific antigen", "life-expectancy").

use std::collections::HashMap;
use std::sync::LazyLock;

use super::tokens::{Kind, Token};

pub(super) const AGE: &str = "age";
pub(super) const ECOG: &str = "ECOG";
pub(super) const WHO: &str = "WHO";
pub(super) const KARNOFSKY: &str = "Karnofsky";
pub(super) const LIFE_EXPECTANCY: &str = "life expectancy";
pub(super) const BLOOD_PRESSURE: &str = "blood pressure";
pub(super) const SYSTOLIC: &str = "systolic";
pub(super) const DIASTOLIC: &str = "diastolic";

/// (phrase in lower case, canonical names). A phrase may stand for two measures ("transaminases").
const VOCABULARY: &[(&str, &[&str])] = &[
    // age: the word, and the words that imply it ("adults (>18)")
    ("age", &[AGE]),
    ("aged", &[AGE]),
    ("ages", &[AGE]),
    ("adult", &[AGE]),
    ("adults", &[AGE]),
    ("child", &[AGE]),
    ("children", &[AGE]),
    // performance
    ("ecog", &[ECOG]),
    ("ecog ps", &[ECOG]),
    ("eastern cooperative oncology group", &[ECOG]),
    ("performance status", &[ECOG]),
    ("performance score", &[ECOG]),
    ("ps", &[ECOG]),
    ("zubrod", &[ECOG]),
    ("who performance status", &[WHO]),
    ("who performance", &[WHO]),
    ("who ps", &[WHO]),
    ("world health organization performance status", &[WHO]),
    ("karnofsky", &[KARNOFSKY]),
    ("karnofsky performance status", &[KARNOFSKY]),
    ("karnofsky performance score", &[KARNOFSKY]),
    ("karnofsky score", &[KARNOFSKY]),
    ("kps", &[KARNOFSKY]),
    ("lansky", &[LANSKY]),
    ("lansky score", &[LANSKY]),
    ("lansky performance status", &[LANSKY]),
    ("lansky play performance", &[LANSKY]),
    ("lansky play performance status", &[LANSKY]),
    ("lps", &[LANSKY]),
    // body
    ("bmi", &["BMI"]),
    ("body mass index", &["BMI"]),
    ("weight", &["weight"]),
    ("body weight", &["weight"]),
    ("total body weight", &["weight"]),
    ("weighing", &["weight"]),
    ("weigh", &["weight"]),
    ("life expectancy", &[LIFE_EXPECTANCY]),
    ("expected survival", &[LIFE_EXPECTANCY]),
    // blood counts
    ("anc", &["ANC"]),
    ("absolute neutrophil count", &["ANC"]),
    ("absolute neutrophil counts", &["ANC"]),
    ("absolute neutrophils", &["ANC"]),
    ("neutrophil count", &["ANC"]),
    ("neutrophils", &["ANC"]),
    ("neutrophil", &["ANC"]),
    ("absolute granulocyte count", &["ANC"]),
    ("granulocytes", &["ANC"]),
    ("agc", &["ANC"]),
    ("platelets", &["platelets"]),
    ("platelet", &["platelets"]),
    ("platelet count", &["platelets"]),
    ("plt", &["platelets"]),
    ("plts", &["platelets"]),
    ("thrombocytes", &["platelets"]),
    ("hemoglobin", &[HAEMOGLOBIN]),
    ("haemoglobin", &[HAEMOGLOBIN]),
    ("hb", &[HAEMOGLOBIN]),
    ("hgb", &[HAEMOGLOBIN]),
    ("wbc", &["WBC"]),
    ("white blood cell", &["WBC"]),
    ("white blood cells", &["WBC"]),
    ("white blood cell count", &["WBC"]),
    ("white cell count", &["WBC"]),
    ("leukocytes", &["WBC"]),
    ("leukocyte count", &["WBC"]),
    ("leucocytes", &["WBC"]),
    ("lymphocyte count", &["lymphocytes"]),
    ("absolute lymphocyte count", &["lymphocytes"]),
    ("lymphocytes", &["lymphocytes"]),
    ("alc", &["lymphocytes"]),
    ("cd4", &["CD4"]),
    ("cd4 count", &["CD4"]),
    // kidney
    ("creatinine", &["creatinine"]),
    ("serum creatinine", &["creatinine"]),
    ("cr", &["creatinine"]),
    ("scr", &["creatinine"]),
    ("creatinine clearance", &[CRCL]),
    ("creatinine clearance rate", &[CRCL]),
    ("crcl", &[CRCL]),
    ("ccr", &[CRCL]),
    ("clcr", &[CRCL]),
    ("egfr", &["eGFR"]),
    ("gfr", &["eGFR"]),
    ("glomerular filtration rate", &["eGFR"]),
    ("estimated glomerular filtration rate", &["eGFR"]),
    // liver
    ("bilirubin", &[BILIRUBIN]),
    ("total bilirubin", &[BILIRUBIN]),
    ("serum bilirubin", &[BILIRUBIN]),
    ("conjugated bilirubin", &[BILIRUBIN]),
    ("direct bilirubin", &[BILIRUBIN]),
    ("tbil", &[BILIRUBIN]),
    ("tbl", &[BILIRUBIN]),
    ("t bil", &[BILIRUBIN]),
    ("ast", &["AST"]),
    ("sgot", &["AST"]),
    ("aspartate aminotransferase", &["AST"]),
    ("aspartate transaminase", &["AST"]),
    ("aspartate amino transferase", &["AST"]),
    ("alt", &["ALT"]),
    ("sgpt", &["ALT"]),
    ("alanine aminotransferase", &["ALT"]),
    ("alanine transaminase", &["ALT"]),
    ("alanine amino transferase", &["ALT"]),
    ("transaminases", &["AST", "ALT"]),
    ("aminotransferases", &["AST", "ALT"]),
    ("alp", &["ALP"]),
    ("alkaline phosphatase", &["ALP"]),
    ("albumin", &["albumin"]),
    ("serum albumin", &["albumin"]),
    ("lipase", &["lipase"]),
    ("amylase", &["amylase"]),
    // coagulation
    ("inr", &["INR"]),
    ("international normalized ratio", &["INR"]),
    ("international normalised ratio", &["INR"]),
    ("pt", &["PT"]),
    ("prothrombin time", &["PT"]),
    ("aptt", &["aPTT"]),
    ("ptt", &["aPTT"]),
    ("partial thromboplastin time", &["aPTT"]),
    ("partial thromboplastin", &["aPTT"]),
    ("activated partial thromboplastin time", &["aPTT"]),
    ("activated partial thromboplastin", &["aPTT"]),
    // metabolism and others
    ("hba1c", &[HBA1C]),
    ("hgb a1c", &[HBA1C]),
    ("hga1c", &[HBA1C]),
    ("hb a1c", &[HBA1C]),
    ("a1c", &[HBA1C]),
    ("hemoglobin a1c", &[HBA1C]),
    ("haemoglobin a1c", &[HBA1C]),
    ("glycated haemoglobin", &[HBA1C]),
    ("glycated hemoglobin", &[HBA1C]),
    ("glycosylated hemoglobin", &[HBA1C]),
    ("glycosylated haemoglobin", &[HBA1C]),
    ("potassium", &["potassium"]),
    ("sodium", &["sodium"]),
    ("calcium", &["calcium"]),
    ("magnesium", &["magnesium"]),
    ("fasting glucose", &["glucose"]),
    ("fasting plasma glucose", &["glucose"]),
    ("fasting blood glucose", &["glucose"]),
    ("fpg", &["glucose"]),
    ("blood glucose", &["glucose"]),
    ("ldl", &["LDL cholesterol"]),
    ("ldl cholesterol", &["LDL cholesterol"]),
    ("ldl c", &["LDL cholesterol"]),
    ("triglycerides", &["triglycerides"]),
    ("tsh", &["TSH"]),
    ("psa", &["PSA"]),
    ("prostate specific antigen", &["PSA"]),
    ("testosterone", &["testosterone"]),
    ("spo2", &["SpO2"]),
    ("oxygen saturation", &["SpO2"]),
    ("fev1", &["FEV1"]),
    // heart
    ("qtc", &[QTC]),
    ("qtcf", &[QTC]),
    ("qtcb", &[QTC]),
    ("qt", &[QTC]),
    ("qt interval", &[QTC]),
    ("qtc interval", &[QTC]),
    ("qtcf interval", &[QTC]),
    ("corrected qt interval", &[QTC]),
    ("lvef", &["LVEF"]),
    ("ejection fraction", &["LVEF"]),
    ("left ventricular ejection fraction", &["LVEF"]),
    ("cardiac ejection fraction", &["LVEF"]),
    ("systolic", &[SYSTOLIC]),
    ("systolic blood pressure", &[SYSTOLIC]),
    ("systolic bp", &[SYSTOLIC]),
    ("systolic pressure", &[SYSTOLIC]),
    ("sbp", &[SYSTOLIC]),
    ("diastolic", &[DIASTOLIC]),
    ("diastolic blood pressure", &[DIASTOLIC]),
    ("diastolic bp", &[DIASTOLIC]),
    ("diastolic pressure", &[DIASTOLIC]),
    ("dbp", &[DIASTOLIC]),
    ("blood pressure", &[BLOOD_PRESSURE]),
    ("bp", &[BLOOD_PRESSURE]),
    ("heart rate", &["heart rate"]),
    ("eosinophils", &["eosinophils"]),
    ("ldh", &["LDH"]),
    ("lactate dehydrogenase", &["LDH"]),
    ("ck", &["CK"]),
    ("cpk", &["CK"]),
    ("creatine kinase", &["CK"]),
    ("creatine phosphokinase", &["CK"]),
    ("glucose", &["glucose"]),
    ("plasma glucose", &["glucose"]),
    ("vitamin d", &["vitamin D"]),
    ("hydroxyvitamin d", &["vitamin D"]),
    ("estradiol", &["estradiol"]),
    ("ferritin", &["ferritin"]),
    ("uric acid", &["uric acid"]),
    ("cholesterol", &["cholesterol"]),
    ("total cholesterol", &["cholesterol"]),
    ("eosinophil count", &["eosinophils"]),
    ("blood eosinophils", &["eosinophils"]),
    ("blood eosinophil count", &["eosinophils"]),
    ("fvc", &["FVC"]),
    ("ffr", &["FFR"]),
    ("fractional flow reserve", &["FFR"]),
    ("fbs", &["glucose"]),
    ("fasting blood sugar", &["glucose"]),
    ("predicted survival", &[LIFE_EXPECTANCY]),
    ("estimated survival", &[LIFE_EXPECTANCY]),
    ("life expectancy of", &[LIFE_EXPECTANCY]),
];

pub(super) const LANSKY: &str = "Lansky";
const HAEMOGLOBIN: &str = "haemoglobin";
const CRCL: &str = "creatinine clearance";
const BILIRUBIN: &str = "bilirubin";
const HBA1C: &str = "HbA1c";
const QTC: &str = "QTc";

/// A phrase's words and the canonical names it stands for.
type Phrase = (Vec<&'static str>, &'static [&'static str]);

/// Phrases by first word, longest first, built once.
static BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut map: HashMap<&str, Vec<Phrase>> = HashMap::new();
    for (phrase, names) in VOCABULARY {
        let words: Vec<&str> = phrase.split(' ').collect();
        if let Some(first) = words.first() {
            map.entry(first).or_default().push((words, names));
        }
    }
    for entries in map.values_mut() {
        entries.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
    }
    map
});

/// A measure named in the text: its canonical names and the tokens it spans.
#[derive(Debug, Clone)]
pub(super) struct Mention {
    pub names: &'static [&'static str],
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

/// The measure named at token `at`, if any (the longest phrase).
pub(super) fn mention_at(tokens: &[Token], at: usize) -> Option<Mention> {
    let first = tokens.get(at).filter(|t| t.kind == Kind::Word)?;
    let entries = BY_FIRST_WORD.get(first.lower.as_ref())?;
    'phrase: for (words, names) in entries {
        let mut i = at + 1;
        for w in words.iter().skip(1) {
            if tokens.get(i).is_some_and(|t| t.is_mark('-')) {
                i += 1;
            }
            match tokens.get(i) {
                Some(t) if t.kind == Kind::Word && t.lower == *w => i += 1,
                _ => continue 'phrase,
            }
        }
        // "ast" must not be the start of "asthma": words are whole tokens already; but a name
        // followed by a hyphen and more letters is another word ("PT-based", "ALT-803").
        if tokens.get(i).is_some_and(|t| t.is_mark('-'))
            && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Word)
            && tokens.get(i).map(|t| t.end) == tokens.get(i + 1).map(|t| t.start)
            && words.len() == 1
            && first.lower.len() <= 3
        {
            return None;
        }
        return Some(Mention { names, start: at, end: i });
    }
    None
}
