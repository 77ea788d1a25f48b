//! Who may take part, as facts and text: the one-line summary (sex, ages, healthy volunteers),
//! the gender description, the criteria split into inclusion and exclusion, the study population
//! and the sampling method.

use super::document::{Block, Fact, facts_block};
use super::safe_text::visible;
use super::words::{joined, non_blank};
use crate::study::eligibility::split_criteria;
use crate::study::record::EligibilityModule;

/// The Eligibility section: who may join, the criteria, the population; nothing when the
/// record says nothing about who may take part.
pub fn eligibility(module: &EligibilityModule) -> Vec<Block> {
    let nothing_said = module.eligibility_criteria.is_none()
        && module.sex.is_none()
        && module.minimum_age.is_none()
        && module.maximum_age.is_none()
        && module.healthy_volunteers.is_none()
        && module.study_population.is_none();
    if nothing_said {
        return Vec::new();
    }
    let mut blocks = vec![Block::Note(who_may_join(module))];
    blocks.extend(facts_block([non_blank(&module.gender_description).map(|g| Fact::markup("Gender", g))]));
    if let Some(raw) = non_blank(&module.eligibility_criteria) {
        // Shown safe before it is split, as every other text of the document is (see
        // `Document::visible`): a control becomes a character the reader sees, not a gap.
        let criteria = split_criteria(&visible(&raw));
        if !criteria.is_empty() {
            blocks.push(Block::Criteria(criteria));
        }
    }
    if let Some(population) = non_blank(&module.study_population) {
        blocks.push(Block::Subheading("Study population".to_owned()));
        blocks.push(Block::Markup(population));
    }
    let sampling = module.sampling_method.as_ref().map(|m| Fact::plain("Sampling method", m.label()));
    blocks.extend(facts_block([sampling]));
    blocks
}

/// "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no".
pub fn who_may_join(module: &EligibilityModule) -> String {
    let sex = module.sex.as_ref().map(|sex| format!("Sex: {}", sex.label().to_lowercase()));
    let ages = Some(format!("Ages: {}", module.age_range_text()));
    let healthy = module
        .healthy_volunteers
        .map(|yes| format!("Healthy volunteers: {}", if yes { "yes" } else { "no" }));
    joined([sex, ages, healthy]).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::age::{Age, AgeUnit};
    use crate::study::enums::Sex;

    #[test]
    fn says_who_may_join() {
        let module = EligibilityModule {
            sex: Some(Sex::All),
            minimum_age: Some(Age::new(18.0, AgeUnit::Years)),
            maximum_age: Some(Age::new(65.0, AgeUnit::Years)),
            healthy_volunteers: Some(false),
            ..EligibilityModule::default()
        };
        assert_eq!(who_may_join(&module), "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no");
        assert_eq!(who_may_join(&EligibilityModule::default()), "Ages: any age");
    }
}
