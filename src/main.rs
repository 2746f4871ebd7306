use clap::Parser;
use consult::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    consult::telemetry::init();
    let cli = Cli::parse();
    match consult::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
