//! Data Packages as a researcher's tools read them: unpacked from their
//! zip and checked with `frictionless validate`.
use serde_json::Value;
use std::io::Read;

/// The frictionless command: CONSULT_FRICTIONLESS or on the PATH.
pub fn frictionless() -> String {
    let cmd = std::env::var("CONSULT_FRICTIONLESS").unwrap_or_else(|_| "frictionless".into());
    let found = std::process::Command::new(&cmd)
        .arg("--version")
        .output()
        .is_ok();
    assert!(
        found,
        "`frictionless` not found: `pip install frictionless` or set CONSULT_FRICTIONLESS (.ci/run does)"
    );
    cmd
}

/// Unpacks a zip into `dir`; the names of its files, sorted.
pub fn unpack(bytes: &[u8], dir: &std::path::Path) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("dir");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("entry");
        let mut content = Vec::new();
        f.read_to_end(&mut content).expect("read");
        names.push(f.name().to_owned());
        std::fs::write(dir.join(f.name()), content).expect("write");
    }
    names.sort();
    names
}

/// `frictionless validate` passes the Data Package unpacked in `dir`.
pub fn assert_valid(dir: &std::path::Path) {
    let out = std::process::Command::new(frictionless())
        .args(["validate", "--json"])
        .arg(dir.join("datapackage.json"))
        .output()
        .expect("frictionless runs");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(
        report["valid"],
        true,
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
