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
    assert_eq!(at("seen"), format!("{root}/data/nct/seen"));
    assert_eq!(at("history"), format!("{root}/data/nct/history.toml"));
    assert_eq!(at("profiles"), format!("{root}/data/nct/profiles.toml"));
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

/// As [`nct`], killed after [`HANG`]: a command that is still running then has hung, and the
/// test fails saying so rather than hanging itself.
fn nct_promptly(home: &Path, args: &[&str]) -> (i32, String, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nct");
    // Read on threads, so that a full pipe never stops the child.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nct {args:?} still running after {HANG:?}: it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (status.code().unwrap_or(-1), out.join().unwrap(), err.join().unwrap())
}

/// Far longer than any of these commands takes on a loaded machine.
const HANG: std::time::Duration = std::time::Duration::from_secs(10);

/// A study file written for the test: one record, `NCT00000001`.
fn one_study(dir: &Path) -> String {
    let file = dir.join("study.json");
    std::fs::write(
        &file,
        r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000001",
            "briefTitle": "Aspirin after hip surgery"},
            "statusModule": {"overallStatus": "RECRUITING"}}}"#,
    )
    .unwrap();
    file.display().to_string()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("run mkfifo");
    assert!(status.success());
}

#[test]
fn a_named_pipe_as_a_note_is_reported_by_name_and_search_and_show_finish() {
    let home = tempfile::tempdir().unwrap();
    let study = one_study(home.path());
    let notes = home.path().join("data").join("nct").join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    mkfifo(&notes.join("NCT00000001.md"));
    std::fs::write(notes.join("NCT00000002.md"), "x marks a note that still reads\n").unwrap();
    let said = "notes/NCT00000001.md is a named pipe, not a file: nct reads notes only from a regular file; \
                remove it or replace it";

    let (code, stdout, stderr) = nct_promptly(home.path(), &["search", "note:x", &study]);
    assert_eq!(code, 1, "nothing found: {stdout}");
    assert!(stderr.contains(said), "{stderr}");
    let (code, stdout, stderr) = nct_promptly(home.path(), &["search", "aspirin", &study]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("NCT00000001") && stderr.contains(said), "{stdout}\n{stderr}");

    let (code, stdout, stderr) = nct_promptly(home.path(), &["show", "NCT00000001", &study]);
    assert_eq!(code, 0, "the study is still shown: {stderr}");
    assert!(stdout.contains("Aspirin after hip surgery") && !stdout.contains("Your note"), "{stdout}");
    assert!(stderr.contains(said), "{stderr}");
    let kind = std::fs::symlink_metadata(notes.join("NCT00000001.md")).unwrap().file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind), "left where it is, for the user");
}

/// Every command, with what each says of a settings file it cannot read.
fn every_command_finishes_saying(home: &Path, said: &str) {
    let study = one_study(home);
    let commands: [&[&str]; 7] = [
        &["config"],
        &["config", "--path"],
        &["show", "NCT00000001", &study],
        &["search", "aspirin", &study],
        &["check", &study],
        &["cache"],
        &[],
    ];
    for args in commands {
        let (code, stdout, stderr) = nct_promptly(home, args);
        // Those that read the settings say what is wrong with them; none waits or fails for it.
        let reads_settings = matches!(args.first(), None | Some(&"config" | &"show"));
        if reads_settings && args != ["config", "--path"] {
            assert!(stderr.contains(said), "nct {args:?}: {stderr}");
        }
        match args.first() {
            // No library can be read from the settings: a bare nct says how to give one.
            None => assert_eq!(code, 2, "{stderr}"),
            Some(&"config") if args.len() == 1 => assert_eq!(code, 1, "the settings are reported: {stderr}"),
            _ => assert_eq!(code, 0, "nct {args:?}: {stdout}\n{stderr}"),
        }
    }
}

