//! `fixtures generate` and `responses import`.
use crate::catalogue::{Catalogue, read_definition};
use crate::domain::Consultation;
use crate::ingest;
use crate::storage::{Channel, NewRow, NewSubmission, StorageError, Store};
use crate::synth::{self, Profile};
use anyhow::{Context, anyhow, bail};
use std::io::Write;
use std::path::Path;

/// The profile at `profile_path` with the definition it names.
pub fn profile(
    profile_path: &Path,
    consultations: &Path,
) -> anyhow::Result<(Consultation, Profile)> {
    let text = std::fs::read_to_string(profile_path)
        .with_context(|| format!("cannot read {}", profile_path.display()))?;
    // The profile names its consultation; find that definition.
    let slug = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["consultation"].as_str().map(str::to_owned))
        .ok_or_else(|| anyhow!("{}: no \"consultation\" field", profile_path.display()))?;
    let definition = crate::catalogue::definition_files(consultations)?
        .iter()
        .map(|f| read_definition(f))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .find(|c| c.slug.as_str() == slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let profile = Profile::from_json(&text, &definition).map_err(|errors| {
        anyhow!(
            "{} is not a valid profile:\n{}",
            profile_path.display(),
            errors
                .iter()
                .map(|e| format!("  - {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    Ok((definition, profile))
}

pub fn generate(
    definition: &Consultation,
    profile: &Profile,
    seed: u64,
    n: Option<usize>,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let file = synth::generate(definition, profile, seed, n);
    let mut json = serde_json::to_string_pretty(&file)?;
    json.push('\n');
    match out {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(path, json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "wrote {} synthetic responses to {}",
                file.responses.len(),
                path.display()
            );
        }
        None => std::io::stdout().write_all(json.as_bytes())?,
    }
    Ok(())
}

/// Responses generated and stored per transaction, once under way.
const BATCH: usize = 50_000;
/// The first batch: small, so that writing starts at once rather than
/// after a whole batch is made (up to a second); each batch after it is
/// twice the one before, up to `BATCH`.
const FIRST: usize = 5_000;

/// Generates `n` responses straight into the database: one thread makes
/// batches while this one stores the previous batch. Batch `k` uses seed
/// `seed + k`, so the same arguments always give the same answers.
pub fn generate_into(
    database: &str,
    consultations: &Path,
    definition: &Consultation,
    profile: &Profile,
    seed: u64,
    n: Option<usize>,
) -> anyhow::Result<()> {
    let total = n.unwrap_or(profile.responses);
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    let slug = definition.slug.as_str();
    let loaded = catalogue
        .get(slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let started = std::time::Instant::now();
    let bar = indicatif::ProgressBar::new(total as u64).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} responses {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (answers_tx, answers_rx) = std::sync::mpsc::sync_channel::<Vec<synth::Generated>>(1);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<NewRow>, StorageError>>(1);
    let stored = loaded.stored;
    std::thread::scope(|scope| {
        // Three stages (generating answers, making their stored forms,
        // writing them), so that both cores stay busy whichever is slower.
        scope.spawn(move || {
            let (mut made, mut next) = (0, FIRST);
            for k in 0.. {
                if made >= total {
                    break;
                }
                let size = next.min(total - made);
                (made, next) = (made + size, (next * 2).min(BATCH));
                let batch =
                    synth::generate_answers(definition, profile, seed.wrapping_add(k), size);
                if answers_tx.send(batch).is_err() {
                    break;
                }
            }
        });
        scope.spawn(move || {
            for batch in answers_rx {
                let rows = batch
                    .into_iter()
                    .map(|g| {
                        NewRow::new(
                            stored,
                            Some(g.submission_id),
                            &g.answers,
                            Channel::Synthetic,
                            g.submitted_at.naive_utc(),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>();
                if tx.send(rows).is_err() {
                    break;
                }
            }
        });
        // A connection of its own, closed when the load ends.
        let mut load = store.bulk_load()?;
        for batch in rx {
            let batch = batch?;
            load.insert(&batch)?;
            bar.inc(batch.len() as u64);
        }
        Ok::<_, anyhow::Error>(())
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "stored {total} synthetic responses to {slug} in {} in {secs:.1} s ({:.0} per second)",
        store.url(),
        total as f64 / secs.max(1e-9)
    );
    Ok(())
}

pub fn import(
    database: &str,
    file: &Path,
    consultation: Option<&str>,
    consultations: &Path,
) -> anyhow::Result<()> {
    let slug = match consultation {
        Some(s) => s.to_owned(),
        None => named_in(file).ok_or_else(|| {
            anyhow!("say which consultation the responses answer with --consultation SLUG")
        })?,
    };
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    let loaded = catalogue
        .get(&slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let rows = ingest::read_file(file, &loaded.definition)?;
    if rows.is_empty() {
        bail!("{} holds no responses", file.display());
    }
    let subs: Vec<NewSubmission<'_>> = rows
        .iter()
        .map(|r| NewSubmission {
            consultation: loaded.stored,
            submission_id: r.submission_id,
            answers: &r.answers,
            channel: Channel::Import,
            submitted_at: r.submitted_at.map(|t| t.naive_utc()),
        })
        .collect();
    let outcome = store.import(&subs)?;
    println!(
        "imported {} response(s) into {slug}; {} were already stored",
        outcome.created, outcome.already_stored
    );
    Ok(())
}

/// The consultation a JSON file says it holds responses to.
fn named_in(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["consultation"].as_str().map(str::to_owned)
}

pub fn report(
    database: &str,
    slug: &str,
    out: &Path,
    by: &str,
    consultations: &Path,
) -> anyhow::Result<()> {
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    let loaded = catalogue
        .get(slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let cache = crate::analysis::ResultsCache::default();
    let snapshot = cache.snapshot(&store, loaded.stored, &loaded.definition)?;
    let quotes = crate::export::quotes::quotes(&store, &loaded.definition, loaded.stored.id)?;
    let total = crate::export::report::all_questions(&loaded.definition).len() as u64;
    let bar = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} questions {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let written = crate::export::report::write_report(
        &loaded.definition,
        &snapshot,
        &quotes,
        by,
        out,
        |q| {
            bar.set_message(q.to_owned());
            bar.inc(1);
        },
    )?;
    bar.finish_and_clear();
    println!(
        "wrote {} files for {} responses to {}; open {}",
        written.len(),
        snapshot.tally.responses,
        out.display(),
        out.join("index.html").display()
    );
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub fn export(
    database: &str,
    slug: &str,
    format: &str,
    k: usize,
    identified: bool,
    out: &Path,
    consultations: &Path,
) -> anyhow::Result<()> {
    use crate::export::formats::{self, Format};
    use crate::export::release::{MIN_K, Options};
    let format = Format::parse(format)
        .ok_or_else(|| anyhow!("--format: '{format}' is not csv, parquet, json or datapackage"))?;
    if k < MIN_K {
        bail!("--k: must be at least {MIN_K}");
    }
    let bar = indicatif::ProgressBar::new(4).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(if identified {
        "reading responses"
    } else {
        "reading and anonymising responses"
    });
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    let loaded = catalogue
        .get(slug)
        .ok_or_else(|| anyhow!("no consultation '{slug}' in {}", consultations.display()))?;
    let options = Options {
        k,
        identified,
        seed: None,
    };
    let r = crate::export::release_stored(&store, &loaded.definition, loaded.stored.id, &options)?;
    bar.inc(2);
    bar.set_message("writing");
    let cannot = || format!("cannot write {}", out.display());
    let mut file = std::io::BufWriter::new(std::fs::File::create(out).with_context(cannot)?);
    formats::write_to(&r, format, &loaded.definition.title, slug, &mut file)?;
    bar.inc(1);
    let written = file
        .into_inner()
        .map_err(|e| e.into_error())
        .with_context(cannot)?
        .metadata()
        .with_context(cannot)?
        .len();
    bar.inc(1);
    bar.finish_and_clear();
    let d = &r.disclosure;
    println!(
        "wrote {} ({} rows, {} bytes){}",
        out.display(),
        d.rows_released,
        written,
        if identified {
            " — identified: handle as personal data".to_owned()
        } else {
            format!(
                "; k = {}, smallest group {}, {} rows withheld",
                d.k,
                d.min_k.map_or("-".into(), |m| m.to_string()),
                d.suppressed_rows
            )
        }
    );
    Ok(())
}

pub fn retention(database: &str, as_of: Option<&str>, consultations: &Path) -> anyhow::Result<()> {
    use crate::domain::Privacy;
    let now = match as_of {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|e| anyhow!("--as-of: '{t}' is not an RFC 3339 time: {e}"))?
            .naive_utc(),
        None => chrono::Utc::now().naive_utc(),
    };
    let store = Store::open(database)?;
    let catalogue = Catalogue::load(consultations, &store)?;
    for loaded in catalogue.all() {
        let c = &loaded.definition;
        let questions: Vec<String> = c
            .questions()
            .filter(|q| q.privacy == Privacy::Identifier)
            .map(|q| q.id.to_string())
            .collect();
        let cutoff = now - chrono::Duration::days(i64::from(c.retention_days));
        let erased = store.erase_identifying(loaded.stored.id, &questions, cutoff)?;
        let total: usize = erased.iter().map(|(_, n)| n).sum();
        let detail = erased
            .iter()
            .map(|(q, n)| format!("{q} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        println!(
            "{}: erased {total} identifying answer(s) of responses submitted before {} ({} days){}",
            c.slug,
            cutoff.format("%Y-%m-%d %H:%M"),
            c.retention_days,
            if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            }
        );
    }
    Ok(())
}
