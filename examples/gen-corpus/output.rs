//! Output: the layouts `nct` reads.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};

use crate::Layout;
use crate::json::J;

pub enum Sink {
    Dir { root: PathBuf, made: HashSet<String> },
    Zip { zip: Box<zip::ZipWriter<BufWriter<File>>>, options: zip::write::SimpleFileOptions },
    Array { out: BufWriter<File>, first: bool },
    Ndjson { out: BufWriter<File> },
}

fn create_file(path: &Path) -> Result<BufWriter<File>> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

impl Sink {
    pub fn create(layout: Layout, out: &Path) -> Result<Sink> {
        Ok(match layout {
            Layout::Dir => {
                fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
                Sink::Dir { root: out.to_path_buf(), made: HashSet::new() }
            }
            Layout::Zip => {
                let stamp = zip::DateTime::from_date_and_time(2025, 12, 1, 0, 0, 0)
                    .map_err(|e| anyhow!("zip timestamp: {e:?}"))?;
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .last_modified_time(stamp)
                    .unix_permissions(0o644);
                Sink::Zip { zip: Box::new(zip::ZipWriter::new(create_file(out)?)), options }
            }
            Layout::Array => {
                let mut out = create_file(out)?;
                out.write_all(b"[\n")?;
                Sink::Array { out, first: true }
            }
            Layout::Ndjson => Sink::Ndjson { out: create_file(out)? },
        })
    }

    pub fn write(&mut self, id: &str, study: &J, buf: &mut String) -> Result<()> {
        match self {
            Sink::Dir { root, made } => {
                let folder = id.get(..7).unwrap_or(id);
                let dir = root.join(folder);
                if !made.contains(folder) {
                    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                    made.insert(folder.to_string());
                }
                study.write(buf, Some(0));
                buf.push('\n');
                let path = dir.join(format!("{id}.json"));
                fs::write(&path, buf.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
            }
            Sink::Zip { zip, options } => {
                study.write(buf, Some(0));
                buf.push('\n');
                zip.start_file(format!("{id}.json"), *options)
                    .with_context(|| format!("zip entry {id}.json"))?;
                zip.write_all(buf.as_bytes()).with_context(|| format!("zip entry {id}.json"))?;
            }
            Sink::Array { out, first } => {
                if !*first {
                    out.write_all(b",\n")?;
                }
                *first = false;
                study.write(buf, None);
                out.write_all(buf.as_bytes())?;
            }
            Sink::Ndjson { out } => {
                study.write(buf, None);
                buf.push('\n');
                out.write_all(buf.as_bytes())?;
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Dir { .. } => {}
            Sink::Zip { zip, .. } => {
                let mut inner = zip.finish().context("finishing zip")?;
                inner.flush()?;
            }
            Sink::Array { mut out, first } => {
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
            Sink::Ndjson { mut out } => out.flush()?,
        }
        Ok(())
    }
}