#[test]
fn a_named_pipe_as_the_settings_is_reported_and_every_command_goes_on_with_the_defaults() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("config").join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    mkfifo(&folder.join("config.toml"));
    let said = format!(
        "{}/config.toml is a named pipe, not a file: nct reads settings only from a regular file; remove it \
         or replace it; using the defaults",
        folder.display()
    );
    every_command_finishes_saying(home.path(), &said);
}

#[test]
fn dev_zero_as_the_settings_is_reported_and_every_command_goes_on_with_the_defaults() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("config").join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    std::os::unix::fs::symlink("/dev/zero", folder.join("config.toml")).unwrap();
    let said = format!(
        "{}/config.toml is a character device, not a file: nct reads settings only from a regular file",
        folder.display()
    );
    every_command_finishes_saying(home.path(), &said);
}

#[test]
fn two_damaged_bookmark_files_in_the_same_second_are_both_kept() {
    let home = tempfile::tempdir().unwrap();
    let study = one_study(home.path());
    let folder = home.path().join("data").join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    // Both within one second, so that both would have the same set-aside name.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    std::thread::sleep(std::time::Duration::from_nanos(u64::from(1_000_000_000 - now.subsec_nanos())));
    for damaged in ["[NCT00000001\nadded = ", "[NCT00000002]\nadded = 3 4"] {
        std::fs::write(folder.join("bookmarks.toml"), damaged).unwrap();
        let (code, _, stderr) = nct_promptly(home.path(), &["search", "aspirin", &study]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("bookmarks.toml is damaged") && stderr.contains("kept as"), "{stderr}");
    }
    let mut kept: Vec<(String, String)> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("bookmarks.toml.corrupt-"))
        .map(|name| (std::fs::read_to_string(folder.join(&name)).unwrap(), name))
        .collect();
    kept.sort();
    let texts: Vec<&str> = kept.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(texts, ["[NCT00000001\nadded = ", "[NCT00000002]\nadded = 3 4"], "{kept:?}");
    if kept[0].1.len() == kept[1].1.len() - 2 {
        assert_eq!(kept[1].1, format!("{}-2", kept[0].1), "the second is numbered");
    }
}

#[test]
fn every_command_without_a_path_reads_the_library() {
    let home = tempfile::tempdir().unwrap();
    let library = home.path().join("trials");
    std::fs::create_dir_all(&library).unwrap();
    for id in ["NCT02210479", "NCT05183427"] {
        std::fs::copy(format!("{ASSETS}/{id}.json"), library.join(format!("{id}.json"))).unwrap();
    }
    let folder = home.path().join("config").join("nct");
    std::fs::create_dir_all(&folder).unwrap();

    // No library yet: each command says how to give one.
    for args in [&["show", "NCT05183427"][..], &["search", ""], &["facets", ""], &["check"]] {
        let (code, stdout, stderr) = nct(home.path(), args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains("no PATH given") && stderr.contains("library"), "{args:?}: {stderr}");
    }

    std::fs::write(folder.join("config.toml"), format!("library = [{:?}]\n", library.display().to_string()))
        .unwrap();
    let (code, stdout, stderr) = nct(home.path(), &["show", "NCT05183427"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Torvasiran"), "{stdout}");
    // In the bundled studies but not in the library: not found, among the library's two.
    let (code, _, stderr) = nct(home.path(), &["show", "NCT02491658"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("NCT02491658: not found among 2 studies"), "{stderr}");

    let (code, stdout, stderr) = nct(home.path(), &["search", "", "--format", "ids"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "NCT02210479\nNCT05183427\n");
    // A PATH given wins over the library.
    let (code, stdout, _) = nct(home.path(), &["search", "", ASSETS, "--format", "ids", "--limit", "0"]);
    assert_eq!(code, 0);
    assert!(stdout.lines().count() > 2, "{stdout}");

    let (code, stdout, stderr) = nct(home.path(), &["facets", "", "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("\"total\": 2"), "{stdout}");

    let (code, stdout, stderr) = nct(home.path(), &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("studies: 2 loaded"), "{stdout}");
}
