//! `nct show`: one study, as text, markdown or the registry's JSON.

use std::path::PathBuf;

use super::{ShowFormat, exit, output};
use crate::catalog::{self, Catalog};

pub fn run(id: &str, paths: &[PathBuf], format: ShowFormat) -> u8 {
    let catalog = Catalog::load(paths);
    let Some(summary) = catalog.find(id) else {
        output::error(&format!("{id}: not found among {} studies", catalog.len()));
        return exit::PROBLEM;
    };
    match format {
        ShowFormat::Json => match catalog::raw_record(&summary.locator) {
            Ok(bytes) => output::print(&String::from_utf8_lossy(&bytes)),
            Err(e) => {
                output::error(&e);
                return exit::PROBLEM;
            }
        },
        _ => output::print(&format!("{}\n", summary.brief_title)),
    }
    exit::OK
}
