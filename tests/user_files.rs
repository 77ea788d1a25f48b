//! The user's own files through the real binary, with the XDG folders pointed at a temporary
//! home: `nct config --path` and `--init`, a settings file with mistakes, and a bare `nct` opening
//! the library the settings name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");

/// `nct ARGS` with config, data and cache under `home`: (exit code, stdout, stderr).
fn nct(home: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .expect("run nct");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn config_path_says_where_every_file_lives() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, _) = nct(home.path(), &["config", "--path"]);
    assert_eq!(code, 0);
    let at = |label: &str| {
        stdout.lines().find(|l| l.starts_with(label)).map(|l| l[label.len()..].trim().to_string()).unwrap()
    };
    let root = home.path().display().to_string();
    assert_eq!(at("settings"), format!("{root}/config/nct/config.toml"));
    assert_eq!(at("bookmarks"), format!("{root}/data/nct/bookmarks.toml"));
    assert_eq!(at("notes"), format!("{root}/data/nct/notes"));
    assert_eq!(at("history"), format!("{root}/data/nct/history.toml"));
    assert_eq!(at("cache"), format!("{root}/cache/nct/catalogs"));
}

#[test]
fn init_writes_a_commented_config_once_and_a_bare_nct_opens_the_library() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, _) = nct(home.path(), &["config", "--init"]);
    assert_eq!(code, 0, "{stdout}");
    let file = home.path().join("config").join("nct").join("config.toml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(written.contains("# library = ["), "{written}");
    assert_eq!(nct(home.path(), &["config"]).0, 0);

    // Without a library, a bare nct is a usage error that says how to set one.
    let (code, _, stderr) = nct(home.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("library"), "{stderr}");

    std::fs::write(&file, format!("library = [{ASSETS:?}]\n")).unwrap();
    let (code, _, _) = nct(home.path(), &["config", "--init"]);
    assert_eq!(code, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), format!("library = [{ASSETS:?}]\n"), "kept");
    // Not a terminal: the studies are listed.
    let (code, stdout, stderr) = nct(home.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("NCT05183427"), "{stdout}");
}

#[test]
fn a_config_with_mistakes_names_their_lines_and_the_defaults_are_used() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("config").join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), format!("library = [{ASSETS:?}]\ncolour = \"never\"\n"))
        .unwrap();
    let (code, _, stderr) = nct(home.path(), &["config"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("config.toml:2: unknown setting colour"), "{stderr}");
    // An unknown key is a warning: the rest of the settings still apply.
    let (code, stdout, stderr) = nct(home.path(), &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("NCT05183427") && stderr.contains("unknown setting colour"), "{stderr}");

    std::fs::write(folder.join("config.toml"), "library = [\n\"a\",\ncolor = 3\n").unwrap();
    let (code, _, stderr) = nct(home.path(), &["config"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("config.toml:"), "{stderr}");
    assert!(stderr.contains("using the default settings"), "{stderr}");
}

#[test]
fn show_writes_dates_in_the_configured_style_and_json_as_registered() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("config").join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    let (_, iso, _) = nct(home.path(), &["show", "NCT02491658", ASSETS]);
    assert!(iso.contains("Start:              2015-04\n"), "{iso}");
    std::fs::write(folder.join("config.toml"), "date_format = \"long\"\n").unwrap();
    let (code, long, stderr) = nct(home.path(), &["show", "NCT02491658", ASSETS]);
    assert_eq!(code, 0, "{stderr}");
    assert!(long.contains("first posted 8 Jul 2015 · last update 8 Jul 2015 · verified Jul 2015"), "{long}");
    assert!(long.contains("Start:              Apr 2015\n"), "{long}");
    assert!(long.contains("Primary completion: Dec 2016 (estimated)"), "{long}");
    let (_, markdown, _) = nct(home.path(), &["show", "NCT02491658", ASSETS, "--format", "markdown"]);
    assert!(markdown.contains("Apr 2015"), "{markdown}");
    let (_, json, _) = nct(home.path(), &["show", "NCT02491658", ASSETS, "--format", "json"]);
    assert!(json.contains("\"2015-04\"") && !json.contains("Apr 2015"), "JSON is the record as registered");

    std::fs::write(folder.join("config.toml"), "date_format = \"german\"\n").unwrap();
    let (code, shown, stderr) = nct(home.path(), &["show", "NCT02491658", ASSETS]);
    assert_eq!(code, 0);
    assert!(stderr.contains("config.toml:1: date_format must be one of"), "{stderr}");
    assert!(shown.contains("Start:              2015-04\n"), "the default is used: {shown}");
}

#[test]
fn show_reports_a_note_that_is_not_text_by_name_and_sets_it_aside() {
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("data").join("nct").join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("NCT05183427.md"), b"\xff\xfe\x00note").unwrap();
    let (code, stdout, stderr) = nct(home.path(), &["show", "NCT05183427", ASSETS]);
    assert_eq!(code, 0, "the study is still shown");
    assert!(stdout.contains("Torvasiran") && !stdout.contains("Your note"), "{stdout}");
    assert!(
        stderr.contains("notes/NCT05183427.md is not UTF-8 text; kept as notes/NCT05183427.md.corrupt-"),
        "{stderr}"
    );
    assert!(!notes.join("NCT05183427.md").exists());
    let (_, _, stderr) = nct(home.path(), &["show", "NCT05183427", ASSETS]);
    assert!(stderr.is_empty(), "said once: {stderr}");
}
